"""The PDF's signing key: ECDSA P-256 with a self-signed X.509 certificate.

Why not the Ed25519 notice key: PAdES readers in wide use (Adobe Acrobat and
Reader, Foxit, the EU DSS validator) check RSA and ECDSA signatures; EdDSA in
PDF (ISO/TS 32002) is not yet supported by most of them, so an Ed25519-signed
PDF would show as "unknown algorithm" there. P-256 is the smallest key every
one of them checks. The certificate is self-signed: readers show the signature
and that the document is unchanged, and say the signer is not in their trust
list until the operator adds it (or has it issued by a CA); ``garita notice
verify`` pins the published certificates instead of trusting a CA.

Certificates are named by a kid (``PDF`` + 5 base32 characters of the SHA-256
of the certificate), published in keys.json as EC JWKs with ``x5c``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from garita.notices.core import b32

DER = serialization.Encoding.DER
# The dev certificate is a pure function of the dev secret (fixed dates, deterministic
# ECDSA), so every process publishes the same one.
DEV_FROM, DEV_UNTIL = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
VALID_YEARS = 5


@dataclass(frozen=True)
class PdfKey:
    """The active PDF signer: its certificate (DER) and private key."""

    kid: str
    cert: bytes
    key: ec.EllipticCurvePrivateKey


def cert_kid(cert: bytes) -> str:
    return "PDF" + b32(hashlib.sha256(cert).digest())[:5]


def _der(text: str, pem_marker: str) -> bytes:
    """PEM text, or base64 DER on one line (what fits an environment variable)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        body = "".join(line for line in text.splitlines() if not line.startswith("-----"))
        if pem_marker not in text:
            raise ValueError(f"expected a PEM {pem_marker}")
        text = body
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ValueError(f"not PEM or base64 DER ({pem_marker})") from exc


def load_cert(text: str) -> bytes:
    """A certificate's DER bytes from PEM or base64 DER; raises ValueError if it is none."""
    der = _der(text, "CERTIFICATE")
    cert = x509.load_der_x509_certificate(der)
    if not isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        raise ValueError("the PDF certificate's key is not ECDSA")
    return der


def load(key_text: str, cert_text: str) -> PdfKey:
    """The configured signer; raises ValueError naming what does not fit."""
    try:
        key = serialization.load_der_private_key(_der(key_text, "PRIVATE KEY"), password=None)
    except ValueError as exc:
        raise ValueError("GARITA_NOTICE_PDF_KEY is not a PKCS#8 private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("GARITA_NOTICE_PDF_KEY must be an ECDSA P-256 key")
    try:
        cert = load_cert(cert_text)
    except ValueError as exc:
        raise ValueError(f"GARITA_NOTICE_PDF_CERT: {exc}") from exc
    if x509.load_der_x509_certificate(cert).public_key() != key.public_key():
        raise ValueError("GARITA_NOTICE_PDF_CERT does not belong to GARITA_NOTICE_PDF_KEY")
    return PdfKey(cert_kid(cert), cert, key)


def _certificate(key: ec.EllipticCurvePrivateKey, start: dt.datetime, end: dt.datetime,
                 serial: int) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Garita"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Garita appointment notices")])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(key, hashes.SHA256(), ecdsa_deterministic=True))
    return cert.public_bytes(DER)


def dev_key(secret: str) -> PdfKey:
    """A deterministic development signer from the dev secret. Never for production."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"garita-notices",
                info=b"development PDF signing key").derive(secret.encode("utf-8"))
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256 n
    key = ec.derive_private_key(int.from_bytes(seed, "big") % (order - 1) + 1, ec.SECP256R1())
    cert = _certificate(key, DEV_FROM, DEV_UNTIL, int.from_bytes(seed[:8], "big") >> 1)
    return PdfKey(cert_kid(cert), cert, key)


def generate(now: dt.datetime) -> tuple[str, str, str]:
    """A new signer: (kid, private key base64 DER PKCS#8, certificate base64 DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(key, now - dt.timedelta(days=1),
                        now + dt.timedelta(days=365 * VALID_YEARS), x509.random_serial_number())
    private = key.private_bytes(DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (cert_kid(cert), base64.b64encode(private).decode("ascii"),
            base64.b64encode(cert).decode("ascii"))


def _b64url(value: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes(32, "big")).decode("ascii").rstrip("=")


def jwk(cert: bytes) -> dict:
    """The certificate as a JWK (RFC 7517: EC P-256 with ``x5c``), for keys.json."""
    public = x509.load_der_x509_certificate(cert).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)  # load_cert admits only EC
    numbers = public.public_numbers()
    return {"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": cert_kid(cert),
            "x": _b64url(numbers.x), "y": _b64url(numbers.y),
            "x5c": [base64.b64encode(cert).decode("ascii")]}


def from_jwk(entry: dict) -> bytes:
    """The certificate of a published EC JWK; raises ValueError if it is not one of ours."""
    chain = entry.get("x5c")
    if not isinstance(chain, list) or not chain:
        raise ValueError(f"EC key {entry.get('kid')!r} has no certificate (x5c)")
    cert = load_cert(str(chain[0]))
    if cert_kid(cert) != entry.get("kid"):
        raise ValueError(f"EC key {entry.get('kid')!r}: kid does not match its certificate")
    return cert
