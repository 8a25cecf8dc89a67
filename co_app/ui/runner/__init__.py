"""The session runner: agenda steps, one idea per screen, on the projector."""
