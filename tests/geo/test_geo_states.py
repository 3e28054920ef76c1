import pytest

from garita.geo.states import STATE_CODES, STATE_NAMES, canonical_state, require_state


def test_thirty_two_entities_with_unique_codes():
    assert len(STATE_NAMES) == 32 == len(set(STATE_CODES.values()))


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Distrito Federal", "Ciudad de México"),  # Natural Earth
        ("Mexico City", "Ciudad de México"),  # reverse_geocoder
        ("cdmx", "Ciudad de México"),
        ("DF", "Ciudad de México"),
        ("Mexico", "México"),  # reverse_geocoder: Estado de México
        ("Estado de Mexico", "México"),  # GeoNames long name
        ("MX", "México"),  # the postal code is the state, not the country
        ("Michoacan", "Michoacán"),
        ("Estado de Michoacan de Ocampo", "Michoacán"),
        ("nuevo leon", "Nuevo León"),
        ("NUEVO LEÓN", "Nuevo León"),
        ("Queretaro", "Querétaro"),
        ("San Luis Potosi", "San Luis Potosí"),
        ("Yucatan", "Yucatán"),
        ("Estado de Coahuila de Zaragoza", "Coahuila"),
        ("Estado de Veracruz-Llave", "Veracruz"),
        ("  Chiapas ", "Chiapas"),
        ("cs", "Chiapas"),
        ("TB", "Tabasco"),
    ],
)
def test_aliases(spelling, canonical):
    assert canonical_state(spelling) == canonical


@pytest.mark.parametrize("bad", ["", None, "Texas", "Guatemala", "XX"])
def test_unknown(bad):
    assert canonical_state(bad) is None


def test_require_state_names_the_bad_input():
    with pytest.raises(ValueError, match="Texas"):
        require_state("Texas")


def test_every_canonical_name_and_code_round_trips():
    for name, code in STATE_CODES.items():
        assert canonical_state(name) == name
        assert canonical_state(code) == name
