"""Look and feel: large, high-contrast type that survives a washed-out projector."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 12
LARGER_POINT_SIZE = 16

# Colours chosen for contrast (text on background ≥ 7:1) rather than fashion.
STYLESHEET = """
QWidget#mainWindow, QWidget#page { background: #f7f7f4; }
QListWidget#nav {
    background: #123c4a; color: #ffffff; border: none; outline: none;
    padding-top: 8px;
}
QListWidget#nav::item { padding: 12px 14px; border-radius: 6px; margin: 2px 6px; }
QListWidget#nav::item:selected { background: #ffd166; color: #111111; }
QListWidget#nav::item:hover:!selected { background: #1d5567; }
QWidget#appSidebar { background: #123c4a; }  /* not "sidebar": QFileDialog's own places list is named so */
QListWidget { background: #ffffff; border: 1px solid #d0d4d6; border-radius: 8px; padding: 4px; }
QListWidget::item { margin: 4px 2px; }
QListWidget::item:selected { background: #cfe3ea; color: #111111; }
QLabel#sidebarTitle { color: #ffffff; font-weight: bold; padding: 12px 14px 4px 14px; }
QLabel#sidebarCaption { color: #d6e6ea; padding: 8px 14px 0 14px; }
QLabel#pageTitle { font-size: 20pt; font-weight: bold; color: #123c4a; }
QLabel#emptyTitle { font-size: 16pt; font-weight: bold; color: #123c4a; }
QLabel#muted { color: #4a4a4a; }
QLabel#bigDate { font-size: 15pt; color: #333333; }
QFrame#card { background: #ffffff; border: 1px solid #d0d4d6; border-radius: 8px; }
QLabel#statusPresent { color: #0a5a27; font-weight: bold; }
QLabel#statusMissing { color: #8c1f08; font-weight: bold; }
QLabel#warning { background: #fff4d6; border: 1px solid #e0b64a; border-radius: 6px; padding: 10px; }
QPushButton { padding: 8px 16px; border-radius: 6px; border: 1px solid #8a9aa0; background: #ffffff; }
QPushButton:hover { background: #eef4f6; }
QPushButton:focus, QComboBox:focus, QListWidget:focus, QSlider:focus, QLineEdit:focus, QCheckBox:focus {
    border: 2px solid #e07a00;
}
QPushButton#primary { background: #123c4a; color: #ffffff; border: none; font-weight: bold; }
QPushButton#primary:hover { background: #1d5567; }
QPushButton:focus { padding: 7px 15px; }  /* the thicker focus border must not push the text out */
QPushButton#primary:focus { border: 3px solid #ffb000; padding: 5px 13px; }
QPushButton#primary:disabled { background: #a9b4b8; color: #eef1f2; }
QPushButton:disabled { color: #7a7a7a; }
QFrame#videoSurface { background: #000000; }
QPushButton#bigChoice { font-size: 20pt; padding: 18px; border: 2px solid #123c4a; border-radius: 10px; }
QPushButton#bigChoice:focus { border: 4px solid #e07a00; }
QPushButton#sidebarButton { background: #1d5567; color: #ffffff; border: 1px solid #5f8a99; }
QPushButton#link { text-align: left; border: none; background: transparent; color: #0b4f8a; padding: 4px 6px; }
QPushButton#link:hover { background: #eef4f6; }
QPushButton#link:focus { border: 2px solid #e07a00; }
QPushButton#link:disabled { color: #8a8a8a; }
/* The viewer (kiosk) mode: touch-friendly targets, at least 48 px high. */
QWidget#mainWindow[kiosk="true"] QPushButton { min-height: 40px; padding: 10px 22px; }
QWidget#mainWindow[kiosk="true"] QComboBox { min-height: 40px; }
"""


def apply_theme(app: QApplication, *, larger_text: bool) -> None:
    font = QFont(app.font())
    font.setPointSize(LARGER_POINT_SIZE if larger_text else BASE_POINT_SIZE)
    app.setFont(font)
    # Text colour through the palette, not a "QWidget { color }" rule that restyles every widget.
    palette = app.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor("#1b1b1b"))
    app.setPalette(palette)
    app.setStyleSheet(scaled_titles(STYLESHEET, LARGER_POINT_SIZE / BASE_POINT_SIZE) if larger_text else STYLESHEET)


#: The page titles and Home's date, whose size is fixed in the style sheet, grow with larger
#: text too, or a page's title would end up hardly bigger than its body text.  (Card titles
#: stay: they are bold, and a two-line film title would take the video's room.)
_TITLE_RULE = re.compile(r"(QLabel#(?:pageTitle|bigDate) \{ font-size: )(\d+)(pt;)")


def scaled_titles(sheet: str, factor: float) -> str:
    return _TITLE_RULE.sub(lambda m: f"{m.group(1)}{round(int(m.group(2)) * factor)}{m.group(3)}", sheet)
