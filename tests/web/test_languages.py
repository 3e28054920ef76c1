"""Five languages everywhere: every message id translated (not copied), pages and API
errors in the language asked for."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from garita.messaging import templates
from garita.web import i18n, problems
from kit import OAXACA, applicant, ask, link_token, register, sent

# Proper names, written the same in these languages.
SAME = {"es": {"Tapachula", "Villahermosa"}, "pt": {"Tapachula", "Villahermosa"},
        "ht": {"Tapachula", "Villahermosa"}, "ru": set()}


def _fields(text: str) -> set[str]:
    braces = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return braces | set(re.findall(r"%\((\w+)\)", text))


def test_every_message_id_has_a_real_translation_in_all_five():
    ids = i18n.message_ids()
    assert len(ids) > 150
    for language in i18n.LANGUAGES:
        with i18n.po_path(language).open("rb") as f:
            catalog = read_po(f, locale=language)
        for key, msgid in ids.items():
            message = catalog.get(msgid if isinstance(msgid, str) else msgid[0])
            assert message is not None, f"{language}: missing {key!r}"
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(forms), f"{language}: empty {key!r}"
            assert not message.fuzzy, f"{language}: fuzzy {key!r}"
            for form in forms:
                assert _fields(form) <= _fields(key) | {"num"}, f"{language}: {key!r}"
                assert _fields(key) - {"num"} <= _fields(form), f"{language}: {key!r}"
            if language != "en" and key not in SAME[language]:
                assert forms[0] != key, f"{language}: copied, not translated: {key!r}"


def _english(html: str, language: str) -> list[str]:
    """English sentences of the catalogue that appear on a page in another language."""
    tr = i18n.translations(language)
    text = re.sub(r"<[^>]+>", "\n", html)
    found = []
    for key in i18n.message_ids():
        if len(key) < 12 or "%(" in key or "{" in key or tr.gettext(key) == key:
            continue
        if key in text:
            found.append(key)
    return found


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_no_page_shows_an_untranslated_string(app, clock, language):
    client = TestClient(app)
    client.cookies.set(i18n.COOKIE, language)
    for path in ("/", "/signup", "/signin", "/reset", "/verify"):
        html = client.get(path).text
        assert f'lang="{language}"' in html
        assert not _english(html, language), (path, _english(html, language))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signup").text).group(1)
    email = f"p-{language}@example.org"
    r = client.post("/signup", data={"csrf": token, "email": email,
                                     "password": "correct horse battery", "role": "ngo"})
    assert r.status_code == 200 and not _english(r.text, language)  # "check your email"
    message = sent(client, email, "account.verify")  # in the language the person used
    assert message != templates.render("account.verify", "en", {
        "code": "0", "link": "x", "hours": 24}).body and "/verify/" in message
    r = client.get(f"/verify/{link_token(message, '/verify')}")
    assert r.status_code == 200 and not _english(r.text, language)
    r = client.post("/signin", data={
        "csrf": token, "email": email, "password": "correct horse battery"})
    assert r.status_code == 200 and "/desk" in str(r.url)
    for path in ("/desk", "/me", "/me/registrations/new?size=3", "/account",
                 "/account/two-factor"):
        html = client.get(path).text
        assert not _english(html, language), (path, _english(html, language))
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    r = client.post("/me/registrations/new", data={"csrf": token, "size": "3",
                                                   "us_address.zip": "1", "consent": "yes"})
    assert r.status_code == 422
    assert not _english(r.text, language)
    assert i18n.translations(language).gettext("This field is required.") in r.text


def test_api_errors_follow_accept_language(app, clock):
    client = TestClient(app)
    headers = applicant(client)
    reg = register(client, headers)
    clock.set_et(clock.now.date(), 14)
    r = client.post(f"/registrations/{reg['id']}/requests",
                    json={"port": "SYS", "lat": OAXACA[0], "lon": OAXACA[1]},
                    headers={**headers, "Accept-Language": "es-MX,es;q=0.9"})
    body = r.json()
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert body["title"] == "Rechazado por las reglas vigentes"
    assert "está fuera del área permitida" in body["detail"] and "Chiapas y Tabasco" in body["detail"]
    english = ask(client, headers, reg["id"], OAXACA).json()["detail"]
    assert "is outside the eligible area" in english
    r = client.get("/registrations/999999", headers={**headers, "Accept-Language": "ru"})
    assert r.json()["detail"] == "Регистрация 999999 не существует или не ваша."
    r = client.post("/registrations", json={"phone": "12"},
                    headers={**headers, "Accept-Language": "pt-BR"})
    assert r.status_code == 422 and "Este campo é obrigatório." in r.json()["detail"]


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_every_pattern_translates_with_its_values(language):
    sample = "Already requested for 2024-09-10 at SYS; one request per day. Try another port tomorrow."
    out = problems.translate(sample, language)
    assert out != sample and "2024-09-10" in out and "SYS" in out
    assert problems.translate("A sentence nobody wrote.", language) == "A sentence nobody wrote."
