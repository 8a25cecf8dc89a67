"""The Qt binding must not lose references to None.

PySide6 6.12.0 decrements None's reference count on every call of a method that returns
nothing (QPainterPath.moveTo, QLabel.setText, …). Python 3.12 made None immortal, which
hides it; on Python 3.11 — Debian 12's — the interpreter aborts with "deallocating None"
once the count runs out: in the middle of a long session. pyproject.toml keeps that
release out; this test keeps it out for good."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    path = QPainterPath()
    before = sys.getrefcount(None)
    for _ in range(1000):
        path.moveTo(QPointF(1.0, 2.0))
        path.lineTo(3.0, 4.0)
        label.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"the Qt binding lost {lost} references to None in 3000 calls"
