"""The signed notice PDF, kept per (notice, language, signing key): a re-download does not
render and sign again.

Signing is most of a PDF's cost (the PAdES signature, 25-40 ms: docs/benchmarks.md), and
the signed bytes are not a function of their inputs: the signature carries its signing
time and ECDSA draws a fresh nonce, so two signings of one notice give two different
(both valid) files. Keeping the first also makes every download of it byte-identical.
A change of the notice (its token), the language or the signing key (rotation) is a new
entry. The cache is per worker process and bounded (`KEPT` files of ~8-17 KiB).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from garita.notices import pades, render
from garita.notices.pdfkeys import PdfKey
from garita.notices.schemas import NoticePayload

KEPT = 1024  # at most ~17 MB per worker


def signed_pdf(payload: NoticePayload, token: str, kid: str, language: str,
               font_file: Path | None, key: PdfKey) -> bytes:
    """The PAdES-signed PDF of a notice in ``language``, signed once per worker."""
    return _signed(payload.model_dump_json(), token, kid, language, font_file, key)


@lru_cache(maxsize=KEPT)
def _signed(payload_json: str, token: str, kid: str, language: str, font_file: Path | None,
            key: PdfKey) -> bytes:
    payload = NoticePayload.model_validate_json(payload_json)
    return pades.sign(render.pdf_bytes(payload, token, kid, language, font_file), key)


def kept() -> int:
    """How many signed PDFs this worker holds (for tests and metrics)."""
    return _signed.cache_info().currsize
