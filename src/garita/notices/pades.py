"""The notice PDF signed as PAdES (ETSI EN 319 142, baseline B-B) with pyHanko.

The signature is a CMS object in a signature field covering the whole file,
which every PAdES reader shows in its signature panel and re-checks; a change
saved as an incremental update leaves the signature intact but no longer
covering the file, and a re-save (full rewrite) breaks its byte ranges — both
are told apart here. Offline, nothing is fetched: the signer's certificate must
be one of the published ones (pinned, :mod:`garita.notices.pdfkeys`).

pyHanko is imported lazily: it loads ~40 MB of modules that the API worker
needs only on the PDF routes (see tests/test_import_footprint.py).
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from typing import Any

from garita.notices.pdfkeys import PdfKey, cert_kid

FIELD = "GaritaNotice"
# Room for the CMS object beyond the certificate it embeds: the P-256 signature and the
# signed attributes take ~0.45 kB. Fixing the room skips pyHanko's trial signature (2×
# faster); pyHanko counts it in hex digits, two to a byte.
ROOM = 1024


@lru_cache(maxsize=4)
def _signer(key: PdfKey) -> Any:
    """pyHanko's signer for a key, kept: the parsed certificate is reused (2× faster)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    private = key.key.private_bytes(serialization.Encoding.DER,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    return signers.SimpleSigner(signing_cert=asn1_x509.Certificate.load(key.cert),
                                signing_key=asn1_keys.PrivateKeyInfo.load(private),
                                cert_registry=SimpleCertificateStore())


def sign(pdf: bytes, key: PdfKey) -> bytes:
    """The PDF with an invisible PAdES signature over all of it, appended incrementally."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES,
                                        reason="Garita appointment notice",
                                        name="Garita appointment notices")
    out = signers.PdfSigner(meta, signer=_signer(key)).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        bytes_reserved=2 * (ROOM + len(key.cert)))
    return out.getvalue()


def has_signature(data: bytes) -> bool:
    """Whether the PDF has a signature dictionary at all (cheap: no parsing)."""
    return b"/ByteRange" in data and b"/Sig" in data


def _exactly_as_signed(contents: bytes) -> bool:
    """Hold the bytes that no signature covers, too, so that every byte of the file counts.

    PDF leaves the zero padding of the reserved space unsigned, and CMS its outer parts
    (e.g. the SignedData's list of digest algorithms). We accept only what we write: DER
    that re-encodes to itself, zeros after it, one signer, the same digest algorithm
    outside as inside, the versions we write, nothing unsigned on the signer.
    """
    from asn1crypto import cms, parser

    _, _, _, header, body, trailer = parser.parse(contents, strict=False)
    used = len(header) + len(body) + len(trailer)
    if contents[used:].strip(b"\0"):
        return False
    info = cms.ContentInfo.load(contents[:used])
    if info.copy().dump(force=True) != contents[:used] or info["content_type"].native != (
            "signed_data"):
        return False
    data = info["content"]
    signers = data["signer_infos"]
    return (len(signers) == 1 and not signers[0]["unsigned_attrs"]
            and data["version"].native == signers[0]["version"].native == "v1"
            and [a.dump() for a in data["digest_algorithms"]]
            == [signers[0]["digest_algorithm"].dump()]
            and not data["crls"] and len(data["certificates"]) == 1)


def verify(data: bytes, certs: dict[str, bytes]) -> tuple[str, str | None, str]:
    """(reason, kid, message) for the PDF's signature against pinned certificates.

    reason is ``ok``, ``malformed`` (no readable signature), ``unknown_key``,
    ``bad_signature`` (bytes changed: re-saved or edited in place) or
    ``modified`` (something was appended after signing).
    """
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        found = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return "malformed", None, f"Not a readable PDF ({exc})."
    if len(found) != 1:
        return "malformed", None, ("This PDF carries no signature." if not found else
                                   "This PDF carries more than one signature.")
    sig = found[0]
    try:
        signer_cert = sig.signer_cert
        exact = _exactly_as_signed(bytes(sig.sig_object["/Contents"]))
    except (ValueError, KeyError, TypeError, PdfError) as exc:
        return "malformed", None, f"The PDF's signature cannot be read ({exc})."
    kid = cert_kid(signer_cert.dump())
    if kid not in certs or certs[kid] != signer_cert.dump():
        return "unknown_key", kid, "Signed with a certificate that is not in the public key set."
    changed = ("bad_signature", kid, "The PDF was changed after it was signed (re-saved or "
                                     "edited): its signature no longer matches.")
    if not exact:
        return changed
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(certs[kid])],
                                allow_fetching=False)
    # pyHanko logs each refused signature with a traceback; the verdict says it once.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception:  # any failure inside the validator on bytes we checked: not as signed
        return changed
    if not (status.intact and status.valid):
        return changed
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return "modified", kid, ("The PDF was edited after it was signed: the signed version "
                                 "is intact, but changes were appended to it.")
    if not status.trusted:
        return "unknown_key", kid, "The signing certificate is not valid now (expired?)."
    return "ok", kid, "PDF signature valid: the document is as issued."
