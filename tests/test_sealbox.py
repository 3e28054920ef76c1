"""One sealing construction for photos and two-factor secrets (``garita.sealbox``): keys
and key ids are derived exactly as before it was shared, so boxes already stored open."""

from __future__ import annotations

import hashlib

import pytest

from garita.auth.totpkeys import TotpKeys
from garita.photos.sealing import PhotoKeys
from garita.sealbox import Altered, KeyNotConfigured, SealKeys


@pytest.mark.parametrize("label", ["garita-photo-key", "garita-totp-key"])
def test_keys_and_ids_are_derived_as_the_stored_boxes_were(label):
    keys = SealKeys.of(label, "a configured secret", ("an older one",))
    old = hashlib.sha256(label.encode() + b"\x00a configured secret").digest()
    assert keys.current == old
    assert keys.current_id == hashlib.sha256(label.encode() + b"-id\x00" + old).hexdigest()[:16]
    assert keys.previous == (hashlib.sha256(label.encode() + b"\x00an older one").digest(),)


def test_one_secret_gives_each_use_its_own_key():
    assert PhotoKeys.of("same").current_id != TotpKeys.of("same").current_id


def test_a_box_opens_only_under_its_key_and_row():
    keys = SealKeys.of("garita-test", "k")
    box = keys.seal(b"data", b"row 1")
    assert keys.open(box, keys.current_id, b"row 1") == b"data"
    with pytest.raises(Altered):
        keys.open(box, keys.current_id, b"row 2")
    with pytest.raises(KeyNotConfigured):
        SealKeys.of("garita-test", "other").open(box, keys.current_id, b"row 1")
    rotated = SealKeys.of("garita-test", "new", ("k",))
    assert rotated.open(box, keys.current_id, b"row 1") == b"data"
