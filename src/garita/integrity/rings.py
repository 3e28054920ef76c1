"""Pure ring detection over a Polars frame: shared addresses, phones, emails; components.

Addresses are keyed by their USPS Publication 28 form in bulk
(``integrity.addresses``: the standard's tables applied as vectorised
rules, held by a test to usaddress-scourgify's one-at-a-time output), so a
million rows take seconds and one place written several ways is one key;
usaddress and scourgify describe the clustered addresses only, for the
evidence.

Input columns: person_id, registration_id, family_names, us_street, us_unit,
us_zip, phone, email, registered_at, port (nullable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import usaddress
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from garita.integrity.addresses import address_key, standard


@dataclass(frozen=True)
class Thresholds:
    min_people: int = 10  # an address given by at least this many people ...
    min_surnames: int = 5  # ... with at least this many different surnames
    min_registrations: int = 5  # a phone or email used by this many registrations ...
    min_contact_surnames: int = 3  # ... whose leads have this many surnames
    min_ring: int = 5  # registrations in a connected component to call it a ring


def phone_key(phone: pl.Expr) -> pl.Expr:
    return phone.fill_null("").str.replace_all(r"\D", "").str.slice(-10)


def email_key(email: pl.Expr) -> pl.Expr:
    e = email.fill_null("").str.to_lowercase().str.strip_chars()
    return e.str.replace(r"\+[^@]*@", "@")


def parse_address(street: str, unit: str | None) -> dict:
    """usaddress's labelled parts and the Pub 28 form of one address, for an analyst."""
    try:
        parts, kind = usaddress.tag(f"{street} {unit or ''}".strip())
        out = {"type": kind, **dict(parts)}
    except usaddress.RepeatedLabelError:
        out = {"type": "Ambiguous"}
    return out | standard(street, unit)


def keyed(df: pl.DataFrame) -> pl.DataFrame:
    """Add addr_key, phone_key, email_key and surname (once; a keyed frame passes through)."""
    if "addr_key" in df.columns:
        return df
    return df.with_columns(
        address_key(pl.col("us_street"), pl.col("us_unit"), pl.col("us_zip")).alias("addr_key"),
        phone_key(pl.col("phone")).alias("phone_key"),
        email_key(pl.col("email")).alias("email_key"),
        pl.col("family_names").str.to_uppercase().str.split(" ").list.first().alias("surname"))


def _clusters(df: pl.DataFrame, key: str, level: str, min_n: int, min_s: int) -> pl.DataFrame:
    rows = df.filter(pl.col(key) != "")
    if level == "registration":
        rows = rows.sort("person_id").unique(["registration_id", key], keep="first")
    count = "person_id" if level == "person" else "registration_id"
    flagged = (rows.group_by(key).agg(pl.col(count).n_unique().alias("n"),
                                      pl.col("surname").n_unique().alias("s"))
               .filter((pl.col("n") >= min_n) & (pl.col("s") >= min_s)).select(key))
    rows = rows.join(flagged, on=key, how="semi")  # the costly lists only for flagged values
    return (rows.group_by(key).agg(
        pl.col("person_id").n_unique().alias("people"),
        pl.col("registration_id").unique().sort().alias("registrations"),
        pl.col("surname").n_unique().alias("surname_count"),
        pl.col("surname").unique().sort().head(25).alias("surnames"),
        pl.col("port").drop_nulls().unique().sort().alias("ports"),
        pl.col("registered_at").min().alias("first"),
        pl.col("registered_at").max().alias("last"),
    ).with_columns(pl.col("registrations").list.len().alias("registration_count"))
     .filter((pl.col("people" if level == "person" else "registration_count") >= min_n)
             & (pl.col("surname_count") >= min_s))
     .sort("people", descending=True))


def shared_attributes(df: pl.DataFrame, t: Thresholds) -> dict[str, pl.DataFrame]:
    """Flagged addresses (per person), phones and emails (per registration)."""
    k = keyed(df)
    return {
        "address": _clusters(k, "addr_key", "person", t.min_people, t.min_surnames),
        "phone": _clusters(k, "phone_key", "registration", t.min_registrations,
                           t.min_contact_surnames),
        "email": _clusters(k, "email_key", "registration", t.min_registrations,
                           t.min_contact_surnames),
    }


def rings(df: pl.DataFrame, t: Thresholds) -> pl.DataFrame:
    """Connected components of registrations linked by any shared address, phone or email.

    Each attribute value shared by two or more registrations links them (a
    star to its first holder); components of at least ``min_ring``
    registrations are rings, with their size, span and linking attributes.
    """
    k = keyed(df).select("registration_id", "person_id", "surname", "addr_key", "phone_key",
                         "email_key", "port", "registered_at")
    k = k.with_columns(pl.col("registration_id").rank("dense").cast(pl.Int64)
                               .sub(1).alias("node"))
    n = int(k.select(pl.col("node").max()).item() or -1) + 1
    if n == 0:
        return pl.DataFrame()
    edges = []
    for key in ("addr_key", "phone_key", "email_key"):
        g = (k.filter(pl.col(key) != "").select(key, "node").unique()
             .with_columns(pl.col("node").min().over(key).alias("root")))
        edges.append(g.filter(pl.col("node") != pl.col("root")).select("node", "root"))
    e = pl.concat(edges)
    graph = coo_matrix((np.ones(e.height), (e["node"].to_numpy(), e["root"].to_numpy())),
                       shape=(n, n))
    _, label = connected_components(graph, directed=False)
    k = k.with_columns(pl.Series("ring", label[k["node"].to_numpy()]))
    big = (k.group_by("ring").agg(pl.col("registration_id").n_unique().alias("n"))
           .filter(pl.col("n") >= t.min_ring).select("ring"))
    k = k.join(big, on="ring", how="semi")
    return (k.group_by("ring").agg(
        pl.col("registration_id").unique().sort().alias("registrations"),
        pl.col("person_id").n_unique().alias("people"),
        pl.col("surname").n_unique().alias("surname_count"),
        pl.col("addr_key").n_unique().alias("addresses"),
        pl.col("phone_key").n_unique().alias("phones"),
        pl.col("email_key").n_unique().alias("emails"),
        pl.col("port").drop_nulls().unique().sort().alias("ports"),
        pl.col("registered_at").min().alias("first"),
        pl.col("registered_at").max().alias("last"),
    ).with_columns(pl.col("registrations").list.len().alias("size"))
     .filter(pl.col("size") >= t.min_ring).sort("size", descending=True))
