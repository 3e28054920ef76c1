"""Signed appointment notices: token, QR code, PDF, offline verification, DOB check."""
