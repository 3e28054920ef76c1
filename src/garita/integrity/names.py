"""Pure name matching: normalise, prefilter, and a score that explains itself.

The design follows the U.S. sanctions-list search (prefilter, then Jaro-Winkler
on the whole name and on its parts, with a phonetic check, reporting the
higher) and OpenSanctions' practice of returning every feature that fired.
Nothing here touches a database, settings or the clock.

Ties: candidates are ranked by (score desc, whole-name similarity desc, entry
id asc); several entries with the same normalised name therefore share the
top score and all count as rank 1.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
PHONETIC_FLOOR = 0.90  # a phonetic agreement counts as at least this similar


def normalise(name: str) -> str:
    """Transliterate (anyascii), lower-case, drop punctuation; 'LAST, First' order is kept."""
    text = anyascii(name).lower().replace("-", " ").replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


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


def name_score(q: list[str], c: list[str]) -> tuple[float, float, list]:
    """max(whole-name JW on sorted parts, symmetric length-weighted best-part mean)."""
    from rapidfuzz.distance import JaroWinkler

    whole = JaroWinkler.normalized_similarity(" ".join(sorted(q)), " ".join(sorted(c)))
    if not q or not c:
        return whole, whole, []
    m = _matrix(q, c)
    fwd = sum(max(x[0] for x in row) * len(a) for row, a in zip(m, q, strict=True))
    back = sum(max(row[j][0] for row in m) * len(b) for j, b in enumerate(c))
    parts = (fwd / sum(map(len, q)) + back / sum(map(len, c))) / 2
    return max(whole, parts), whole, m


def _parts(q: list[str], c: list[str], m: list) -> list[dict]:
    out = []
    for a, row in zip(q, m, strict=True):
        j = max(range(len(row)), key=lambda k: row[k][0])
        sim, phon = row[j]
        how = ("exact" if a == c[j] else "phonetic" if phon and sim == PHONETIC_FLOOR
               else "jaro_winkler")
        out.append({"part": a, "matched": c[j], "how": how, "score": round(sim, 3)})
    return out


def _dob(query: dt.date | None, listed: tuple[str, ...]) -> tuple[float, str]:
    if query is None or not listed:
        return 0.0, "unknown"
    full, years = query.isoformat(), {d[:4] for d in listed}
    if full in listed:
        return 0.05, "same date"
    if str(query.year) in years:
        return 0.02, "same year"
    if any(y.isdigit() and abs(int(y) - query.year) <= 1 for y in years):
        return 0.0, "within a year"
    return -0.10, "different"


def _country(query: str | None, listed: tuple[str, ...]) -> tuple[float, str]:
    if not query or not listed:
        return 0.0, "unknown"
    return (0.03, "same") if query in listed else (-0.05, "different")


def adjustments(query: Query, cand: ListName) -> tuple[float, str, float, str]:
    dob_adj, dob_how = _dob(query.date_of_birth, cand.dates_of_birth)
    cty_adj, cty_how = _country(query.nationality, cand.countries)
    return dob_adj, dob_how, cty_adj, cty_how


def explain(query: Query, cand: ListName) -> dict:
    """Score one candidate and say why: parts, methods, date of birth, country."""
    q, c = tokens(normalise(query.name)), tokens(cand.normalised)
    name, whole, m = name_score(q, c)
    dob_adj, dob_how, cty_adj, cty_how = adjustments(query, cand)
    score = min(1.0, max(0.0, name + dob_adj + cty_adj))
    return {
        "score": round(score, 4), "ofac_score": round(name * 100),
        "name_score": round(name, 4), "whole_name": round(whole, 4),
        "parts": _parts(q, c, m),
        "date_of_birth": {"agreement": dob_how, "adjust": dob_adj,
                          "listed": list(cand.dates_of_birth)},
        "country": {"agreement": cty_how, "adjust": cty_adj, "listed": list(cand.countries)},
        "entry_id": cand.entry_id, "listed_name": cand.name, "alias": cand.is_alias,
    }


@dataclass
class NameIndex:
    """The list's names with an inverted index of block keys, built once per list version."""

    names: list[ListName]
    _keys: dict[str, list[int]] = field(default_factory=dict)
    _sorted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.names):
            for k in block_keys(tokens(n.normalised)):
                index[k].append(i)
        self._keys = dict(index)
        self._sorted = [" ".join(sorted(tokens(n.normalised))) for n in self.names]

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
                  strict: bool = False) -> np.ndarray:
        """Candidates, then the best few by two vectorised scores (rapidfuzz ``cdist``).

        Whole-name Jaro-Winkler on sorted parts catches swaps and typos; the
        token-set ratio catches a name given in part ("Manuel Noriega" for
        "NORIEGA, Manuel Antonio"). ``gate`` drops candidates below it on both.
        """
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import JaroWinkler

        cand = self.candidates(normalised, strict)
        if not len(cand):
            return cand
        probe = " ".join(sorted(tokens(normalised)))
        choices = [self._sorted[i] for i in cand]
        jw = process.cdist([probe], choices, scorer=JaroWinkler.normalized_similarity)[0]
        ts = process.cdist([probe], choices, scorer=fuzz.token_set_ratio)[0] / 100
        best = np.maximum(jw, ts)
        if gate:
            keep_mask = best >= gate
            cand, jw, ts = cand[keep_mask], jw[keep_mask], ts[keep_mask]
        if len(cand) <= keep:
            return cand
        top = np.concatenate([np.argsort(-jw, kind="stable")[:keep],
                              np.argsort(-ts, kind="stable")[:keep]])
        return cand[np.unique(top)]

    def search(self, query: Query, limit: int = 5, threshold: float = 0.0,
               keep: int = 8, gate: float = 0.0, strict: bool = False) -> list[dict]:
        """Best matches first (ties by whole-name similarity, then entry id)."""
        cand = self.shortlist(normalise(query.name), keep, gate, strict)
        scored = [explain(query, self.names[i]) for i in cand]
        best: dict[int, dict] = {}
        for s in scored:  # one result per entry: its best name
            if s["entry_id"] not in best or s["score"] > best[s["entry_id"]]["score"]:
                best[s["entry_id"]] = s
        ranked = sorted(best.values(), key=lambda s: (-s["score"], -s["whole_name"], s["entry_id"]))
        return [s for s in ranked if s["score"] >= threshold][:limit]
