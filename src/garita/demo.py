"""A synthetic population and a few days of operation, through the real services.

Names, nationalities, origins across Mexico and group sizes are drawn to look
like the scheme's public figures (top nationalities Venezuela, Cuba, Haiti,
Mexico, Honduras; mostly single adults and small families). Every record goes
through the same services as the API, with a simulated clock for past days.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import track
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from garita.auth import service as accounts
from garita.auth.core import hasher
from garita.auth.models import Account
from garita.auth.schemas import SignUp, StaffIn
from garita.db import transaction
from garita.draw import service as draws
from garita.errors import DomainError
from garita.geo.core import StateLocator
from garita.geo.locators import mexican_places
from garita.geo.service import locator_from
from garita.identity import Principal, Role
from garita.messaging import service as messaging
from garita.notify.jobs import run_once
from garita.offers import service as offer_service
from garita.offers.models import Offer
from garita.offers.schemas import ConfirmIn
from garita.policy import calendar
from garita.policy import service as policies
from garita.policy.schemas import Policy, PolicyVersionIn
from garita.registrations import service as registrations
from garita.registrations.schemas import Address, PersonIn, RegistrationIn
from garita.requests import service as requests
from garita.requests.schemas import RequestIn
from garita.settings import Settings

DEMO_PASSWORDS = {"admin@garita.example": "demo-admin-password",
                  "officer@garita.example": "demo-officer-password",
                  "coordinator@garita.example": "demo-coordinator-password",
                  "analyst@garita.example": "demo-analyst-password",
                  "applicant@garita.example": "demo-applicant-password",
                  "ngo@garita.example": "demo-ngo-password"}
# One account per staff role; the officer works El Paso (ELP), the demo's officer port.
DEMO_STAFF = {"admin@garita.example": (Role.admin, None),
              "officer@garita.example": (Role.officer, "ELP"),
              "coordinator@garita.example": (Role.coordinator, None),
              "analyst@garita.example": (Role.analyst, None)}

NATIONALITIES = {  # weight, given names, family names, phone prefix
    "VEN": (30, "José María Luis Carlos Ana Yusmary Daniela Andrés Génesis Wilmer", "González Rodríguez Pérez Hernández García Martínez Rojas Díaz Morales Blanco"),
    "CUB": (18, "Yoandy Yusniel Dayana Yaimara Alexis Osmany Yanelis Reinier Lisandra Adrián", "Rodríguez Pérez González Hernández Díaz Fernández Sánchez Cruz Álvarez Castillo"),
    "HTI": (14, "Jean Marie Pierre Widline Jacques Fabienne Wilner Nadège Frantz Rose", "Joseph Jean-Baptiste Pierre Louis Charles Saint-Fleur Dorvil Desir Augustin Étienne"),
    "MEX": (12, "Juan Guadalupe Miguel Alejandra Francisco Rosa Jesús Verónica Pedro Leticia", "Hernández García Martínez López González Ramírez Cruz Flores Vázquez Reyes"),
    "HND": (9, "Marvin Dunia Kevin Suyapa Elvin Karla Josué Nelly Wilmer Iris", "López Martínez Hernández Rodríguez Mejía Flores Reyes Castro Zelaya Sánchez"),
    "COL": (6, "Andrés Luz Jhon Yuli Camilo Paola Brayan Leidy Julián Diana", "Rodríguez Gómez López Muñoz Ramírez Torres Restrepo Ospina Cárdenas Vargas"),
    "GTM": (5, "Byron Glendy Erick Mildred Selvin Heidy Elmer Ingrid Edgar Wendy", "López García Pérez Ajú Xol Tzoc Cux Méndez Chávez Coc"),
    "SLV": (3, "Kevin Yesenia Carlos Xiomara Douglas Roxana Nelson Jacqueline Mauricio Evelyn", "Hernández Martínez López Rivera Flores Ramos Portillo Alvarado Menjívar Cruz"),
    "ECU": (3, "Byron Jessica Luis Mayra Henry Tatiana Wilson Gabriela Darwin Nancy", "Guamán Chimbo Quispe Pilco Cedeño Zambrano Vera Mendoza Macías Pacheco"),
}
PORT_WEIGHTS = {"SYS": 385, "CLX": 100, "NOG": 100, "ELP": 200, "EGP": 80, "LRD": 100,
                "HID": 105, "BRO": 380}  # the approximate 2024 daily shares (DESIGN §3)
GROUP_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
GROUP_WEIGHTS = (55, 15, 12, 8, 4, 2, 1.5, 1, 0.8, 0.7)
HUBS = [("Mexico City", 19.432, -99.133, 12), ("Tijuana", 32.525, -117.033, 6),
        ("Ciudad Juárez", 31.738, -106.487, 5), ("Monterrey", 25.686, -100.316, 4),
        ("Reynosa", 26.092, -98.278, 4), ("Matamoros", 25.869, -97.502, 4),
        ("Tapachula", 14.906, -92.264, 8), ("Villahermosa", 17.989, -92.948, 3),
        ("Puebla", 19.041, -98.206, 2), ("Guadalajara", 20.672, -103.347, 2)]
# What each staff console has to show: one house given as the U.S. address by unrelated
# people (as the OIG found, DESIGN §3), a duplicate registration of one person, and a
# fictitious watchlist whose one name a registered person shares.
HOUSE = Address(street="4417 Bellaire Blvd", city="Houston", state="TX", zip="77401")
HOUSE_EVERY = 40  # one registration in 40 gives the house
DEMO_LIST = ("id,name,aliases,dates_of_birth,countries\n"
             "D1,\"CARMONA VELASCO, Ramiro\",El Zorro,1979-06-14,MEX\n"
             "D2,\"OSORIO LUNA, Esteban\",,1968-02-02,COL\n")
LISTED = PersonIn(given_names="Ramiro", family_names="Carmona Velasco",
                  date_of_birth=dt.date(1979, 6, 14), country_of_birth="MEX",
                  nationality="MEX", sex="M")
US_DESTINATIONS = [("Houston", "TX", "770"), ("Miami", "FL", "331"), ("New York", "NY", "112"),
                   ("Chicago", "IL", "606"), ("Los Angeles", "CA", "900"),
                   ("Denver", "CO", "802"), ("Atlanta", "GA", "303"), ("Dallas", "TX", "752")]


def _places() -> list[tuple[float, float]]:
    """Mexican places from the GeoNames table the geofence ships (offline)."""
    return [(lat, lon) for lat, lon, _ in mexican_places()]


def _origin(rng: random.Random, places: list[tuple[float, float]]) -> tuple[float, float]:
    if rng.random() < 0.5:
        _, lat, lon, _ = rng.choices(HUBS, weights=[h[3] for h in HUBS])[0]
        return lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03)
    return rng.choice(places)


def _person(rng: random.Random, nat: str, family: str, adult: bool) -> PersonIn:
    _, given, _ = NATIONALITIES[nat]
    age = rng.randint(18, 60) if adult else rng.randint(0, 17)
    born = dt.date.today() - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    return PersonIn(given_names=rng.choice(given.split()), family_names=family,
                    date_of_birth=born, country_of_birth=nat, nationality=nat,
                    sex=rng.choice("FM"))


def fake_registration(rng: random.Random) -> RegistrationIn:
    nats = list(NATIONALITIES)
    nat = rng.choices(nats, weights=[NATIONALITIES[n][0] for n in nats])[0]
    families = NATIONALITIES[nat][2].split()
    family = f"{rng.choice(families)} {rng.choice(families)}"
    size = rng.choices(GROUP_SIZES, weights=GROUP_WEIGHTS)[0]
    people = [_person(rng, nat, family, adult=i < 2 or rng.random() < 0.2) for i in range(size)]
    city, state, zip3 = rng.choice(US_DESTINATIONS)
    address = Address(street=f"{rng.randint(100, 9999)} {rng.choice(['Oak', 'Main', 'Elm', 'Pine', 'Cedar'])} St",
                      city=city, state=state, zip=f"{zip3}{rng.randint(10, 99)}")
    phone = f"+52 55 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return RegistrationIn(language=rng.choice("es es es ht pt ru en".split()), phone=phone,
                          us_address=address, lead=people[0], members=people[1:])


def _accounts(s: Session, settings: Settings) -> tuple[Principal, Principal]:
    ph = hasher(settings.argon2_time_cost, settings.argon2_memory_kib)
    system = Principal(account_id=0, role=Role.admin)
    for email, (role, port) in DEMO_STAFF.items():
        accounts.create_staff(s, ph, StaffIn(email=email, role=role, port=port,
                                             password=DEMO_PASSWORDS[email]), system)
    links, now = accounts.Links(settings.public_url, 60, 30), settings.now()
    ngo = accounts.sign_up(s, ph, SignUp(email="ngo@garita.example", role=Role.ngo,
                                         password=DEMO_PASSWORDS["ngo@garita.example"]),
                           links, "en", now)
    me = accounts.sign_up(s, ph, SignUp(email="applicant@garita.example",
                                        password=DEMO_PASSWORDS["applicant@garita.example"]),
                          links, "es", now)
    assert ngo is not None and me is not None, "the demo starts on an empty database"
    for account in (ngo, me):  # the demo's own addresses: confirmed by the operator
        accounts.confirm_by_operator(s, account.id, "demo", now)
    return (Principal(account_id=ngo.id, role=Role.ngo),
            Principal(account_id=me.id, role=Role.applicant))


def _demo_policy(s: Session, start: dt.date, capacity: int) -> PolicyVersionIn:
    """The last active historical rules, resumed from ``start`` at a demo-sized capacity."""
    base = policies.in_force(s, dt.date(2024, 12, 1)).policy
    scale = capacity / base.capacity_total
    caps = {p: max(1, round(c * scale)) for p, c in base.port_capacity.items()}
    policy = base.model_copy(update={"port_capacity": caps})
    return PolicyVersionIn(effective_from=start, policy=policy,
                           note=f"Demo: the 2024-08-23 rules resumed at {capacity} places/day.")


def run_demo(sessions: sessionmaker[Session], settings: Settings, *, registrations: int,
             days: int, capacity: int, seed: int, console: Console) -> None:
    rng = random.Random(seed)
    locator = locator_from(settings.boundary_file)
    now_real = settings.now()  # GARITA_CLOCK_START moves the demo's "today"
    with transaction(sessions) as s:
        policies.seed_history(s)
        if s.scalar(select(Account.id).where(Account.email == "admin@garita.example")):
            console.print("demo data already loaded; delete the database file to start over")
            return
        tz = policies.in_force(s, dt.date(2024, 12, 1)).policy.request_window.timezone
        today = calendar.local(now_real, tz).date()
        start = today - dt.timedelta(days=days)
        ngo, me = _accounts(s, settings)
        version = _demo_policy(s, start, capacity)
        policies.insert_version(s, version, "system:demo")
    policy = version.policy
    places = _places()
    population = _register(sessions, ngo, me, policy, start, registrations, rng, places)
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        with transaction(sessions) as s:  # the seed's hash is public before any request
            opening = dt.datetime.combine(day, policy.request_window.start, tzinfo=ZoneInfo(tz))
            draws.commitment_for(s, day, opening, draws.secrets_of(settings), "system:demo")
        refused = _requests(sessions, population, day, tz, locator, rng)
        moment = calendar.draw_moment(policy, day) + dt.timedelta(minutes=5)
        with transaction(sessions) as s:
            draw, _ = draws.run_with(s, day, moment, "system:demo", settings)
            offers = list(s.scalars(select(Offer).where(Offer.draw_id == draw.id)))
        confirmed = _confirm(sessions, settings, offers, population, moment, locator, rng)
        console.print(f"{day}: draw {len(offers)} offers, {confirmed} confirmed, "
                      f"{refused.total()} requests refused"
                      + "".join(f", {n} {why}" for why, n in sorted(refused.items())),
                      soft_wrap=True)  # one line a day, whatever the terminal's width
    _staff_data(sessions, settings, population, console)
    # The flow's messages: queued by the scan and delivered through the configured
    # channels (the outbox unless GARITA_SMTP_HOST / GARITA_SMS_PROVIDER say otherwise),
    # readable by the admin at /staff/outbox. The accounts' messages (the demo accounts'
    # verification codes, queued at sign-up) are already waiting and go out with them.
    with transaction(sessions) as s:
        waiting = messaging.counts(s).get("pending", 0)
    outcome = run_once(sessions, settings, limit=100_000)
    console.print(f"messages: {waiting + sum(outcome.queued.values())} queued, "
                  f"{outcome.delivery.sent} delivered (admin: /staff/outbox)")
    console.print("[green]demo ready[/green] — sign in with:")
    for email, password in DEMO_PASSWORDS.items():
        role, port = DEMO_STAFF.get(email, (None, None))
        what = f"  ({role.value}{' of ' + port if port else ''}: /staff)" if role else ""
        console.print(f"  {email} / {password}{what}")


# Eight people registered twice, each the second time with a spelling of their own (as
# people do: accents dropped, surnames the other way round, a letter changed, one surname
# left out): the analyst's duplicate alerts, side by side. One pair alone gives Splink's
# model nothing to learn from (no pair agrees on everything), eight let it train.
TWICE_GAP = 9
TWICE = frozenset(12 + 100 * k for k in range(8))


def _variant(lead: PersonIn, i: int) -> PersonIn:
    """The same person as written on a second registration (no rng: the rest stays as it was)."""
    given, family = lead.given_names, lead.family_names
    how = (i // 100) % 4
    if how == 0:
        given, family = (unicodedata.normalize("NFKD", x).encode("ascii", "ignore").decode()
                         for x in (given, family))
    elif how == 1:
        family = " ".join(reversed(family.split()))
    elif how == 2:
        given = given[:-1] + ("y" if given[-1] == "i" else "i")
    else:
        family = family.split()[0]
    return lead.model_copy(update={"given_names": given, "family_names": family})


def _register(sessions: sessionmaker[Session], ngo: Principal, me: Principal, policy: Policy,
              start: dt.date, n: int, rng: random.Random,
              places: list[tuple[float, float]]) -> dict[int, tuple[tuple[float, float], Principal]]:
    """Registrations spread over the half-year before ``start``; returns id → (origin, owner)."""
    population = {}
    first = dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC) - dt.timedelta(days=180)
    moments = sorted(first + dt.timedelta(seconds=rng.randint(0, 180 * 86400)) for _ in range(n))
    leads: dict[int, PersonIn] = {}
    for i, when in enumerate(track(moments, description="registering")):
        owner = me if i == 0 else ngo
        data = fake_registration(rng)
        if i % HOUSE_EVERY == 5:
            data = data.model_copy(update={"us_address": HOUSE})
        if i == 11:
            data = data.model_copy(update={"lead": LISTED})
        if i in TWICE and i - TWICE_GAP in leads:  # the same person, registered again
            data = data.model_copy(update={"lead": _variant(leads[i - TWICE_GAP], i)})
        if i + TWICE_GAP in TWICE:
            leads[i] = data.lead
        with transaction(sessions) as s:
            reg = registrations.create(s, owner, data, policy, start, when)
            # the demo's made-up numbers: the operator vouches for them (no SMS to answer)
            registrations.mark_phone_verified(s, reg, reg.phone, "demo:operator", when)
            population[reg.id] = (_origin(rng, places), owner)
    return population


def _requests(sessions: sessionmaker[Session], population: dict, day: dt.date, tz: str,
              locator: StateLocator, rng: random.Random) -> Counter[str]:
    """Ask for the day's requests; returns the refusals counted by reason."""
    refused: Counter[str] = Counter()
    opening = dt.datetime.combine(day, dt.time(12, 30), tzinfo=ZoneInfo(tz))
    for reg_id, ((lat, lon), owner) in track(list(population.items()), description=f"{day}"):
        if rng.random() > 0.6:
            continue
        port = rng.choices(list(PORT_WEIGHTS), weights=list(PORT_WEIGHTS.values()))[0]
        when = opening + dt.timedelta(seconds=rng.randint(0, 11 * 3600))
        try:
            with transaction(sessions) as s:
                requests.make_request(s, owner, reg_id, RequestIn(port=port, lat=lat, lon=lon),
                                        when, locator)
        except DomainError as exc:  # geofence refusals carry the boundary data version
            refused["ineligible place" if "data_version" in exc.extra else
                    "appointment already held" if "holds an appointment" in exc.detail else
                    exc.title] += 1
    return refused


