"""The main window's pages.  Each is a ``View``: it retranslates itself on a language
switch and refreshes its data when shown."""
