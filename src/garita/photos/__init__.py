"""Photos taken at confirmation: checked, encrypted at rest, shown to the port, deleted on time."""
