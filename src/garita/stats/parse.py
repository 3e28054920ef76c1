"""Read one CBP encounter file into validated rows, or refuse it whole with line and reason.

Pure: bytes in, a Polars frame out; nothing is stored here. The CSV structure is
read with the standard ``csv`` module (it knows quoting, CRLF and the line each
record ends on); the values are then checked against the dataset's declared
schema with pandera, lazily, so every failing line is known at once. Only a
file that passes every check reaches the database, which is how nothing is ever
half-loaded.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from garita.errors import Invalid
from garita.stats.formats import (
    COMPONENTS,
    DATASETS,
    MONTH_GROUPINGS,
    MONTHS,
    REGIONS,
    Dataset,
    published_name,
    recognise,
)

FISCAL_YEAR = r"^(FY ?)?\d{4}( ?\(FYTD\))?$"
COUNT = r"^(\d{1,3}(,\d{3})+|\d+)$"  # thousands separators allowed, as CBP writes them
MAX_REPORTED = 5

#: What each field must hold, in words (the refusal quotes it).
RULES = {
    "fiscal_year": "a fiscal year like 2024 or 2025 (FYTD)",
    "month_grouping": f"one of {', '.join(MONTH_GROUPINGS)}",
    "month_abbv": "a month abbreviation (OCT ... SEP)",
    "component": f"one of {', '.join(COMPONENTS)}",
    "region": f"one of {', '.join(REGIONS.values())}",
    "encounters": "a whole number of encounters (thousands separators allowed)",
}
_TEXT = "not empty"


class FileRefused(Invalid):
    """A file that is not a known CBP format or holds an invalid row: nothing was loaded."""

    title = "File refused"


@dataclass(frozen=True)
class Parsed:
    dataset: Dataset
    frame: pl.DataFrame  # one row per published row, typed


def _checks(field: str) -> list[pa.Check]:
    if field == "fiscal_year":
        return [pa.Check.str_matches(FISCAL_YEAR)]
    if field == "encounters":
        return [pa.Check.str_matches(COUNT)]
    allowed = {"month_grouping": MONTH_GROUPINGS, "month_abbv": MONTHS,
               "component": COMPONENTS, "region": tuple(REGIONS.values())}.get(field)
    if allowed:
        return [pa.Check.isin(list(allowed))]
    return [pa.Check.str_length(min_value=1)]


def schema_of(dataset: Dataset) -> pa.DataFrameSchema:
    """The declared schema of a dataset's rows (as text, after trimming): the allowed
    values of each field, and no two rows for the same key (they would count twice)."""
    fields = list(dataset.columns.values())
    key = [f for f in fields if f != "encounters"]
    return pa.DataFrameSchema({f: pa.Column(str, _checks(f), nullable=False) for f in fields},
                              unique=key, strict=False, name=dataset.name)


def _refuse(file_name: str, reasons: list[str]) -> FileRefused:
    more = "" if len(reasons) <= MAX_REPORTED else f" (and {len(reasons) - MAX_REPORTED} more)"
    return FileRefused(f"{file_name} was refused, nothing was loaded: "
                       + "; ".join(reasons[:MAX_REPORTED]) + more
                       + ". Correct the file or import the one CBP published.",
                       errors=reasons[:50])


def _decode(file_name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _refuse(file_name, [f"line {line}: not UTF-8 text (byte {exc.start})"]) from None


def _records(file_name: str, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise _refuse(file_name, ["line 1: the file is empty (a header row was expected)"])
    rows, lines, bad = [], [], []
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != len(header):
            bad.append(f"line {reader.line_num}: {len(row)} fields where the header has "
                       f"{len(header)}")
            continue
        rows.append(row)
        lines.append(reader.line_num)
    if bad:
        raise _refuse(file_name, bad)
    if not rows:
        raise _refuse(file_name, ["the file has a header but no rows"])
    return header, rows, lines


def parse(file_name: str, data: bytes) -> Parsed:
    """Recognise the dataset from the header, validate every row, return typed rows.

    Raises :class:`FileRefused` naming each bad line (up to five) and why. A good
    file is read once by Polars' CSV reader; a file that fails anywhere is read
    again with the ``csv`` module, which knows the line each record ends on, so
    the refusal can name it.
    """
    text = _decode(file_name, data)
    fast = _fast(data)
    if fast is not None:
        dataset, raw = _framed(file_name, list(fast.columns), fast)
        try:
            schema_of(dataset).validate(raw, lazy=True)
            return Parsed(dataset, _typed(raw, dataset))
        except SchemaErrors:
            pass  # read again below to name the lines
    header, rows, lines = _records(file_name, text)
    frame = pl.DataFrame([[r[i] for r in rows] for i in range(len(header))],
                         schema={f"c{i}": pl.String for i in range(len(header))}, orient="col")
    dataset, raw = _framed(file_name, header, frame.rename(dict(zip(frame.columns, header,
                                                                     strict=True))))
    raw = raw.with_columns(pl.Series("_line", lines))
    try:
        schema_of(dataset).validate(raw, lazy=True)
    except SchemaErrors as exc:
        raise _refuse(file_name, _reasons(exc.failure_cases, dataset, lines)) from None
    return Parsed(dataset, _typed(raw, dataset))


def _fast(data: bytes) -> pl.DataFrame | None:
    """Every field as text through Polars' reader, or None if it cannot read the file."""
    try:
        frame = pl.read_csv(data.removeprefix(b"\xef\xbb\xbf"), infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError):
        return None
    return frame if frame.height else None


