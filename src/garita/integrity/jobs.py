"""Integrity jobs over the database: rings, shared contacts, duplicate identities -> alerts.

Reads registrations, people and requested/offered ports into one Polars
frame (through those features' services: ``registrations.people_for_integrity``,
``requests``/``offers.registration_ports``), runs the pure
detectors, and raises one alert per registration concerned, with the
cluster's evidence (count, surnames, ports, dates). Never commits.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import union
from sqlalchemy.orm import Session

from garita.integrity import service as alerts
from garita.integrity.rings import Thresholds, parse_address, rings, shared_attributes
from garita.integrity.summaries import summary
from garita.offers import service as offers
from garita.registrations import service as registrations
from garita.requests import service as requests

LABEL = {"address": "shared_address", "phone": "shared_phone", "email": "shared_email"}


def _schema() -> dict[str, pl.DataType]:
    """Typed columns: a column that is all NULL (no unit, no email) stays a string column."""
    types: dict[str, pl.DataType] = {"person_id": pl.Int64(), "registration_id": pl.Int64(),
                                     "date_of_birth": pl.Date(),
                                     "registered_at": pl.Datetime("us", "UTC")}
    return {c: types.get(c, pl.String()) for c in registrations.PEOPLE_COLUMNS}


def frame(session: Session) -> pl.DataFrame:
    """Everyone, with each port their registration requested or was offered (one row each)."""
    df = pl.DataFrame(registrations.people_for_integrity(session), schema=_schema(),
                      orient="row")
    ports = session.execute(union(requests.registration_ports(),
                                  offers.registration_ports())).all()
    pf = pl.DataFrame(ports, schema={"registration_id": pl.Int64, "port": pl.Utf8}, orient="row")
    return df.join(pf, on="registration_id", how="left")


def _iso(x: dt.datetime | None) -> str | None:
    return x.isoformat() if x else None


def _shared(clusters: dict[str, pl.DataFrame], df: pl.DataFrame) -> list[dict]:
    findings = []
    for what, table in clusters.items():
        for row in table.iter_rows(named=True):
            key = row[{"address": "addr_key", "phone": "phone_key", "email": "email_key"}[what]]
            evidence = {"attribute": what, "value": key, "people": row["people"],
                        "registrations": row["registration_count"],
                        "surname_count": row["surname_count"], "surnames": row["surnames"],
                        "ports": row["ports"], "first": _iso(row["first"]),
                        "last": _iso(row["last"])}
            if what == "address":
                one = df.filter(pl.col("registration_id") == row["registrations"][0]).row(
                    0, named=True)
                evidence["parsed"] = parse_address(one["us_street"], one["us_unit"])
            sev = "high" if row["people"] >= 50 else "medium"
            findings += [{"kind": LABEL[what], "registration_id": rid, "severity": sev,
                          "summary": summary(LABEL[what], evidence), "evidence": evidence,
                          "key": f"{what}:{key}"}
                         for rid in row["registrations"]]
    return findings


def _rings(table: pl.DataFrame) -> list[dict]:
    findings = []
    for row in table.iter_rows(named=True):
        regs = row["registrations"]
        key = f"ring:{regs[0]}"
        evidence = {k: row[k] for k in ("size", "people", "surname_count", "addresses",
                                         "phones", "emails", "ports")}
        evidence |= {"first": _iso(row["first"]), "last": _iso(row["last"]),
                     "registrations": regs[:200]}
        findings += [{"kind": "ring", "registration_id": rid, "severity": "high",
                      "summary": summary("ring", evidence), "evidence": evidence, "key": key}
                     for rid in regs]
    return findings


def _duplicates(pairs: pl.DataFrame, df: pl.DataFrame) -> list[dict]:
    people = {r["person_id"]: r for r in df.unique("person_id").iter_rows(named=True)}
    findings = []
    for a, b, prob in pairs.iter_rows():
        pa, pb = people[a], people[b]
        if pa["registration_id"] == pb["registration_id"]:
            continue
        for me, other in ((pa, pb), (pb, pa)):
            evidence = {"probability": prob, "other_person_id": other["person_id"],
                        "other_registration_id": other["registration_id"],
                        "this": _who(me), "other": _who(other)}
            findings.append({
                "kind": "duplicate_identity", "registration_id": me["registration_id"],
                "person_id": me["person_id"], "severity": "medium", "score": round(prob, 4),
                "key": f"dup:{min(a, b)}:{max(a, b)}",
                "summary": summary("duplicate_identity", evidence), "evidence": evidence})
    return findings


def _who(p: dict) -> dict:
    return {"given_names": p["given_names"], "family_names": p["family_names"],
            "date_of_birth": str(p["date_of_birth"]), "nationality": p["nationality"]}


def run(session: Session, now: dt.datetime, actor: str, t: Thresholds,
        duplicate_threshold: float, duplicates: bool = True) -> dict:
    """All detectors over every registration; returns counts of findings and new alerts."""
    df = frame(session)
    if df.is_empty():
        return {"people": 0, "new_alerts": 0}
    clusters = shared_attributes(df, t)
    ring_table = rings(df, t)
    findings = _shared(clusters, df) + _rings(ring_table)
    dup_pairs, dup_note = 0, None
    if duplicates and df["person_id"].n_unique() >= 50:  # EM needs some data to train on
        # Splink + DuckDB weigh ~50 MB: imported only when a duplicates job runs.
        from garita.integrity.dedupe import ModelNotTrainable, duplicate_pairs

        try:
            pairs = duplicate_pairs(df.unique("person_id"), duplicate_threshold)
        except ModelNotTrainable as exc:
            dup_note = str(exc)
        else:
            dup_pairs = pairs.height
            findings += _duplicates(pairs, df)
    new = alerts.raise_alerts(session, findings, now, actor)
    out = {"people": df["person_id"].n_unique(), "shared": {k: v.height for k, v in
                                                            clusters.items()},
           "rings": ring_table.height, "duplicate_pairs": dup_pairs, "new_alerts": new}
    return out | ({"duplicates_note": dup_note} if dup_note else {})
