"""The parser on generated Southwest files: whatever the encoding details, the counts come
back exactly (hypothesis)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from garita.stats.formats import COMPONENTS, MONTHS
from garita.stats.parse import parse

HEADER = ["Fiscal Year", "Month Grouping", "Month (abbv)", "Component", "Demographic",
          "Citizenship Grouping", "Title of Authority", "Encounter Type", "Encounter Count"]
keys = st.tuples(st.sampled_from(MONTHS), st.sampled_from(COMPONENTS),
                 st.sampled_from(["Mexico", "Cuba", "CHINA, PEOPLES REPUBLIC OF", "Other"]))
files = st.dictionaries(keys, st.integers(0, 10**7), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(files, st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["2024", "2025 (FYTD)"]))
def test_counts_survive_any_published_encoding(rows, bom, crlf, separators, fy):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(HEADER)
    for (month, component, citizenship), n in rows.items():
        writer.writerow([fy, "FYTD", month.lower(), component, "Single Adults", citizenship,
                         "Title 8", "Encounter", f"{n:,}" if separators else str(n)])
    data = (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()
    parsed = parse("sw.csv", data)
    assert parsed.dataset.name == "southwest"
    assert parsed.frame.height == len(rows)
    assert parsed.frame["encounters"].sum() == sum(rows.values())
    assert set(parsed.frame["fiscal_year"].to_list()) == {int(fy[:4])}
    months = parsed.frame["month"].to_list()
    assert all((m.year == int(fy[:4]) - 1) == (m.month >= 10) for m in months)
