"""The road-time table lives with the policy (`garita.policy.roads`) so that the draw,
below this feature, reads it too; the corridor keeps this name for it."""

from garita.policy.roads import Table, load, parse, places

__all__ = ["Table", "load", "parse", "places"]
