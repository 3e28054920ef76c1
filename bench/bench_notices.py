"""Notices: sign + QR + PDF + PAdES per second, token verifications per second (the
standard GN2 tokens and, for notices issued before them, GN1), signed PDFs verified per second.

Realistic groups: sizes 1-10 (mostly small), Spanish-style names with
accents, languages in a mix like the scheme's (es most, then en, ht, pt, ru).
Prints figures and peak RSS. Usage:

    .venv/bin/python bench/bench_notices.py [--notices 600] [--verifies 20000] [--workers 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor

from garita.notices import core, keys, pades, render, seal, signed
from garita.notices.schemas import Member, NoticePayload

GIVEN = ["Ana María", "José", "Luis Alberto", "Sofía", "Jean-Baptiste", "Wilner", "Yulia",
         "Dmitri", "Guadalupe", "Marie-Carmel", "Héctor", "Nadège"]
FAMILY = ["Pérez Gómez", "Rodríguez", "Désir", "Joseph", "Ivanova", "Hernández Villalobos",
          "Jean-Louis", "Castillo Ñáñez", "Da Silva", "Petrov"]
LANGUAGES = ["es"] * 5 + ["en"] * 2 + ["ht"] * 2 + ["pt", "ru"]
RING = keys.build({}, {}, None, "benchmark secret", production=False)
FONT = render.find_font()


def payload(rng: random.Random, i: int) -> NoticePayload:
    size = min(10, 1 + int(rng.expovariate(0.6)))
    return NoticePayload(
        confirmation_number=core.confirmation_number(rng.randbytes(7)), port="SYS",
        appointment_date=dt.date(2024, 9, 13), slot=dt.time(8 + i % 8, 30),
        issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
        members=[Member(given_names=rng.choice(GIVEN), family_names=rng.choice(FAMILY),
                        date_of_birth=dt.date(1960 + rng.randrange(60), 1 + rng.randrange(12),
                                              1 + rng.randrange(28))) for _ in range(size)])


def issue(batch: tuple[int, int, str | None]) -> tuple[int, int, float]:
    """Sign, QR, PDF and PAdES-sign ``count`` notices; returns (count, bytes, seconds)."""
    seed, count, only = batch
    rng = random.Random(seed)
    work = [(payload(rng, i), only or rng.choice(LANGUAGES)) for i in range(count)]
    assert RING.signer is not None and RING.pdf_signer is not None
    kid = RING.signer.kid
    warm = render.pdf_bytes(work[0][0], core.sign(work[0][0], RING.signer), kid, "ru", FONT)
    pades.sign(warm, RING.pdf_signer)  # warm caches and imports
    start, size = time.perf_counter(), 0
    for p, language in work:
        token = core.sign(p, RING.signer)
        size += len(pades.sign(render.pdf_bytes(p, token, kid, language, FONT), RING.pdf_signer))
    return count, size, time.perf_counter() - start


def downloads(count: int) -> tuple[float, float]:
    """PDF downloads per second through the route's path (`notices.signed`): first
    downloads (render + sign) and re-downloads of the same notices and languages."""
    rng = random.Random(11)
    assert RING.signer is not None and RING.pdf_signer is not None
    kid = RING.signer.kid
    work = [(p, core.sign(p, RING.signer), rng.choice(LANGUAGES))
            for p in (payload(rng, i) for i in range(count))]
    signed.signed_pdf(*work[0][:2], kid, "ru", FONT, RING.pdf_signer)  # warm imports
    rates = []
    for _ in range(2):
        start = time.perf_counter()
        for p, token, language in work:
            signed.signed_pdf(p, token, kid, language, FONT, RING.pdf_signer)
        rates.append(count / (time.perf_counter() - start))
    return rates[0], rates[1]


def legacy(p: NoticePayload, signer: core.Signer) -> str:
    """A GN1 token, as notices issued before the standard format carry."""
    return core.sign_token(core.PREFIX, core.pack(p), signer)


def verify_many(job: tuple[int, str]) -> tuple[int, float, float]:
    count, fmt = job
    rng = random.Random(7)
    make = core.sign if fmt == "GN2" else legacy
    tokens = [make(payload(rng, i), RING.signer) for i in range(1000)]
    start = time.perf_counter()
    ok = sum(core.verify(tokens[i % 1000], RING.public).valid for i in range(count))
    took = time.perf_counter() - start
    assert ok == count
    return count, took, sum(map(len, tokens)) / len(tokens)


def verify_pdfs(count: int) -> float:
    """Signed PDFs checked per second: PAdES signature, then the QR token read back."""
    rng = random.Random(11)
    pdfs = []
    for i in range(20):
        p = payload(rng, i)
        body = render.pdf_bytes(p, core.sign(p, RING.signer), RING.signer.kid, "es", FONT)
        pdfs.append(pades.sign(body, RING.pdf_signer))
    seal.verify_pdf(pdfs[0], RING)  # warm imports
    start = time.perf_counter()
    assert all(seal.verify_pdf(pdfs[i % 20], RING).valid for i in range(count))
    return count / (time.perf_counter() - start)


def _raw_ed25519(count: int = 5000) -> float:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    message = b"x" * 300
    signature, public = key.sign(message), key.public_key()
    start = time.perf_counter()
    for _ in range(count):
        public.verify(signature, message)
    return count / (time.perf_counter() - start)


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notices", type=int, default=600)
    ap.add_argument("--verifies", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--pdfs", type=int, default=100, help="signed PDFs to verify")
    ap.add_argument("--downloads", type=int, default=200, help="notices downloaded twice")
    ap.add_argument("--downloads-only", action="store_true")
    args = ap.parse_args()
    if args.downloads_only:
        first, again = downloads(args.downloads)
        print(f"PDF downloads through notices.signed, 1 worker, {args.downloads} notices: "
              f"first {first:.0f}/s (render + sign), re-download {again:.0f}/s (kept)")
        return

    for only in (None, "es", "ru"):
        per = args.notices // args.workers
        start = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            results = list(pool.map(issue, [(w + 1, per, only) for w in range(args.workers)]))
        wall = time.perf_counter() - start
        done = sum(r[0] for r in results)
        busy = sum(r[2] for r in results)
        print(f"issue [{only or 'mix'}]: {done} notices (sign+QR+PDF+PAdES), {args.workers} "
              f"worker(s): {done / max(r[2] for r in results):.0f}/s "
              f"({done / busy:.0f}/s per worker; wall incl. start-up {wall:.2f} s), "
              f"mean PDF {sum(r[1] for r in results) / done / 1024:.1f} KiB")

    for fmt in ("GN2", "GN1"):
        raw = _raw_ed25519()
        per = args.verifies // args.workers
        with ProcessPoolExecutor(args.workers) as pool:
            results = list(pool.map(verify_many, [(per, fmt)] * args.workers))
        done, slowest = sum(r[0] for r in results), max(r[1] for r in results)
        print(f"verify {fmt}: {done} tokens (mean {results[0][2]:.0f} chars), {args.workers} "
              f"worker(s): {done / slowest:.0f}/s ({per / slowest:.0f}/s per worker); bare "
              f"Ed25519 verify in this process at the same time: {raw:.0f}/s (the machine's "
              f"ceiling per core now)")
    print(f"verify signed PDFs (PAdES + QR), 1 worker: {verify_pdfs(args.pdfs):.0f}/s")
    first, again = downloads(args.downloads)
    print(f"PDF downloads through notices.signed, 1 worker, {args.downloads} notices: first "
          f"{first:.0f}/s (render + sign), re-download {again:.0f}/s (kept)")
    print(f"peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
