"""A synthetic population with planted duplicates and a planted address ring.

Used by the tests and the benchmarks to measure the detectors against a
known truth: every row carries ``identity`` (same person = same value) and
``planted_ring`` (True for the people given the one overused address).
Pure NumPy/Polars from a seed: the same arguments give the same frame.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from garita.policy.ports import PORT_CODES

GIVEN = ("José María Juan Luis Carlos Ana Rosa Jesús Miguel Ángel Yolanda Darío Nathalie "
         "Wilson Jean Pierre Marie Claude Fabiola Roberto Yessenia Andrés Víctor Héctor Isabel "
         "Daniela Gabriela Oscar Kevin Brayan Dayana Yulianny Luisa Fernando Ricardo Alejandro "
         "Beatriz Carmen Teresa Pedro Manuel Ramón Esther Julio César Rafael Lucía Sofía Valentina "
         "Camila Mateo Santiago Samuel Diego Emmanuel Josué Wisly Fritznel Mirlande Naomie "
         "Olga Dmitri Irina Sergei Thiago João Gonçalo").split()
FAMILY = ("García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
          "Flores Rivera Gómez Díaz Reyes Cruz Morales Ortiz Gutiérrez Chávez Ramos Vargas "
          "Castillo Jiménez Moreno Romero Herrera Medina Aguilar Vega Castro Mendoza Ruiz "
          "Álvarez Silva Rojas Contreras Guerrero Navarro Peña Núñez Campos Salazar Delgado "
          "Figueroa Cabrera Fuentes Pacheco Acosta Molina Lara Espinoza Paredes Suárez Ibarra "
          "Quintero Valencia Zambrano Villalobos Ochoa Bermúdez Escalona Petit Joseph Pierre "
          "Jean Baptiste Louis Charles Désir Étienne Ivanov Petrov Smirnov Souza Oliveira "
          "Pereira Almeida Barbosa Cardoso").split()
STREETS = ("Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson "
           "Madison Jefferson Franklin Highland Church River Spring").split()
TYPES = ("St", "Ave", "Blvd", "Dr", "Ln", "Rd", "Ct")
NATIONS = ("VEN", "CUB", "HTI", "MEX", "HND", "COL", "NIC", "GTM", "ECU", "RUS", "BRA")
PORTS = PORT_CODES
STRIP = str.maketrans("áéíóúÁÉÍÓÚñÑçÇã", "aeiouAEIOUnNcCa")


def _typo(s: str, rng: np.random.Generator) -> str:
    if len(s) < 4:
        return s
    i = int(rng.integers(1, len(s)))
    return s[:i] + "abcdefghijklmnoprstuvz"[int(rng.integers(0, 22))] + s[i + 1:]


def _vary(given: str, family: str, dob: dt.date, rng: np.random.Generator):
    """One or two of: accents dropped, surnames swapped, a typo, a date-of-birth slip."""
    for what in rng.choice(5, size=int(rng.integers(1, 3)), replace=False):
        if what == 0:
            given, family = given.translate(STRIP), family.translate(STRIP)
        elif what == 1 and " " in family:
            a, b = family.split(" ", 1)
            family = f"{b} {a}"
        elif what == 2:
            given = _typo(given, rng)
        elif what == 3:
            family = _typo(family, rng)
        elif dob.day <= 12 and dob.day != dob.month:
            dob = dob.replace(day=dob.month, month=dob.day)  # day and month swapped
        else:
            dob = dob.replace(day=min(28, dob.day % 28 + 1))
    return given, family, dob


def population(n: int, seed: int = 1, duplicate_rate: float = 0.05,
               ring_people: int | None = None, ring_surnames: int | None = None) -> pl.DataFrame:
    """``n`` rows (people); a share are re-registrations of earlier people with variations.

    The ring defaults to the OIG finding scaled to ``n`` per million (358
    people, 266 surnames at a million; at least 20 and 12).
    """
    rng = np.random.default_rng(seed)
    ring_people = ring_people or max(20, 358 * n // 1_000_000)
    ring_surnames = ring_surnames or max(12, 266 * n // 1_000_000)
    n_dup = int(n * duplicate_rate)
    n_orig = n - n_dup
    g = rng.integers(0, len(GIVEN), (n_orig, 2))
    f = rng.integers(0, len(FAMILY), (n_orig, 2))
    given = [GIVEN[a] if rng.random() < 0.6 else f"{GIVEN[a]} {GIVEN[b]}" for a, b in g]
    family = [f"{FAMILY[a]} {FAMILY[b]}" for a, b in f]
    base = dt.date(1950, 1, 1)
    dob = [base + dt.timedelta(days=int(d)) for d in rng.integers(0, 365 * 55, n_orig)]
    identity = list(range(n_orig))
    src = rng.integers(0, n_orig, n_dup)
    for i in src:
        gv, fv, dv = _vary(given[i], family[i], dob[i], rng)
        given.append(gv)
        family.append(fv)
        dob.append(dv)
        identity.append(int(i))
    streets = [f"{int(rng.integers(1, 9999))} {STREETS[int(rng.integers(0, 20))]} "
               f"{TYPES[int(rng.integers(0, 7))]}" for _ in range(n)]
    units = [None] * n
    zips = [f"{int(z):05d}" for z in rng.integers(10000, 99999, n)]
    ring = np.zeros(n, dtype=bool)
    members = rng.choice(n_orig, ring_people, replace=False)
    ring[members] = True
    spellings = ["1234 North Broadway Street", "1234 N Broadway St", "1234 n. broadway st."]
    for k, m in enumerate(members):
        streets[m], units[m], zips[m] = spellings[k % 3], None, "92101"
        j = k % ring_surnames  # exactly ring_surnames different first surnames
        a = FAMILY[j % len(FAMILY)] + ("" if j < len(FAMILY) else f"-{FAMILY[j // len(FAMILY)]}")
        family[m] = f"{a} {FAMILY[(k * 7) % len(FAMILY)]}"
    ident = np.array(identity)
    nation = rng.integers(0, len(NATIONS), n_orig)[ident]  # a person keeps nationality and sex
    sex = rng.integers(0, 2, n_orig)[ident]
    start = dt.datetime(2023, 5, 12, tzinfo=dt.UTC)
    return pl.DataFrame({
        "person_id": np.arange(1, n + 1), "registration_id": np.arange(1, n + 1),
        "given_names": given, "family_names": family, "date_of_birth": dob,
        "nationality": [NATIONS[int(x)] for x in nation],
        "sex": [("F", "M")[int(x)] for x in sex],
        "us_street": streets, "us_unit": units, "us_zip": zips,
        "phone": [f"+1 {int(p):010d}" for p in rng.integers(2_000_000_000, 9_999_999_999, n)],
        "email": [f"user{i}@example.org" for i in range(n)],
        "registered_at": [start + dt.timedelta(minutes=int(m))
                          for m in rng.integers(0, 60 * 24 * 240, n)],
        "port": [PORTS[int(x)] for x in rng.integers(0, 8, n)],
        "identity": identity, "planted_ring": ring,
    })
