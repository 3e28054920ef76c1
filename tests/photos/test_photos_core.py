"""The photo checks and the sealing, as values: what is refused says why; what is kept
is re-encoded without metadata; a sealed photo opens only with its key, on its own row."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from garita.photos import core
from garita.photos.sealing import PhotoKeys
from photo_kit import face_image, face_jpeg


def encoded(image: Image.Image, kind: str = "JPEG", **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("skin", [(224, 172, 105), (141, 85, 36), (61, 35, 20)])
def test_a_face_is_kept_whatever_the_skin(skin):
    kept = core.check(face_jpeg(skin=skin))
    assert (kept.width, kept.height) == (480, 640)
    assert Image.open(io.BytesIO(kept.jpeg)).format == "JPEG"


def test_a_large_photo_is_kept_smaller_and_without_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a GPS block would ride the same way
    kept = core.check(encoded(face_image(1200, 1600), exif=exif.tobytes()))
    assert max(kept.width, kept.height) == core.STORED_SIDE
    assert not Image.open(io.BytesIO(kept.jpeg)).getexif()


@pytest.mark.parametrize(("data", "says"), [
    (b"", "No photo was sent"),
    (b"%PDF-1.7 not an image", "not a photo we can read"),
    (b"x" * (core.MAX_BYTES + 1), "too large"),
])
def test_what_is_not_a_photo_is_refused_with_the_fix(data, says):
    with pytest.raises(core.Unusable, match=says):
        core.check(data)


@pytest.mark.parametrize(("image", "says"), [
    (face_image(200, 260), "at least 240"),
    (face_image(1200, 300), "too narrow"),
    (Image.new("RGB", (480, 640), (128, 128, 128)), "blank"),
    (Image.eval(face_image(), lambda v: v // 8), "too dark"),
    (Image.eval(face_image(), lambda v: min(255, v + 150)), "too bright"),
])
def test_unusable_pictures_are_refused_with_the_fix(image, says):
    with pytest.raises(core.Unusable, match=says):
        core.check(encoded(image, "PNG"))


@settings(max_examples=40, deadline=None)
@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
       st.integers(240, 900), st.integers(240, 900))
def test_any_picture_of_one_colour_is_refused(colour, width, height):
    image = Image.new("RGB", (width, height), colour)
    with pytest.raises(core.Unusable):
        core.check(encoded(image, "PNG"))


KEYS = PhotoKeys.of("a test photo key that is long enough 0123456789")


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=16, max_size=2000), st.integers(1, 10**6), st.integers(1, 10**6))
def test_a_sealed_photo_opens_on_its_own_row_only(jpeg, offer_id, person_id):
    sealed = KEYS.seal(jpeg, offer_id, person_id)
    assert jpeg not in sealed
    assert KEYS.open(sealed, KEYS.current_id, offer_id, person_id) == jpeg
    with pytest.raises(ValueError, match="altered or moved"):
        KEYS.open(sealed, KEYS.current_id, offer_id + 1, person_id)
    with pytest.raises(ValueError, match="altered or moved"):
        KEYS.open(sealed, KEYS.current_id, offer_id, person_id + 1)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_changed_byte_fails(data):
    sealed = bytearray(KEYS.seal(b"photo bytes", 1, 2))
    i = data.draw(st.integers(0, len(sealed) - 1))
    sealed[i] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ValueError):
        KEYS.open(bytes(sealed), KEYS.current_id, 1, 2)


def test_rotation_opens_old_photos_with_the_previous_key_only():
    old = PhotoKeys.of("the old photo key, long and random enough 42")
    sealed = old.seal(b"jpeg", 3, 4)
    rotated = PhotoKeys.of("the new photo key, long and random enough 43",
                           ("the old photo key, long and random enough 42",))
    assert rotated.open(sealed, old.current_id, 3, 4) == b"jpeg"
    with pytest.raises(ValueError, match="not configured"):
        KEYS.open(sealed, old.current_id, 3, 4)
