"""Simulation: scenario → synthetic population → days of operation through the engines."""
