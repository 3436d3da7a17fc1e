"""The public activity catalogue: associations and what they offer."""
