"""The offline map of Europe with the receiving towns pinned; a click on a pin opens the
town.  Drawn with QPainter from the bundled outlines — nothing is fetched."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from co_app.core.content.map_data import EuropeMap

SEA, LAND, BORDER = QColor("#dbe9f1"), QColor("#f4f1e8"), QColor("#9aa5a9")
HOME_COUNTRY = QColor("#fde7b0")  # the countries with a receiving town
PIN, DESTINATION = QColor("#123c4a"), QColor("#d1495b")
PIN_RADIUS = 9


@dataclass(frozen=True)
class Pin:
    town_id: str
    label: str
    lon: float
    lat: float
    country: str


class EuropeMapWidget(QWidget):
    town_clicked = Signal(str)

    def __init__(self, europe: EuropeMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.europe = europe
        self.pins: list[Pin] = []
        self.destination: str | None = None
        self._paths = {c.id: self._country_path(c.rings) for c in europe.countries}
        self.setMinimumSize(360, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _country_path(self, rings) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)  # holes and outer rings are not told apart
        for ring in rings:
            points = [QPointF(*self.europe.project(lon, lat)) for lon, lat in ring]
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
            path.closeSubpath()
        return path

    def set_pins(self, pins: list[Pin], destination: str | None) -> None:
        self.pins = pins
        self.destination = destination
        self.update()

    # -- geometry ---------------------------------------------------------------------
    def _view_box(self) -> QRectF:
        """The part of the map to show, in map units: the towns with a margin of land
        around them (all of the frame when there are no pins)."""
        if not self.pins:
            width, height = self.europe.size
            return QRectF(0, 0, width, height)
        points = [self.europe.project(p.lon, p.lat) for p in self.pins]
        xs, ys = [x for x, _y in points], [y for _x, y in points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-6, -6, 6, 5)

    def _scale_and_offset(self) -> tuple[float, QPointF]:
        box = self._view_box()
        scale = min(self.width() / box.width(), self.height() / box.height())
        offset = QPointF((self.width() - box.width() * scale) / 2 - box.x() * scale,
                         (self.height() - box.height() * scale) / 2 - box.y() * scale)
        return scale, offset

    def pin_position(self, pin: Pin) -> QPointF:
        scale, offset = self._scale_and_offset()
        x, y = self.europe.project(pin.lon, pin.lat)
        return QPointF(offset.x() + x * scale, offset.y() + y * scale)

    def pin_at(self, point: QPointF) -> Pin | None:
        for pin in self.pins:
            centre = self.pin_position(pin)
            if (centre.x() - point.x()) ** 2 + (centre.y() - point.y()) ** 2 <= (PIN_RADIUS + 6) ** 2:
                return pin
        return None

    # -- painting and input -----------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), SEA)
        scale, offset = self._scale_and_offset()
        painter.save()
        painter.translate(offset)
        painter.scale(scale, scale)
        border = QPen(BORDER, 0)  # cosmetic: one pixel whatever the scale
        homes = {pin.country for pin in self.pins}
        for country_id, path in self._paths.items():
            painter.fillPath(path, HOME_COUNTRY if country_id in homes else LAND)
            painter.strokePath(path, border)
        painter.restore()
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        placed: list[QRectF] = [QRectF(self.pin_position(p) - QPointF(PIN_RADIUS, PIN_RADIUS),
                                       QSizeF(2 * PIN_RADIUS, 2 * PIN_RADIUS)) for p in self.pins]
        for pin in self.pins:
            self._draw_pin(painter, pin, placed)
        painter.end()

    def _label_rect(self, painter: QPainter, pin: Pin, radius: float, placed: list[QRectF]) -> QRectF:
        """Above the pin, else below, right or left: the first place no other label takes."""
        centre = self.pin_position(pin)
        rect = QRectF(painter.fontMetrics().boundingRect(pin.label)).adjusted(-4, -2, 4, 2)
        gap = radius + 3
        candidates = (QPointF(0, -gap - rect.height() / 2), QPointF(0, gap + rect.height() / 2),
                      QPointF(gap + rect.width() / 2, 0), QPointF(-gap - rect.width() / 2, 0))
        for shift in candidates:
            rect.moveCenter(centre + shift)
            if not any(rect.intersects(other) for other in placed):
                break
        else:
            rect.moveCenter(centre + candidates[0])
        placed.append(QRectF(rect))
        return rect

    def _draw_pin(self, painter: QPainter, pin: Pin, placed: list[QRectF]) -> None:
        centre = self.pin_position(pin)
        chosen = pin.town_id == self.destination
        radius = PIN_RADIUS + (4 if chosen else 0)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(DESTINATION if chosen else PIN)
        painter.drawEllipse(centre, radius, radius)
        text_rect = self._label_rect(painter, pin, radius, placed)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.drawRoundedRect(text_rect, 4, 4)
        painter.setPen(DESTINATION if chosen else PIN)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, pin.label)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        over = self.pin_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        self.setToolTip(over.label if over else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pin = self.pin_at(event.position())
        if pin is not None and event.button() == Qt.MouseButton.LeftButton:
            self.town_clicked.emit(pin.town_id)
