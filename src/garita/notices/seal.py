"""Verifying a notice PDF (either signature) and reading a notice back from a file.

New PDFs carry a PAdES signature (:mod:`garita.notices.pades`). PDFs issued
before it carry the legacy seal: the Ed25519 signature of every preceding byte
appended as a final PDF comment line ``%GARITA-NOTICE-SIG <KID> <BASE32>``
(readers skip comments, so it shows nowhere and any re-save loses it); those
still verify here with the token keys. Either way the QR token is checked too.
"""

from __future__ import annotations

import io

from cryptography.exceptions import InvalidSignature

from garita.notices import core, pades
from garita.notices.keys import KeyRing
from garita.notices.render import read_qr

SEAL = b"%GARITA-NOTICE-SIG "
CONTEXT = b"garita-notice-pdf\x00"  # keeps PDF signatures apart from token signatures


def _no(reason: str, message: str, kid: str | None = None) -> core.Verdict:
    return core.Verdict(False, reason, message, kid)


def verify_pdf(data: bytes, ring: KeyRing) -> core.Verdict:
    """Check the PDF's signature (PAdES, or the legacy seal), then the token in its QR code."""
    cut = data.rfind(b"\n" + SEAL)
    if cut >= 0 and data.endswith(b"\n"):
        return _verify_legacy(data, cut, ring.public)
    if not pades.has_signature(data):
        return _no("malformed", "This PDF carries no Garita signature.")
    reason, kid, message = pades.verify(data, ring.pdf)
    if reason != "ok":
        return _no(reason, message, kid)
    token = token_in_pdf(data)
    if token is None:
        return _no("malformed", "No readable QR code in the PDF.", kid)
    return core.verify(token, ring.public)


def _verify_legacy(data: bytes, cut: int, public_keys: dict) -> core.Verdict:
    """The comment seal of PDFs issued before PAdES."""
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


def verify_file(data: bytes, ring: KeyRing) -> core.Verdict:
    """A PDF, a QR image, or a text file holding the token."""
    if data.startswith(b"%PDF"):
        return verify_pdf(data, ring)
    token = token_in_image(data)
    if token is None:
        try:
            token = data.decode("ascii").strip()
        except UnicodeDecodeError:
            return _no("malformed", "Neither a PDF, a readable QR image nor a token.")
    return core.verify(token, ring.public)
