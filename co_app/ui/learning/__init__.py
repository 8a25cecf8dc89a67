"""Learning checks on screen (issue 21): the check in the session runner, its figures in the
session report, the feedback faces."""
