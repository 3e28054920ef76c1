"""The screening score: evidence in bits, from name parts, date of birth and nationality.

Pure. A match is scored the way the field weighs it (OpenSanctions'
matchers, the name-frequency models of list-screening vendors): how much a
name part says depends on how common it is — "Mohammad", "Aleksandr",
"Zhang" or "González" say little, "Kozlov" or "Quintero" much more — so
each part carries ``-log2`` of its frequency in the list and in the
registrations (:class:`Frequencies`). Every part of the listed name is
accounted for: one the query lacks costs part of its bits, as does a query
part the list lacks. Date of birth and nationality are evidence both ways
(a child is not a listed adult born in 1960). The sum of bits becomes a
0-1 score through a logistic curve; every term is returned with its reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Weights:
    """Model parameters (bits unless said otherwise); documented, versioned with the code."""

    prior_tokens: float = 200_000  # pseudo-count: a small database does not make names rare
    floor_bits: float = 3.0  # the commonest name part still says this much
    cap_bits: float = 17.0  # and the rarest at most this much
    min_similarity: float = 0.80  # parts less alike than this (Jaro-Winkler) are unmatched
    similarity_power: float = 4.0  # a part matched at similarity s gives s**power of its bits
    missing_listed: float = 0.25  # share of a listed part's bits lost when the query lacks it
    extra_query: float = 0.25  # share of a query part's bits lost when the list lacks it
    extra_cap_bits: float = 10.0  # an unmatched query part costs at most this (typos are rare)
    dob_same: float = 12.0  # same date of birth
    dob_same_year: float = 5.0  # the list gives only the year, and it is the same
    dob_year_other_day: float = 2.0  # same year, another day than the listed one
    dob_one_year: float = 0.0  # a year apart (age given, not the date)
    dob_few_years: float = -6.0  # 2-4 years apart
    dob_far: float = -15.0  # 5 or more years apart
    weak_alias: float = -6.0  # matched on a listed nickname ("weak a.k.a.") only
    nationality_same: float = 3.0
    nationality_other: float = -4.0
    midpoint_bits: float = 15.5  # total bits scoring 0.5 (chosen on the evaluation, docs)
    scale_bits: float = 3.0  # bits per doubling of the odds

    @property
    def max_adjust(self) -> float:
        return self.dob_same + self.nationality_same


WEIGHTS = Weights()


@dataclass
class Frequencies:
    """How often each normalised name part occurs, in the list and in the registrations."""

    counts: Counter = field(default_factory=Counter)
    total: int = 0

    def add(self, names: Iterable[str]) -> Frequencies:
        for name in names:
            parts = name.split()
            self.counts.update(parts)
            self.total += len(parts)
        return self

    def bits(self, part: str, w: Weights = WEIGHTS) -> float:
        raw = math.log2((self.total + w.prior_tokens) / (self.counts.get(part, 0) + 1))
        return min(w.cap_bits, max(w.floor_bits, raw))


@dataclass(frozen=True)
class NameEvidence:
    """The alignment of a query's parts with a listed name's, and the bits it adds up to.

    Kept as indices and numbers (the batch run scores millions of pairs and
    explains only the hits); :meth:`parts`, :meth:`missing_parts` and
    :meth:`extra_parts` spell it out.
    """

    bits: float
    q: tuple[str, ...]
    c: tuple[str, ...]
    matched: tuple[tuple[int, int, float, bool, float], ...]  # (i, j, similarity, sounds, bits)
    missing: tuple[tuple[int, float], ...]  # (j, bits) listed parts the query lacks
    extra: tuple[tuple[int, float], ...]  # (i, bits) query parts the list name lacks

    def parts(self) -> list[dict]:
        return [{"part": self.q[i], "matched": self.c[j],
                 "how": ("exact" if self.q[i] == self.c[j] else "sounds alike" if phon
                         else "spelling"), "similarity": round(sim, 3), "bits": round(got, 2)}
                for i, j, sim, phon, got in self.matched]

    def missing_parts(self) -> list[dict]:
        return [{"part": self.c[j], "bits": round(b, 2)} for j, b in self.missing]

    def extra_parts(self) -> list[dict]:
        return [{"part": self.q[i], "bits": round(b, 2)} for i, b in self.extra]


def name_evidence(q: list[str], c: list[str], sims: list[list[tuple[float, bool]]],
                  bits: dict[str, float], w: Weights = WEIGHTS) -> NameEvidence:
    """Align query and listed parts one to one (best pairs first) and add up their bits.

    ``sims[i][j]`` is (similarity, sounds alike) of query part i and listed part j.
    """
    pairs = sorted(((sims[i][j][0], i, j) for i in range(len(q)) for j in range(len(c))),
                   reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched = []
    total = 0.0
    for sim, i, j in pairs:
        if sim < w.min_similarity or i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        # the rarer of the two spellings would overstate a near miss ("hassane" for "hassan")
        got = sim ** w.similarity_power * min(bits[q[i]], bits[c[j]])
        total += got
        matched.append((i, j, sim, sims[i][j][1], got))
    missing = tuple((j, -w.missing_listed * bits[c[j]]) for j in range(len(c))
                    if j not in used_c)
    extra = tuple((i, -w.extra_query * min(bits[q[i]], w.extra_cap_bits))
                  for i in range(len(q)) if i not in used_q)
    total += sum(b for _, b in missing) + sum(b for _, b in extra)
    return NameEvidence(round(total, 2), tuple(q), tuple(c), tuple(matched), missing, extra)


DOB_TEXT = {"unknown": "unknown", "same_date": "same date",
            "same_year_only": "same year (the list gives the year only)",
            "same_year": "same year, another day", "one_year": "a year apart",
            "years_apart": "born {years} years apart"}


def dob_text(code: str, years: int | None = None) -> str:
    """The English words of a date-of-birth agreement code (the API's ``agreement``)."""
    return DOB_TEXT.get(code, code).format(years=years)


def dob_code(text: str) -> tuple[str, int | None]:
    """(code, years) back from the English words, for evidence stored before codes were."""
    for code, words in DOB_TEXT.items():
        if "{years}" not in words and words == text:
            return code, None
    apart = re.fullmatch(r"born (\d+) years apart", text or "")
    return ("years_apart", int(apart.group(1))) if apart else ("unknown", None)


def dob_verdict(query: dt.date | None, listed: tuple[str, ...],
                w: Weights = WEIGHTS) -> tuple[float, str, int | None]:
    """(bits, agreement code, years apart): the code is what pages translate."""
    if query is None or not listed:
        return 0.0, "unknown", None
    if query.isoformat() in listed:
        return w.dob_same, "same_date", 0
    years = {int(d[:4]) for d in listed if d[:4].isdigit()}
    if not years:
        return 0.0, "unknown", None
    if query.year in years:
        only_years = not any(len(d) == 10 and int(d[:4]) == query.year for d in listed)
        return ((w.dob_same_year, "same_year_only", 0) if only_years
                else (w.dob_year_other_day, "same_year", 0))
    gap = min(abs(y - query.year) for y in years)
    if gap == 1:
        return w.dob_one_year, "one_year", 1
    return (w.dob_few_years if gap <= 4 else w.dob_far), "years_apart", gap


def nationality_evidence(query: str | None, listed: tuple[str, ...],
                         w: Weights = WEIGHTS) -> tuple[float, str]:
    if not query or not listed:
        return 0.0, "unknown"
    return (w.nationality_same, "same") if query in listed else (w.nationality_other,
                                                                 "different")


def to_score(total_bits: float, w: Weights = WEIGHTS) -> float:
    """Bits of evidence → 0-1 (0.5 at ``midpoint_bits``)."""
    return 1.0 / (1.0 + 2.0 ** (-(total_bits - w.midpoint_bits) / w.scale_bits))


def bits_for(score: float, w: Weights = WEIGHTS) -> float:
    """The total bits a score needs (inverse of :func:`to_score`)."""
    score = min(max(score, 1e-9), 1 - 1e-9)
    return w.midpoint_bits + w.scale_bits * math.log2(score / (1 - score))


TIERS = ((0.90, "act"), (0.80, "review"), (0.0, "note"))
SEVERITY = {"act": "high", "review": "medium", "note": "low"}


def tier(score: float) -> str:
    """act: an officer must act before admission; review: an analyst looks; note: recorded."""
    return next(name for floor, name in TIERS if score >= floor)
