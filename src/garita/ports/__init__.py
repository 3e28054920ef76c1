"""The port's day: check-in, per-person outcomes, no-shows."""
