"""Integrity: watchlist screening, duplicate identities, shared-attribute rings, alerts."""
