"""Spanish staff pages say nothing in English: every alert's summary and explanation
(watchlist, duplicate, shared address, ring, report, erased), the analyst's job results,
the coordinator's plan (solver, status) and buses. The services return codes and
parameters; the pages say them through the catalogues (the API keeps its English)."""

from __future__ import annotations

import datetime as dt
import re
import time

import polars as pl
import pytest
from corridor_kit import confirm_three
from staffkit import csrf, signed_in

from garita.db import transaction
from garita.identity import Principal, Role
from garita.integrity import jobs, screening
from garita.integrity import service as alerts
from garita.integrity.lists import parse_plain
from garita.web import i18n
from kit import applicant, person, register

LIST = ("id,name,aliases,dates_of_birth,countries\n"
        "X1,\"QUINTERO, Rafael Caro\",El Principe,1952-10-03,MEX\n")
# What the services say in English: summaries, agreements, codes, statuses, result keys.
ENGLISH = re.compile(
    r"\b(resembles|listed|same date|same year|year apart|years apart|sounds alike|spelling|"
    r"exact|unknown|different|shared by|people in|surnames|ring of|linked by|same person|"
    r"probability|Reported by|registration erased|planned|boarding|departed|arrived|optimal|"
    r"feasible|OPTIMAL|FEASIBLE|greedy|cp-sat|new_alerts|duplicate_pairs|list_names|hits|"
    r"rings|address|phone|email)\b")


def visible(html: str) -> str:
    """The page's text as a reader sees it: no tags, scripts, styles or attributes."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english_in(html: str) -> list[str]:
    return sorted(set(ENGLISH.findall(visible(html))))


def _spanish(app, role: str):
    page = signed_in(app, role)
    page.cookies.set(i18n.COOKIE, "es")
    return page


def _finish(page, location: str) -> str:
    for _ in range(240):
        part = page.get(location, headers={"HX-Request": "true"})
        if "hx-trigger" not in part.text:
            return part.text
        time.sleep(0.5)
    raise AssertionError("the job did not finish in two minutes")


def _job(analyst, job: str) -> str:
    page = analyst.get("/staff/integrity/jobs")
    r = analyst.post("/staff/integrity/jobs", data={"csrf": csrf(page.text), "job": job},
                     follow_redirects=False)
    assert r.status_code == 303
    return _finish(analyst, r.headers["location"])


def _alerts(app, client) -> None:
    """Every kind of alert, raised by the services that raise them."""
    with transaction(app.state.sessions) as s:
        screening.load(s, "test-list", "1", "csv", parse_plain(LIST), "test", app.state.clock())
    user = applicant(client)
    register(client, user, lead=person(given="Rafael", family="Caro Quintero",
                                       born="1952-10-03", nationality="MEX"))
    a = register(client, user, lead=person(given="Yusmary", family="Rojas Blanco"))
    b = register(client, user, lead=person(given="Yusmari", family="Rojas Blanco"))
    regs = [register(client, user) for _ in range(9)]  # kit's one phone: shared, a ring
    now = app.state.clock()
    with transaction(app.state.sessions) as s:
        pairs = pl.DataFrame({"a": [a["people"][0]["id"]], "b": [b["people"][0]["id"]],
                              "p": [0.97]})
        alerts.raise_alerts(s, jobs._duplicates(pairs, jobs.frame(s)), now, "test")
        alerts.report(s, Principal(account_id=1, role=Role.applicant),
                      "Me vendieron una cita por 500 dólares", regs[0]["id"], now, "help-1")
    return regs


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_analysts_pages_in_spanish_say_no_english(client, app):
    regs = _alerts(app, client)
    analyst = _spanish(app, "analyst")
    for job in ("screen", "integrity"):
        done = _job(analyst, job)
        assert "Alertas nuevas" in done and not english_in(done), english_in(done)
    with transaction(app.state.sessions) as s:
        alerts.redact(s, regs[1]["id"])  # an erased registration's alerts keep only their kind
    ids, page = [], 1
    while True:
        queue = analyst.get("/staff/integrity", params={"page": page})
        assert queue.status_code == 200 and not english_in(queue.text), english_in(queue.text)
        ids += re.findall(r'/staff/integrity/alerts/(\d+)"', queue.text)
        if "Página siguiente" not in queue.text:
            break
        page += 1
    said = ""
    for alert in sorted(set(ids)):
        html = analyst.get(f"/staff/integrity/alerts/{alert}").text
        assert not english_in(html), (alert, english_in(html))
        said += visible(html)
    for spanish in ("se parece al nombre de la lista «QUINTERO, Rafael Caro»", "misma fecha",
                    "exacta", "La misma persona que la persona", "El mismo dato (teléfono)",
                    "Una red de", "Denunciado por", "(registro borrado)"):
        assert spanish in said, spanish


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_coordinators_plan_in_spanish_says_no_english(client, clock, app):
    (_, _, offer), _, _ = confirm_three(client, clock)
    coord = _spanish(app, "coordinator")
    page = coord.get("/staff/corridor")
    appt = dt.date.fromisoformat(offer["appointment_date"])
    r = coord.post("/staff/corridor/plans", data={
        "csrf": csrf(page.text), "start": str(appt - dt.timedelta(days=2)), "days": "2",
        "seconds": "2"}, follow_redirects=False)
    done = _finish(coord, r.headers["location"])
    assert "Plan listo." in done and "Solucionador" in done, visible(done)
    assert re.search(r"(óptimo|factible)", done) and not english_in(done), english_in(done)
    for bus in set(re.findall(r'/staff/corridor/buses/(\d+)"', done)):
        html = coord.get(f"/staff/corridor/buses/{bus}").text
        assert not english_in(html), english_in(html)
    console = coord.get("/staff/corridor").text
    assert not english_in(console), english_in(console)
