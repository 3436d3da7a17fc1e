"""Enrolments."""
