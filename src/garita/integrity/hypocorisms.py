"""Everyday short forms of given names: the form on one registration, the full name on another.

Data, not logic: ``canonical(token)`` maps a normalised short form to the
normalised full name it stands for, so "pepe" and "jose" compare equal.
Spanish (Mexico, Central America, the Caribbean, the Andes), Portuguese,
English and French/Haitian forms in common use. A short form shared by
two names (Beto: Alberto, Roberto; Lupe: Guadalupe) maps to one of them and
is listed in AMBIGUOUS so a comparison can weigh it less.
"""

from __future__ import annotations

from garita.integrity.names import normalise

FULL_TO_SHORT = {
    # Spanish
    "jose": "pepe chepe cheo pepito joselito", "francisco": "paco pancho kiko curro frank",
    "ignacio": "nacho", "jesus": "chucho chuy chus", "manuel": "manolo manny manu",
    "alejandro": "alex jando ale", "alejandra": "ale alex jana", "roberto": "beto bob rober",
    "alberto": "beto", "guillermo": "memo guille", "enrique": "quique kike", "eduardo": "lalo edu",
    "antonio": "tono toni tonio", "luis": "lucho lucho", "rafael": "rafa fallo",
    "ramon": "moncho mongo", "santiago": "chago santi", "fernando": "nando fer",
    "gustavo": "tavo gus", "rodrigo": "rigo rodri", "ernesto": "neto", "adolfo": "fito",
    "rodolfo": "rudy fito rodo", "gerardo": "jerry gera", "juan carlos": "juanca",
    "juan pablo": "juampa", "juan jose": "juanjo", "carlos": "charly carlitos",
    "daniel": "dani", "daniela": "dani", "guadalupe": "lupe lupita", "rosario": "chayo charo",
    "concepcion": "conchita concha chona", "dolores": "lola lolita", "mercedes": "meche",
    "consuelo": "chelo", "isabel": "chabela isa chabe", "graciela": "chela", "margarita": "magui",
    "josefina": "pepa chepa fina", "maria jose": "majo", "maria fernanda": "mafer",
    "gabriela": "gaby gabi", "patricia": "paty", "beatriz": "bety bea", "javier": "javi",
    "ricardo": "richi rica", "salvador": "chava", "vicente": "chente", "jorge": "coque",
    "leonardo": "leo", "pedro": "perico", "socorro": "coco", "asuncion": "chona",
    "teresa": "tere", "cristina": "cris", "cristian": "cris", "sebastian": "sebas",
    "mauricio": "mauro", "armando": "mando", "federico": "fede", "eugenio": "keno",
    "anastasia": "tacha", "refugio": "cuca cuco", "trinidad": "trini", "pilar": "pili",
    "yesenia": "yessenia", "jefferson": "yeferson", "bryan": "brayan", "john": "jhon jon",
    # Portuguese
    "joao": "joaozinho", "antonia": "tonia", "luiz": "lula",
    # English
    "william": "bill will billy", "robert": "bob rob bobby", "elizabeth": "liz beth betty",
    "richard": "rick dick", "michael": "mike", "james": "jim jimmy", "joseph": "joe",
    "thomas": "tom", "katherine": "kate katie", "jennifer": "jen jenny",
    # French / Haitian
    "jean baptiste": "ti jean", "marie": "mari", "jeanne": "janine", "pierre": "pierrot",
}
AMBIGUOUS = frozenset({"beto", "cris", "dani", "ale", "alex", "fito", "chona", "jerry"})


def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    for full, shorts in FULL_TO_SHORT.items():
        for s in shorts.split():
            out.setdefault(normalise(s), normalise(full))
    return out


SHORT_TO_FULL = _table()


def canonical(given: str) -> str:
    """A normalised given name with each short form replaced by its full name."""
    whole = SHORT_TO_FULL.get(given)
    if whole:
        return whole
    return " ".join(SHORT_TO_FULL.get(t, t) for t in given.split())
