"""Kept for older imports: the builders live in ``tests/kit.py``."""

from kit import *  # noqa: F403
