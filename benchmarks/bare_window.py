"""The start-up baseline: the least a PySide6 application pays to paint a window.

Same size as the main window, same first-paint probe as ``co_app/ui/shell/application.py``,
and nothing else imported, so the difference to our start-up is what *we* add.  With
``--stay`` it prints the line and keeps running: the idle-memory baseline.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

PROBE_LINE = "bare: window shown"


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(PROBE_LINE, flush=True)
            if "--stay" not in sys.argv:
                QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Welcoming Communities CO"))
    window.resize(1200, 780)
    probe = FirstPaint(window)
    window.installEventFilter(probe)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