def _confirm(sessions: sessionmaker[Session], settings: Settings, offers: list[Offer],
             population: dict, moment: dt.datetime, locator: StateLocator,
             rng: random.Random) -> int:
    """Confirm most offers as their members would: under a policy with ``photo_required``
    (the demo resumes the 2024 rules) each member takes the photo first, through the real
    checks and sealing, so the officer's console shows it."""
    from garita.photos import service as photos
    from garita.photos.sealing import PhotoKeys

    keys = PhotoKeys.of(settings.photo_key.get_secret_value(), tuple(
        k.get_secret_value() for k in settings.photo_key_previous))
    faces = [photos.checked(_face(random.Random(i))) for i in range(8)]  # drawn once
    confirmed = 0
    for offer in offers:
        if rng.random() > 0.85:
            continue  # left to lapse: its places return to the next draw
        (lat, lon), owner = population[offer.registration_id]
        when = moment + dt.timedelta(hours=rng.uniform(0.5, 20))
        keep = offer.appointment_date + dt.timedelta(days=settings.photo_retention_days)
        with transaction(sessions) as s:
            reg = registrations.get(s, offer.registration_id, owner)
            policy = policies.policy_now(s, when)[1]
            for person_id in offer_service.confirmers(reg, policy, when.date()):
                if policy.photo_required:
                    photos.store(s, owner, offer.id, person_id, faces[person_id % len(faces)],
                                 when, keep, keys)
                offer_service.confirm(s, owner, offer.id,
                                   ConfirmIn(person_id=person_id, lat=lat, lon=lon), when, locator)
        confirmed += 1
    return confirmed


