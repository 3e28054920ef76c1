"""The audit anchor key: production refuses to start without a real one; development
anchors with a derived key and says so; the settings name what to fix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from test_secrets import strong

from garita.audit import anchor_keys
from garita.settings import Settings


def _refusal(**values: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Settings(**values)
    return str(caught.value)


def test_production_refuses_a_missing_anchor_key():
    values = strong()
    del values["audit_anchor_key"]
    assert "GARITA_AUDIT_ANCHOR_KEY is not set" in _refusal(**values)


@pytest.mark.parametrize("bad", ["dev-only-anchor", "AAAA", "A" * 43, "not base64 at all!"])
def test_production_refuses_a_development_or_malformed_anchor_key(bad):
    message = _refusal(**(strong() | {"audit_anchor_key": bad}))
    assert "GARITA_AUDIT_ANCHOR_KEY is" in message


def test_production_refuses_the_notice_key_reused_for_anchors():
    values = strong()
    notice = next(iter(values["notice_signing_keys"].values()))  # type: ignore[attr-defined]
    assert "must differ from the notice signing keys" in _refusal(
        **(values | {"audit_anchor_key": notice}))


def test_development_anchors_with_a_derived_key_marked_dev():
    keys = anchor_keys.from_settings(Settings())
    assert keys.dev and keys.kid.startswith("DEV")
    assert "GARITA_AUDIT_ANCHOR_KEY is not set" in " ".join(Settings().secret_problems())


def test_a_real_key_and_its_rotated_predecessors_form_the_ring():
    old_kid, _, old_public = anchor_keys.generate()
    kid, private, _ = anchor_keys.generate()
    keys = anchor_keys.from_settings(Settings(**(strong() | {
        "audit_anchor_key": private, "audit_anchor_previous_keys": [old_public]})))
    assert not keys.dev and keys.kid == kid and set(keys.public) == {kid, old_kid}
    with pytest.raises(ValueError, match="GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS"):
        anchor_keys.build(private, ["short"], "x")
