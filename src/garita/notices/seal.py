"""The PDF's own signature, and reading a notice back from a PDF or an image.

The signature of every byte of the PDF is appended as a final PDF comment line
(readers skip comments), so changing any printed word — not only the QR code —
is detected by ``garita notice verify``.
"""

from __future__ import annotations

import io

from cryptography.exceptions import InvalidSignature

from garita.notices import core
from garita.notices.render import read_qr

SEAL = b"%GARITA-NOTICE-SIG "
CONTEXT = b"garita-notice-pdf\x00"  # keeps PDF signatures apart from token signatures


def seal(pdf: bytes, signer: core.Signer) -> bytes:
    """Append the signature of every preceding byte as the last line."""
    signature = signer.sign(CONTEXT + pdf)
    return pdf + SEAL + f"{signer.kid} {core.b32(signature)}\n".encode("ascii")


def _no(reason: str, message: str, kid: str | None = None) -> core.Verdict:
    return core.Verdict(False, reason, message, kid)


def verify_pdf(data: bytes, public_keys: dict) -> core.Verdict:
    """Check the PDF's own signature, then the token in its QR code."""
    cut = data.rfind(b"\n" + SEAL)
    if cut < 0 or not data.endswith(b"\n"):
        return _no("malformed", "This PDF carries no Garita signature.")
    body = data[: cut + 1]
    fields = data[cut + 1 + len(SEAL):-1].decode("ascii", "replace").split(" ")
    kid = fields[0] if len(fields) == 2 and core.KID.fullmatch(fields[0]) else None
    signature = core.unb32(fields[1]) if kid else None
    if kid is None or signature is None or len(signature) != 64:
        return _no("malformed", "The PDF's signature line is damaged.")
    key = public_keys.get(kid)
    if key is None:
        return _no("unknown_key", core.REASONS["unknown_key"], kid)
    try:
        key.verify(signature, CONTEXT + body)
    except InvalidSignature:
        return _no("bad_signature", "The PDF was changed after it was issued.", kid)
    token = token_in_pdf(body)
    if token is None:
        return _no("malformed", "No readable QR code in the PDF.", kid)
    return core.verify(token, public_keys)


def token_in_pdf(data: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        for page in PdfReader(io.BytesIO(data)).pages:
            for picture in page.images:
                if picture.image is None:  # pypdf types it optional; it raises rather than None
                    continue
                found = read_qr(picture.image.convert("L"))
                if found:
                    return found
    except (PyPdfError, ValueError, OSError):
        return None
    return None


def token_in_image(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError  # lazy: API worker memory (docs/benchmarks.md)

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return read_qr(image.convert("L"))


def verify_file(data: bytes, public_keys: dict) -> core.Verdict:
    """A PDF, a QR image, or a text file holding the token."""
    if data.startswith(b"%PDF"):
        return verify_pdf(data, public_keys)
    token = token_in_image(data)
    if token is None:
        try:
            token = data.decode("ascii").strip()
        except UnicodeDecodeError:
            return _no("malformed", "Neither a PDF, a readable QR image nor a token.")
    return core.verify(token, public_keys)
