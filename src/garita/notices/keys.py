"""Key rings: the Ed25519 token keys, the PDF certificates, retired keys, the JWKS.

Keys are named by a short id (``kid``) printed into every token, so a notice
signed with a retired key still verifies as long as its public key stays in
the published set. With no signing key configured, a development key is
derived from the app's dev secret (kid ``DEV…``) — refused in production; the
same goes for the PDF's signing certificate (:mod:`garita.notices.pdfkeys`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from garita import keytext
from garita.notices import pdfkeys
from garita.notices.core import KID

# Key text and thumbprints are shared with the audit anchor signer (garita.keytext).
_b64, _unb64, public_raw = keytext.b64, keytext.unb64, keytext.public_raw
thumbprint_kid = keytext.thumbprint
private_from_text, public_from_text = keytext.private_from_text, keytext.public_from_text


@dataclass(frozen=True)
class ActiveSigner:
    kid: str
    key: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


@dataclass(frozen=True)
class KeyRing:
    """Token keys by kid (``public``), PDF certificates (DER) by kid (``pdf``), the
    active signers (None on a verify-only ring) and which kids are development keys."""

    public: dict[str, Ed25519PublicKey]
    signer: ActiveSigner | None = None
    dev: frozenset[str] = field(default_factory=frozenset)
    pdf: dict[str, bytes] = field(default_factory=dict)
    pdf_signer: pdfkeys.PdfKey | None = None

    def jwks(self) -> dict:
        """The public key set, JWKS-shaped: RFC 8037 OKP keys for the QR tokens (both
        formats), EC P-256 keys with their certificate (``x5c``) for the PDFs."""
        keys = []
        for kid, key in sorted(self.public.items()):
            jwk: dict[str, str | bool] = {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA",
                                          "use": "sig", "kid": kid, "x": _b64(public_raw(key))}
            if self.signer and kid == self.signer.kid:
                jwk["active"] = True
            if kid in self.dev:
                jwk["dev_only"] = True
            keys.append(jwk)
        for kid, cert in sorted(self.pdf.items()):
            entry: dict = pdfkeys.jwk(cert)
            if self.pdf_signer and kid == self.pdf_signer.kid:
                entry["active"] = True
            if kid in self.dev:
                entry["dev_only"] = True
            keys.append(entry)
        return {"keys": keys}


def from_jwks(text: str) -> KeyRing:
    """Read a published key set (verification only)."""
    data = json.loads(text)
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise ValueError('a key set is {"keys": [...]}')
    public, dev, pdf = {}, set(), {}
    for jwk in keys:
        if isinstance(jwk, dict) and jwk.get("kty") == "EC":
            cert = pdfkeys.from_jwk(jwk)
            pdf[pdfkeys.cert_kid(cert)] = cert
            if jwk.get("dev_only"):
                dev.add(jwk["kid"])
            continue
        if (not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519"
                or not KID.fullmatch(str(jwk.get("kid", "")))):
            raise ValueError(f"not an Ed25519 or a P-256 key with a valid kid: {jwk!r:.60}")
        public[jwk["kid"]] = public_from_text(jwk["x"])
        if jwk.get("dev_only"):
            dev.add(jwk["kid"])
    return KeyRing(public=public, dev=frozenset(dev), pdf=pdf)


def dev_key(secret: str) -> tuple[str, Ed25519PrivateKey]:
    """A deterministic development key from the dev secret. Never for production."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"garita-notices",
                info=b"development signing key").derive(secret.encode("utf-8"))
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return thumbprint_kid(key.public_key(), "DEV"), key


def build(signing: dict[str, str], retired: dict[str, str], active: str | None,
          dev_secret: str, production: bool, pdf_key: tuple[str, str] | None = None,
          pdf_retired: tuple[str, ...] = ()) -> KeyRing:
    """The ring the app runs with; raises ValueError naming the setting to fix.

    ``pdf_key`` is (private key, certificate) as PEM or base64 DER; ``pdf_retired``
    the certificates of earlier PDF keys, so PDFs signed with them still verify.
    """
    private = {}
    for kid, text in signing.items():
        if not KID.fullmatch(kid):
            raise ValueError(f"notice key id {kid!r}: use 1-16 characters A-Z and 0-9")
        private[kid] = private_from_text(text)
    dev: set[str] = set()
    if not private:
        if production:
            raise ValueError("GARITA_NOTICE_SIGNING_KEYS is empty: production needs a real "
                             "key (make one with `garita notice keygen`)")
        kid, key = dev_key(dev_secret)
        private, dev = {kid: key}, {kid}
    if active is None:
        if len(private) > 1:
            raise ValueError("several notice signing keys: set GARITA_NOTICE_ACTIVE_KID")
        active = next(iter(private))
    if active not in private:
        raise ValueError(f"GARITA_NOTICE_ACTIVE_KID={active} is not among the signing keys")
    public = {kid: key.public_key() for kid, key in private.items()}
    for kid, text in retired.items():
        if not KID.fullmatch(kid) or kid in public:
            raise ValueError(f"retired notice key id {kid!r} is invalid or also a signing key")
        public[kid] = public_from_text(text)
    pdf_signer, pdf = _pdf_keys(pdf_key, pdf_retired, dev_secret, production)
    if pdf_key is None:
        dev.add(pdf_signer.kid)
    return KeyRing(public=public, signer=ActiveSigner(active, private[active]),
                   dev=frozenset(dev), pdf=pdf, pdf_signer=pdf_signer)


def _pdf_keys(pdf_key: tuple[str, str] | None, retired: tuple[str, ...], dev_secret: str,
              production: bool) -> tuple[pdfkeys.PdfKey, dict[str, bytes]]:
    """The PDF signer (configured, or the dev one) and every certificate to accept."""
    if pdf_key is not None:
        signer = pdfkeys.load(*pdf_key)
    elif production:
        raise ValueError("GARITA_NOTICE_PDF_KEY is empty: production needs a real PDF "
                         "signing key (make one with `garita notice keygen`)")
    else:
        signer = pdfkeys.dev_key(dev_secret)
    certs = {signer.kid: signer.cert}
    for i, text in enumerate(retired):
        try:
            cert = pdfkeys.load_cert(text)
        except ValueError as exc:
            raise ValueError(f"GARITA_NOTICE_PDF_RETIRED_CERTS[{i}]: {exc}") from exc
        certs[pdfkeys.cert_kid(cert)] = cert
    return signer, certs


def generate() -> tuple[str, str, str]:
    """A new key pair: (kid, private seed base64url, public key base64url)."""
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    return thumbprint_kid(key.public_key()), _b64(seed), _b64(public_raw(key.public_key()))


def from_settings(settings) -> KeyRing:
    """The app's ring from its settings (the composition root calls this, engines don't)."""
    pdf_key = settings.notice_pdf_key
    pdf = None
    if pdf_key is not None or settings.notice_pdf_cert is not None:
        if pdf_key is None or settings.notice_pdf_cert is None:
            raise ValueError("set both GARITA_NOTICE_PDF_KEY and GARITA_NOTICE_PDF_CERT "
                             "(`garita notice keygen` prints them)")
        pdf = (pdf_key.get_secret_value(), settings.notice_pdf_cert)
    return build({k: v.get_secret_value() for k, v in settings.notice_signing_keys.items()},
                  settings.notice_retired_keys, settings.notice_active_kid,
                  settings.secret_key.get_secret_value(), settings.env == "production",
                  pdf, tuple(settings.notice_pdf_retired_certs))
