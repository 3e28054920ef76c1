"""Locators built once per process, per boundary file.

Building a locator takes about a second (reading and rasterising polygons), so the
application asks here instead of constructing one per request. Settings decide the
path and pass it in; this module never imports settings.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

from garita.geo.locators import DefaultLocator, PolygonLocator, StateLocator

_LOCK = threading.Lock()
_LOCATORS: dict[Path | None, StateLocator] = {}


def locator_from(boundary_file: Path | str | None = None) -> StateLocator:
    """The locator for a GeoJSON boundary file, or the offline default when None.

    Cached per resolved path for the life of the process; a changed file under the
    same path needs :func:`clear_cache` (its hash is in the locator's ``version``).
    """
    key = None if boundary_file is None else Path(boundary_file).resolve()
    with _LOCK:
        locator = _LOCATORS.get(key)
        if locator is None:
            locator = DefaultLocator() if key is None else PolygonLocator.from_geojson(key)
            _LOCATORS[key] = locator
            _return_freed_memory()
        return locator


def _return_freed_memory() -> None:
    """Hand the heap's freed pages back to the OS (glibc's ``malloc_trim``).

    Rasterising the polygons frees ~40 MB of temporaries that glibc would keep
    mapped, counted in every API worker's resident size (target ≤ 300 MB,
    docs/benchmarks.md). Elsewhere (musl, macOS) this does nothing.
    """
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's own symbols
    if trim is not None:
        trim(0)


def clear_cache() -> None:
    """Forget built locators (tests; boundary file replaced in place)."""
    with _LOCK:
        _LOCATORS.clear()


_FINDER_LOCK = threading.Lock()
_FINDER: list = []


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA time zone at a point (timezonefinder's polygons), None at sea.

    Messages name times in the reader's zone: where the applicant asked from. The
    finder is built once per process (~0.2 s) and only when a message needs it.
    """
    with _FINDER_LOCK:
        if not _FINDER:
            from timezonefinder import TimezoneFinder

            _FINDER.append(TimezoneFinder())
        finder = _FINDER[0]
    return finder.timezone_at(lng=lon, lat=lat)
