"""Welcoming Communities CO — start the application or run a command (see README.md)."""
from co_app.app import main

raise SystemExit(main())
