"""Garita: an open, auditable port-of-entry appointment scheme."""

__version__ = "0.1.0"