def _framed(file_name: str, header: list[str], frame: pl.DataFrame) -> tuple[Dataset, pl.DataFrame]:
    dataset = recognise(header)
    if dataset is None:
        known = "; ".join(f"{d.title}: {', '.join(d.columns)}" for d in DATASETS.values())
        raise _refuse(file_name, [f"line 1: the header ({', '.join(header)}) is not a CBP "
                                  f"encounter file this importer knows ({known})"])
    names = published_name(dataset, header)
    raw = frame.rename(names).with_columns(pl.all().str.strip_chars()).with_columns(
        pl.col("month_abbv").str.to_uppercase())
    return dataset, raw


def _reasons(failures: pl.DataFrame, dataset: Dataset, lines: list[int]) -> list[str]:
    published = {f: c for c, f in dataset.columns.items()}
    out: list[tuple[int, str]] = []
    for case in failures.iter_rows(named=True):
        index = case["index"]
        line = lines[index] if index is not None and index < len(lines) else 0
        field = case["column"]
        if case["check"] == "multiple_fields_uniqueness":
            out.append((line, f"line {line}: the same row key appears more than once "
                              "(it would be counted twice)"))
        elif field in published:
            rule = RULES.get(field, _TEXT)
            out.append((line, f"line {line}: {published[field]} is {case['failure_case']!r}, "
                              f"it must be {rule}"))
        else:
            out.append((line, f"line {line}: {case['failure_case']} ({case['check']})"))
    return [reason for _, reason in sorted(set(out))]


def _typed(raw: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    """Typed rows: the fiscal year as a number and whether its label said FYTD, the
    calendar month (fiscal years start in October), counts without separators."""
    month_no = {m: i for i, m in enumerate(MONTHS)}  # 0 = October
    fy = pl.col("fiscal_year").str.extract(r"(\d{4})").cast(pl.Int32)
    order = pl.col("month_abbv").replace_strict(month_no, return_dtype=pl.Int32)
    typed = raw.with_columns(
        fy.alias("fiscal_year"),
        pl.col("fiscal_year").str.contains("FYTD").alias("labelled_fytd"),
        pl.col("encounters").str.replace_all(",", "").cast(pl.Int64),
        pl.date(fy - 1 + (order + 9) // 12, (order + 9) % 12 + 1, 1).alias("month"),
    )
    for field, value in dataset.fixed.items():
        typed = typed.with_columns(pl.lit(value).alias(field))
    return typed
