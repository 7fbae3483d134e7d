"""Synthetic Discovery (Compass v2) extract generator with planted truth."""
