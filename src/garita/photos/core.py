"""Is this a usable face photo? Pure checks of an image's bytes (Pillow, no model).

No face recognition here (none is asked for, and the real scheme's face capture
failed darker-skinned people more often): only what a camera or an upload can get
wrong and a person can fix — a file that is not an image, a picture too small or
too large, one too dark, too bright, washed out or blank. The exposure bounds
are deliberately wide, and read from the whole frame's histogram, so a dark
face on a dark background is not refused for its skin.

The accepted photo is re-encoded (JPEG, at most ``STORED_SIDE`` pixels on its
longer side, no metadata): a phone's EXIF carries the place it was taken, which
is not ours to keep.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

MAX_BYTES = 900_000  # one upload; the service's body limit is 1 MiB
MIN_SIDE = 240  # pixels on the shorter side: a face an officer can compare
MAX_SIDE = 6000  # pixels on the longer side (and a decompression-bomb guard below)
MAX_PIXELS = 40_000_000
ASPECT = (0.5, 2.0)  # width / height: a portrait or a landscape frame, not a strip
MEAN = (35.0, 225.0)  # mean luminance (0-255): darker is too dark, brighter too bright
MIN_SPREAD = 12.0  # standard deviation of luminance: below it the picture is blank or fogged
MAX_CLIPPED = 0.6  # share of pixels at pure black or white: over it the picture is burnt out
STORED_SIDE = 640
FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class Checked:
    """A photo that passed: the re-encoded JPEG and what was measured on it."""

    jpeg: bytes
    width: int
    height: int
    mean: float
    spread: float


class Unusable(ValueError):
    """The photo cannot be used; the message says what to do instead."""


def luminance_stats(histogram: list[int]) -> tuple[float, float, float]:
    """(mean, standard deviation, clipped share) of a 256-bin luminance histogram.

    >>> luminance_stats([0] * 128 + [10] + [0] * 127)
    (128.0, 0.0, 0.0)
    """
    total = sum(histogram)
    if total == 0:
        return 0.0, 0.0, 1.0
    mean = sum(i * n for i, n in enumerate(histogram)) / total
    variance = sum(n * (i - mean) ** 2 for i, n in enumerate(histogram)) / total
    clipped = (sum(histogram[:6]) + sum(histogram[250:])) / total
    return mean, math.sqrt(variance), clipped


def exposure_problem(mean: float, spread: float, clipped: float) -> str | None:
    """What is wrong with the light, as a sentence the person can act on, or None."""
    if mean < MEAN[0]:
        return "The photo is too dark: face a window or a lamp and take the photo again."
    if mean > MEAN[1] or clipped > MAX_CLIPPED:
        return "The photo is too bright: move out of direct light and take the photo again."
    if spread < MIN_SPREAD:
        return ("The photo is blank or blurred (almost one colour): uncover the camera, "
                "face it and take the photo again.")
    return None


def check(data: bytes) -> Checked:
    """The photo re-encoded for storage, or :class:`Unusable` saying what to fix."""
    # lazy, as in notices: API worker memory (docs/benchmarks.md)
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise Unusable("No photo was sent: take a photo of the person's face, or choose one.")
    if len(data) > MAX_BYTES:
        raise Unusable(f"The photo is too large ({len(data) // 1000} kB); the limit is "
                       f"{MAX_BYTES // 1000} kB. Take it again at a lower resolution.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in FORMATS:
                raise UnidentifiedImageError(kind)
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise Unusable(f"The photo is {width}×{height} pixels; at most {MAX_SIDE} on "
                               "a side. Take it again at a lower resolution.")
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise Unusable("This file is not a photo we can read: send a JPEG, PNG or WebP "
                       "image.") from None
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise Unusable(f"The photo is {width}×{height} pixels; the face needs at least "
                       f"{MIN_SIDE} on each side. Come closer or use a better camera.")
    if not ASPECT[0] <= width / height <= ASPECT[1]:
        raise Unusable(f"The photo is {width}×{height} pixels, too narrow for a face; "
                       "take it again holding the phone upright.")
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    mean, spread, clipped = luminance_stats(image.convert("L").histogram())
    problem = exposure_problem(mean, spread, clipped)
    if problem:
        raise Unusable(problem)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no EXIF, no metadata
    return Checked(out.getvalue(), image.width, image.height, round(mean, 1), round(spread, 1))
