"""Cyrillic to Latin by the habits found on real documents and forms.

``icao`` is the passport rule since 2013 (Aleksandr, Evgenii, Iulia),
``bgn`` the BGN/PCGN romanisation (Yevgeniy, Yuliya), ``popular`` how people
write their own names in English (Alexander, Eugene-less but Dmitry, Yulia),
``ukrainian`` the form Ukrainian documents give (Oleksandr is a different
name form and is kept to the given-name table). Hand-written: these are
reference tables of a few dozen letters, and the variety *is* the point.
"""

from __future__ import annotations

_BASE = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k",
         "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
         "у": "u", "ф": "f", "ъ": "", "ь": "", "ы": "y"}
SCHEMES = {
    "icao": {**_BASE, "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts",
             "ч": "ch", "ш": "sh", "щ": "shch", "э": "e", "ю": "iu", "я": "ia", "ъ": "ie"},
    "bgn": {**_BASE, "е": "e", "ё": "ë", "ж": "zh", "й": "y", "х": "kh", "ц": "ts",
            "ч": "ch", "ш": "sh", "щ": "shch", "э": "e", "ю": "yu", "я": "ya"},
    "popular": {**_BASE, "е": "e", "ё": "yo", "ж": "zh", "й": "y", "х": "h", "ц": "ts",
                "ч": "ch", "ш": "sh", "щ": "sch", "э": "e", "ю": "yu", "я": "ya"},
    "german": {**_BASE, "в": "w", "е": "e", "ё": "jo", "ж": "sch", "з": "s", "й": "j",
               "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "э": "e",
               "ю": "ju", "я": "ja"},
}
_VOWELS = set("аеёиоуыэюяъь")
POPULAR_GIVEN = {"Александр": "Alexander", "Евгений": "Eugene", "Юрий": "Yuri",
                 "Дмитрий": "Dmitry", "Алексей": "Alexey", "Наталья": "Natalia",
                 "Михаил": "Mikhail", "Артём": "Artem"}


def romanise(word: str, scheme: str) -> str:
    """One Cyrillic word in the given scheme, capitalised; BGN writes initial е as ye."""
    table, out, prev = SCHEMES[scheme], [], ""
    for ch in word.lower():
        latin = table.get(ch, ch)
        if scheme in ("bgn", "popular") and ch == "е" and (not prev or prev in _VOWELS):
            latin = "ye"
        if scheme == "icao" and ch == "й" and prev == "и":
            latin = "i"
        out.append(latin)
        prev = ch
    text = "".join(out)
    if scheme == "popular":
        text = text.replace("iya", "ia")
        text = text[:-2] + "y" if text.endswith(("iy", "ii")) else text
    if scheme == "bgn":
        text = text.replace("ë", "ye")
    return text[:1].upper() + text[1:]


def spellings(word: str) -> list[str]:
    """The distinct Latin forms of one Cyrillic word (passport form first)."""
    forms = [romanise(word, s) for s in SCHEMES]
    if word in POPULAR_GIVEN:
        forms.append(POPULAR_GIVEN[word])
    return list(dict.fromkeys(forms))


def patronymic(father: str, female: bool) -> str:
    """Father's Cyrillic given name → patronymic (Александр → Александрович / -овна)."""
    stem = father[:-1] if father[-1] in "йь" else father
    if father.endswith("ий"):
        stem = father[:-2] + "ь"
    if father[-1] in "йь":
        return stem + ("евна" if female else "евич")
    return father + ("овна" if female else "ович")
