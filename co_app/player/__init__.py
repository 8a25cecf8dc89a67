"""Video playback behind a small protocol (``protocol.Player``).

``vlc_backend`` is the only module in the project that imports ``vlc``; ``fake`` is an
in-process stand-in for fast tests.  Neither imports Qt: events reach the UI through a
plain callback that the UI bridges onto its own thread.
"""
