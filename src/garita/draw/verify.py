"""Rerun a published draw from its files alone and say whether it is identical. Pure.

Checks, in order, and stops at the first difference:
1. the revealed seed hashes to the committed ``seed_sha256``;
2. the road table, when the publication has one (``road_times``, recorded when the
   draw ran), hashes to ``road_times_sha256``; ``inputs.csv`` hashes to
   ``inputs_sha256`` (recorded when the draw ran);
3. `core.draw` on the inputs, bins, share and seed, under the manifest's rule
   (``first-fit`` for a format-v1 manifest, which names none), gives, row by row, the
   rows of ``results.csv``;
4. the recomputed winners hash to ``result_digest``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from garita.draw import core, publication

FILES = ("publication.json", "inputs.csv", "results.csv")


@dataclass(frozen=True)
class Verdict:
    identical: bool
    difference: str | None = None
    requests: int = 0
    winners: int = 0

    def __str__(self) -> str:
        if self.identical:
            return f"identical: {self.requests} requests, {self.winners} winners recomputed"
        return f"different: {self.difference}"


def verify_dir(directory: Path) -> Verdict:
    missing = [f for f in FILES if not (directory / f).is_file()]
    if missing:
        raise FileNotFoundError(f"{directory} lacks {', '.join(missing)}; "
                                "use the output of 'garita draw publish'")
    manifest = json.loads((directory / "publication.json").read_text("utf-8"))
    return verify(manifest, publication.read_inputs_csv(directory / "inputs.csv"),
                  publication.read_results_csv(directory / "results.csv"))


def rerun(manifest: dict, inputs: pl.DataFrame) -> core.DrawResult:
    """The draw recomputed from the manifest and the input rows."""
    ports = manifest["ports"]
    index = {code: i for i, code in enumerate(ports)}
    requests = core.DrawRequests(
        ticket=inputs["ticket"].to_numpy(),
        port=inputs["port"].replace_strict(index, return_dtype=pl.Int16).to_numpy(),
        size=inputs["size"].to_numpy(),
        registered_at=publication.epoch_days(inputs["registered_on"]) * 86_400,
        earliest=publication.earliest_of(inputs),
    )
    bins = publication.bins_from_json(manifest["bins"], ports)
    return core.draw(requests, bins, Decimal(manifest["longest_waiting_share"]),
                     bytes.fromhex(manifest["seed"]), rule=publication.rule_of(manifest))


def verify(manifest: dict, inputs: pl.DataFrame, results: pl.DataFrame) -> Verdict:
    if hashlib.sha256(bytes.fromhex(manifest["seed"])).hexdigest() != manifest["seed_sha256"]:
        return Verdict(False, "the seed does not hash to the committed seed_sha256")
    if publication.rule_of(manifest) not in core.RULES:
        return Verdict(False, f"publication.json names draw rule {manifest['rule']!r}, which "
                              f"this verifier does not know ({', '.join(core.RULES)})")
    if manifest.get("road_times") is not None and publication.road_times_digest(
            manifest["road_times"]) != manifest.get("road_times_sha256"):
        return Verdict(False, "the road_times in publication.json do not hash to its "
                              "road_times_sha256 recorded when the draw ran")
    index = {code: i for i, code in enumerate(manifest["ports"])}
    unknown = set(inputs["port"].unique().to_list()) - set(index)
    if unknown:
        return Verdict(False, f"inputs.csv names unknown ports {sorted(unknown)}")
    ports = inputs["port"].replace_strict(index, return_dtype=pl.Int16).to_numpy()
    digest = publication.inputs_digest(
        inputs["ticket"].to_numpy(), ports, inputs["size"].to_numpy(),
        publication.epoch_days(inputs["registered_on"]) * 86_400, publication.earliest_of(inputs))
    if digest != manifest["inputs_sha256"]:
        return Verdict(False, "inputs.csv does not hash to the inputs_sha256 recorded when the "
                              "draw ran: an input row was changed, added or removed")
    try:
        result = rerun(manifest, inputs)
    except ValueError as exc:
        return Verdict(False, f"the inputs cannot be drawn: {exc}")
    first = first_difference(publication.results_frame(result, manifest["ports"]), results)
    if first is not None:
        return Verdict(False, first)
    if core.allocation_digest(result) != manifest["result_digest"]:
        return Verdict(False, "the recomputed winners do not hash to result_digest")
    return Verdict(True, requests=inputs.height, winners=len(result))


def first_difference(recomputed: pl.DataFrame, published: pl.DataFrame) -> str | None:
    """The first row (1-based, after the header) where two result tables differ."""
    cols = list(publication.RESULT_COLUMNS)
    mine, theirs = recomputed.select(cols).rows(), published.select(cols).rows()
    for i, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
        if a != b:
            return f"results.csv row {i}: published {_fmt(b)}, recomputed {_fmt(a)}"
    if len(mine) != len(theirs):
        i = min(len(mine), len(theirs)) + 1
        extra = f"published {_fmt(theirs[i - 1])}" if len(theirs) > len(mine) else \
            f"recomputed {_fmt(mine[i - 1])} is missing"
        return f"results.csv row {i}: {extra} ({len(theirs)} published, {len(mine)} recomputed)"
    return None


def _fmt(row: tuple) -> str:
    return ",".join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in row)
