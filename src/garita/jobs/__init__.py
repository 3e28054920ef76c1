"""Background jobs of the staff consoles, recorded in the database so any worker can answer."""
