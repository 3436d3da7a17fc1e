"""The home page, the statements every public site needs, and the health check."""
