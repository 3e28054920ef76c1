"""Invariants of the anchor format, for any lane heads (hypothesis): an untouched log
agrees with its anchor; any one changed, missing or shortened lane is named, and only
that lane; any change to a signed anchor breaks its signature."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from garita.audit import anchor_keys, anchors

KEYS = anchor_keys.build(anchor_keys.generate()[1], [], "unused")
HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
HEADS = st.dictionaries(st.integers(0, 40), st.tuples(st.integers(1, 10**6), HEX),
                        min_size=1, max_size=16)


def _anchor(heads: dict) -> dict:
    return anchors.make([(lane, seq, h) for lane, (seq, h) in heads.items()],
                        "2026-12-02T10:00:00.000000+00:00", "schedule", KEYS)


def _db(heads: dict) -> tuple[dict, dict]:
    return ({(lane, seq): h for lane, (seq, h) in heads.items()},
            {lane: seq for lane, (seq, _) in heads.items()})


@given(HEADS, st.data())
def test_one_tampered_lane_is_named_and_only_it(heads, data):
    doc = _anchor(heads)
    stored, lengths = _db(heads)
    assert anchors.check_signature("a", doc, KEYS.public) is None
    assert anchors.compare("a", doc, stored, lengths) == []
    lane = data.draw(st.sampled_from(sorted(heads)))
    seq, h = heads[lane]
    attack = data.draw(st.sampled_from(["rewrite", "delete", "truncate"]))
    if attack == "rewrite":
        stored[(lane, seq)] = ("0" if h[0] != "0" else "1") + h[1:]
    elif attack == "delete":
        del lengths[lane], stored[(lane, seq)]
    else:
        lengths[lane] = seq - 1
        del stored[(lane, seq)]
        if seq == 1:
            del lengths[lane]
    problems = anchors.compare("a", doc, stored, lengths)
    assert [p.lane for p in problems] == [lane]


@given(HEADS, st.data())
def test_any_change_to_a_signed_anchor_breaks_it(heads, data):
    doc = _anchor(heads)
    forged = copy.deepcopy(doc)
    i = data.draw(st.integers(0, len(forged["lanes"]) - 1))
    field = data.draw(st.sampled_from(["seq", "hash", "lane", "anchored_at", "reason"]))
    if field in ("anchored_at", "reason"):
        forged[field] += "x"
    elif field == "hash":
        forged["lanes"][i]["hash"] = forged["lanes"][i]["hash"][::-1] + "0"
    else:
        forged["lanes"][i][field] += 1000
    assert anchors.check_signature("f", forged, KEYS.public) is not None
