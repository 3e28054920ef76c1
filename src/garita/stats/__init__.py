"""Statistics: CBP's public encounter files imported as published, Garita's own flows, open data."""
