"""An alert's summary as a code and its parameters, so every page can say it in its language.

The API keeps the English ``summary`` sentence; ``code`` and ``params`` (read from the
alert's kind and evidence, so alerts raised before them have them too) are what the
staff pages translate through the catalogues. The English sentence is made from the same
code and parameters, so the two cannot disagree. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from garita.integrity.scoring import dob_code, dob_text

ENGLISH = {
    "watchlist": "{tier}: {name} resembles listed '{listed_name}' (score {score:.2f}; "
                 "date of birth {dob_text}, nationality {nationality})",
    "duplicate_identity": "same person as person {other_person} in registration "
                          "{other_registration} (probability {probability:.3f})",
    "shared": "{attribute} shared by {people} people in {registrations} registrations, "
              "{surnames} surnames, {ports} ports",
    "ring": "ring of {size} registrations ({people} people) linked by shared "
            "addresses/phones/emails, {first} to {last}",
    "report": "Reported by {reported_by}: {text}",
    "erased": "{kind} (registration erased)",
}


def explain(kind: str, evidence: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(code, parameters) of an alert from its kind and evidence."""
    e = evidence or {}
    if not e:
        return "erased", {"kind": kind}
    if kind == "watchlist":
        dob = e.get("date_of_birth", {})
        code, years = ((dob["code"], dob.get("years")) if "code" in dob
                       else dob_code(dob.get("agreement", "unknown")))
        return "watchlist", {
            "tier": e.get("tier"), "name": e.get("screened_name"),
            "listed_name": e.get("listed_name"), "score": e.get("score", 0.0),
            "dob": code, "dob_years": years,
            "nationality": e.get("country", {}).get("code")
                           or e.get("country", {}).get("agreement", "unknown")}
    if kind == "duplicate_identity":
        return "duplicate_identity", {
            "other_person": e.get("other_person_id"),
            "other_registration": e.get("other_registration_id"),
            "probability": e.get("probability", 0.0)}
    if kind.startswith("shared_"):
        return "shared", {"attribute": e.get("attribute"), "people": e.get("people"),
                          "registrations": e.get("registrations"),
                          "surnames": e.get("surname_count"), "ports": len(e.get("ports") or [])}
    if kind == "ring":
        return "ring", {"size": e.get("size"), "people": e.get("people"),
                        "first": str(e.get("first") or "")[:10],
                        "last": str(e.get("last") or "")[:10]}
    if kind == "report":
        return "report", {"reported_by": e.get("reported_by"),
                          "text": str(e.get("text") or "")[:200]}
    return kind, dict(e)


def english(code: str, params: dict[str, Any]) -> str:
    """The API's English sentence for a code and its parameters."""
    if code == "watchlist":
        params = {**params, "dob_text": dob_text(params["dob"], params.get("dob_years"))}
    template = ENGLISH.get(code)
    return template.format(**params) if template else code


def summary(kind: str, evidence: dict[str, Any]) -> str:
    return english(*explain(kind, evidence))
