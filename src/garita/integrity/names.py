"""Pure name matching: normalise, prefilter, shortlist, and a score that explains itself.

Candidates come the way the U.S. sanctions-list search finds them (block
keys per part, then whole-name Jaro-Winkler and token-set shortlists); the
score is the evidence model of :mod:`garita.integrity.scoring` (part
frequencies, every listed part accounted for, date of birth and nationality
both ways), returned with every feature that fired, as OpenSanctions does.
Nothing here touches a database, settings or the clock.

Ties: candidates are ranked by (score desc, whole-name similarity desc, entry
id asc); several entries with the same normalised name therefore share the
top score and all count as rank 1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from garita.integrity.scoring import (
    WEIGHTS,
    Frequencies,
    NameEvidence,
    Weights,
    dob_text,
    dob_verdict,
    name_evidence,
    nationality_evidence,
    tier,
    to_score,
)
from garita.text import normalise_name as normalise  # one normalisation: screening, draw keys

PHONETIC_FLOOR = 0.90  # a phonetic agreement counts as at least this similar


def tokens(normalised: str) -> list[str]:
    return normalised.split()


@lru_cache(maxsize=200_000)
def metaphone(token: str) -> str:
    import jellyfish  # lazy, as is rapidfuzz: API worker memory (docs/benchmarks.md)

    return jellyfish.metaphone(token) or token


def block_keys(toks: list[str]) -> set[str]:
    """Keys a candidate must share with the query: each part's metaphone and 3-letter prefix.

    Two keys per part mean one changed letter rarely hides a part: the other
    key, or another part, still brings the entry into the candidate set.
    """
    keys: set[str] = set()
    for t in toks:
        if len(t) < 2:
            continue
        keys.add("p:" + t[:3])
        keys.add("m:" + metaphone(t))
    return keys


@dataclass(frozen=True)
class ListName:
    """One name (primary or alias) of a list entry, with what the score needs."""

    entry_id: int
    name: str
    normalised: str
    dates_of_birth: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    is_alias: bool = False
    weak: bool = False  # OFAC's "weak a.k.a." (a nickname): scored with a penalty


@dataclass(frozen=True)
class Query:
    name: str
    date_of_birth: dt.date | None = None
    nationality: str | None = None


def _matrix(left: list[str], right: list[str]) -> list[list[tuple[float, bool]]]:
    """(Jaro-Winkler, sounds alike) per part pair, raised to a floor where sounds agree.

    Names have a handful of parts: plain loops over rapidfuzz beat array
    set-up costs here (measured: ~5x faster than a ``cdist`` per pair of names).
    """
    from rapidfuzz.distance import JaroWinkler

    jw = JaroWinkler.normalized_similarity
    mr = [metaphone(t) if len(t) > 2 else None for t in right]
    rows = []
    for a in left:
        ma = metaphone(a) if len(a) > 2 else None
        row = []
        for b, mb in zip(right, mr, strict=True):
            sim, phon = jw(a, b), ma is not None and ma == mb
            row.append((PHONETIC_FLOOR if phon and sim < PHONETIC_FLOOR else sim, phon))
        rows.append(row)
    return rows


def whole_name(q: list[str], c: list[str]) -> float:
    """Jaro-Winkler of the sorted parts: the list-search yardstick, reported beside the score."""
    from rapidfuzz.distance import JaroWinkler

    return JaroWinkler.normalized_similarity(" ".join(sorted(q)), " ".join(sorted(c)))


def explain(query: Query, cand: ListName, index: NameIndex | None = None) -> dict:
    """Score one candidate and say why (see :mod:`garita.integrity.scoring`).

    With no index, part frequencies are those of this one name (every part rare).
    """
    idx = index or NameIndex([cand])
    q = tokens(normalise(query.name))
    return idx.scored(query, cand, idx.evidence(q, tokens(cand.normalised)),
                      whole_name(q, tokens(cand.normalised)))


@dataclass
class NameIndex:
    """The list's names with an inverted index of block keys, built once per list version."""

    names: list[ListName]
    frequencies: Frequencies | None = None  # list + registrations; the list's own if None
    weights: Weights = WEIGHTS
    keep: int = 5  # shortlisted per query, by each of the two vectorised scores
    gate: float = 0.55  # and only if one of them reaches this (no part in common below it)
    _keys: dict[str, list[int]] = field(default_factory=dict)
    _sorted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.names):
            for k in block_keys(tokens(n.normalised)):
                index[k].append(i)
        self._keys = dict(index)
        self._sorted = [" ".join(sorted(tokens(n.normalised))) for n in self.names]
        self._freq = self.frequencies or Frequencies().add(n.normalised for n in self.names)
        self._bits: dict[str, float] = {}

    def bits(self, part: str) -> float:
        """What one name part says, in bits (cached: parts repeat across people)."""
        got = self._bits.get(part)
        if got is None:
            got = self._bits[part] = self._freq.bits(part, self.weights)
        return got

    def evidence(self, q: list[str], c: list[str]) -> NameEvidence:
        bits = {t: self.bits(t) for t in (*q, *c)}
        return name_evidence(q, c, _matrix(q, c), bits, self.weights)

    def name_matches(self, normalised: str) -> list[tuple[int, NameEvidence, float]]:
        """(list name index, name evidence, whole-name similarity) of the shortlisted names.

        The one candidate step of both the search route and the batch run:
        same candidates, same evidence, so the two cannot disagree.
        """
        q = tokens(normalised)
        if not q:
            return []
        cand, whole = self.shortlist(normalised, keep=self.keep, gate=self.gate, strict=True,
                                     with_scores=True)
        return [(int(i), self.evidence(q, tokens(self.names[i].normalised)), float(jw))
                for i, jw in zip(cand, whole, strict=True)]

    def scored(self, query: Query, cand: ListName, ev: NameEvidence, whole: float) -> dict:
        """The full explanation of one (query, listed name): every term and its reason."""
        w = self.weights
        dob_bits, dob_code, dob_years = dob_verdict(query.date_of_birth, cand.dates_of_birth, w)
        nat_bits, nat_how = nationality_evidence(query.nationality, cand.countries, w)
        weak_bits = w.weak_alias if cand.weak else 0.0
        total = ev.bits + dob_bits + nat_bits + weak_bits
        score = round(to_score(total, w), 4)
        return {
            "score": score, "tier": tier(score), "bits": round(total, 2),
            "name_bits": ev.bits, "ofac_score": round(whole * 100), "whole_name": round(whole, 4),
            "parts": ev.parts(), "missing_listed_parts": ev.missing_parts(),
            "extra_parts": ev.extra_parts(),
            "date_of_birth": {"agreement": dob_text(dob_code, dob_years), "code": dob_code,
                              "years": dob_years, "bits": dob_bits,
                              "listed": list(cand.dates_of_birth)},
            "country": {"agreement": nat_how, "code": nat_how, "bits": nat_bits,
                        "listed": list(cand.countries)},
            "entry_id": cand.entry_id, "listed_name": cand.name, "alias": cand.is_alias,
            "weak_alias": {"bits": weak_bits} if cand.weak else None,
        }

    def _part_ids(self, part: str) -> np.ndarray:
        """Entries sharing a key with one name part; cached, as parts repeat across people."""
        cache = self.__dict__.setdefault("_part_cache", {})
        if part not in cache:
            hits = [self._keys[k] for k in block_keys([part]) if k in self._keys]
            cache[part] = (np.unique(np.concatenate(hits)) if hits
                           else np.empty(0, dtype=np.int64))
        return cache[part]

    def candidates(self, normalised: str, strict: bool = False) -> np.ndarray:
        """Entries sharing a block key with the query.

        ``strict`` (bulk screening) keeps only entries matching two of the
        query's parts when any do: ~3x faster, at the cost of a part whose
        every key a typo changed. Interactive search is not strict.
        """
        per_part = [ids for t in set(tokens(normalised)) if len(ids := self._part_ids(t))]
        if not per_part:
            return np.empty(0, dtype=np.int64)
        ids, counts = np.unique(np.concatenate(per_part), return_counts=True)
        if not strict:
            return ids
        strong = ids[counts >= min(2, len(per_part))]
        return strong if len(strong) else ids

    def shortlist(self, normalised: str, keep: int = 8, gate: float = 0.0,
                  strict: bool = False, with_scores: bool = False,
                  ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Candidates, then the best few by two vectorised scores (rapidfuzz ``cdist``).

        Whole-name Jaro-Winkler on sorted parts catches swaps and typos; the
        token-set ratio catches a name given in part ("Manuel Noriega" for
        "NORIEGA, Manuel Antonio"). ``gate`` drops candidates below it on both.
        ``with_scores`` also returns each kept candidate's whole-name similarity.
        """
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import JaroWinkler

        cand = self.candidates(normalised, strict)
        if not len(cand):
            return (cand, np.empty(0)) if with_scores else cand
        probe = " ".join(sorted(tokens(normalised)))
        choices = [self._sorted[i] for i in cand]
        jw = process.cdist([probe], choices, scorer=JaroWinkler.normalized_similarity)[0]
        ts = process.cdist([probe], choices, scorer=fuzz.token_set_ratio)[0] / 100
        best = np.maximum(jw, ts)
        if gate:
            keep_mask = best >= gate
            cand, jw, ts = cand[keep_mask], jw[keep_mask], ts[keep_mask]
        if len(cand) > keep:
            top = np.unique(np.concatenate([np.argsort(-jw, kind="stable")[:keep],
                                            np.argsort(-ts, kind="stable")[:keep]]))
            cand, jw = cand[top], jw[top]
        return (cand, jw) if with_scores else cand

    def search(self, query: Query, limit: int = 5, threshold: float = 0.0) -> list[dict]:
        """Best matches first, one per entry (ties by whole-name similarity, then entry id)."""
        best: dict[int, dict] = {}
        for i, ev, whole in self.name_matches(normalise(query.name)):
            s = self.scored(query, self.names[i], ev, whole)
            if s["entry_id"] not in best or s["score"] > best[s["entry_id"]]["score"]:
                best[s["entry_id"]] = s
        ranked = sorted(best.values(), key=lambda s: (-s["score"], -s["whole_name"],
                                                      s["entry_id"]))
        return [s for s in ranked if s["score"] >= threshold][:limit]
