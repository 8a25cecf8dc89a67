"""Welcoming Communities CO — offline pre-departure cultural orientation."""

__version__ = "0.1.0"
APP_NAME = "Welcoming Communities CO"
APP_SLUG = "welcoming-communities-co"
