"""The first-frame baseline: bare libVLC in a bare PySide6 window.

``python -m benchmarks.bare_vlc CLIP`` shows a native window, then times a new libVLC
instance, a media player drawing into that window and ``play()`` until libVLC's first
video output (``MediaPlayerVout``) — the least any libVLC player pays to show a frame.
The clock starts after ``import vlc`` (a Python import, paid once per process by the
application too, at start-up).  Prints ``{"ms": …}``.
"""

from __future__ import annotations

import json
import sys
import threading
import time


def main(argv: list[str]) -> int:
    import vlc
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    clip = argv[0]
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
    window.resize(640, 360)
    window.show()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not window.windowHandle().isExposed():
        app.processEvents()
        time.sleep(0.005)
    window_id = int(window.winId())
    vout = threading.Event()
    seen: list[float] = []

    def on_vout(_event) -> None:  # libVLC's thread
        if not seen:
            seen.append(time.perf_counter())
            vout.set()

    start = time.perf_counter()
    instance = vlc.Instance()
    player = instance.media_player_new()
    media = instance.media_new_path(clip)
    player.set_media(media)
    player.set_xwindow(window_id)
    player.event_manager().event_attach(vlc.EventType.MediaPlayerVout, on_vout)
    player.play()
    while not vout.is_set() and time.perf_counter() - start < 20:  # Qt keeps the window alive
        app.processEvents()
        vout.wait(0.005)
    if not seen:
        sys.exit("libVLC never reported a video output")
    player.stop()
    player.release()
    instance.release()
    print(json.dumps({"ms": 1000 * (seen[0] - start)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
