"""The attendance pages: check-in, participants, module coverage, reports, printouts."""