def _staff_data(sessions: sessionmaker[Session], settings: Settings, population: dict,
                console: Console) -> None:
    """Seats for the confirmed groups from Chiapas and Tabasco and a bus plan (the
    coordinator's console), screening and integrity alerts (the analyst's)."""
    from garita.corridor import boarding
    from garita.corridor import service as corridor_service
    from garita.integrity import jobs, screening
    from garita.integrity.lists import parse_plain
    from garita.integrity.views import thresholds
    from garita.notices.keys import from_settings as notice_keys

    now = settings.now().astimezone(dt.UTC)
    seats = 0
    with transaction(sessions) as s:
        upcoming = list(s.scalars(select(Offer).where(Offer.status == "confirmed",
                                                      Offer.appointment_date > now.date())))
        for offer in upcoming:
            who = population[offer.registration_id][1]
            try:
                with s.begin_nested():
                    corridor_service.request_seats(s, who, offer.id, now,
                                                   settings.road_times_file)
                    seats += 1
            except DomainError:
                continue  # not from a hub's state, or no bus can make it
    hub_today = calendar.local(now, "America/Mexico_City").date()
    with transaction(sessions) as s:
        try:
            plan = corridor_service.plan(s, hub_today, 5, now, "system:demo",
                                         settings.road_times_file, seconds=5)
            boarding.issue_permits(s, notice_keys(settings).signer, now, "system:demo")
            console.print(f"corridor: {seats} groups asked for seats; plan {plan.buses} buses")
        except DomainError as exc:
            console.print(f"corridor: {seats} groups asked for seats; no plan ({exc.detail})")
    with transaction(sessions) as s:
        screening.load(s, "Demo list (fictitious names)", "1", "csv", parse_plain(DEMO_LIST),
                       "system:demo", now)
        screened = screening.screen(s, now, "system:demo", settings.screen_threshold)
        found = jobs.run(s, now, "system:demo", thresholds(settings),
                         settings.duplicate_threshold)
    console.print(f"integrity: {screened['new_alerts'] + found['new_alerts']} alerts")


def _face(rng: random.Random) -> bytes:
    """A drawn head and shoulders (no real person's picture ships with the demo)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 640), tuple(rng.randint(110, 170) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(224, 172, 105), (198, 134, 66), (141, 85, 36), (92, 56, 30)])
    draw.ellipse((40, 480, 440, 900), fill=tuple(rng.randint(20, 120) for _ in range(3)))
    draw.ellipse((130, 110, 350, 410), fill=skin)
    for x in (195, 285):
        draw.ellipse((x - 16, 220, x + 16, 238), fill=(245, 245, 245))
        draw.ellipse((x - 7, 222, x + 7, 236), fill=(30, 20, 10))
    draw.arc((190, 290, 290, 350), 20, 160, fill=(90, 30, 30), width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()
