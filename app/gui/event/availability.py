"""Availability at a glance: per ticket type, free / total as a bar, the current ticket limit, and
whether it is reserved seating or general admission (a heading line above each bar).

``AvailabilityView`` (objectName ``availabilityView``) shows each availability answer (a new answer
with as many lines as the one shown, say the same event after a sale, reuses the line widgets);
each ticket entry of the answer is one line, named by the price-level names from the event details
when the shell passes them, else by its ticket types' names (``Adult · Child``; the offer codes are
in the tooltip).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.gui.event.offers import ticket_type_names
from app.gui.formatting import format_count, plural


def _limit_text(limit: int | None, event_limit: int | None) -> str:
    if limit is None and not event_limit:
        return "No ticket limit"
    if limit is None:
        return f"Up to {event_limit} per order"
    text = f"Up to {limit} now"
    if event_limit and event_limit != limit:
        text += f" (event limit {event_limit})"
    return text


class AvailabilityView(QFrame):
    """Bars of free / total seats per ticket type, with the limits that bound a sale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("availabilityView")
        self.setAccessibleName("Availability per ticket type")
        self.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._summary = QLabel("No availability yet.")
        self._summary.setObjectName("availabilitySummary")
        self._summary.setWordWrap(True)
        outer.addWidget(self._summary)
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 4, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        outer.addWidget(self._grid_host)
        self._bars: list[QProgressBar] = []
        self._lines: list[tuple[QLabel, QLabel, QLabel, QProgressBar]] = []

    def set_availability(self, availability: Any, price_level_names: dict[str, str] | None = None) -> None:
        """Show one line per ticket entry of ``availability`` (an app.partner.models.Availability)."""
        names = price_level_names or {}
        tickets = availability.tickets
        if len(self._lines) != len(tickets):  # the same number of lines (the same event again): reused
            self._clear()
        total_free = sum(t.available for t in tickets)
        summary = f"<b>{format_count(total_free)}</b> free of {format_count(sum(t.total for t in tickets))}"
        limit = availability.event_ticket_limit
        summary += f" · up to {plural(limit, 'ticket')} per order" if limit else " · no event ticket limit"
        if availability.restrict_single:
            summary += " · a single seat may not be left alone in a row"
        self._summary.setText(summary)
        if not tickets:
            self._summary.setText("No ticket types are on sale for this event.")
        kinds = ticket_type_names(availability)
        for index, ticket in enumerate(tickets):
            offer_names = list(dict.fromkeys(o.offer_name or o.ticket_type_id for o in ticket.offers))
            levels = list(dict.fromkeys(o.price_level_id for o in ticket.offers if o.price_level_id))
            title = " · ".join(dict.fromkeys(kinds[o.ticket_type_id].name for o in ticket.offers)) or "Ticket type"
            level_text = ", ".join(names.get(level, f"Price level {level}") for level in levels)
            name, seating, limit_label, bar = self._line(index)
            name.setText(f"<b>{level_text or title}</b>")
            name.setToolTip(f"{title} — offers {' · '.join(offer_names)}" if offer_names else title)
            seating.setText("General admission" if ticket.is_general_admission else "Reserved seating")
            limit_label.setText(_limit_text(ticket.current_ticket_limit, ticket.event_ticket_limit or limit))
            bar.setRange(0, max(ticket.total, ticket.available, 1))
            bar.setValue(ticket.available)
            bar.setFormat(f"{format_count(ticket.available)} of {format_count(ticket.total)} free")
            bar.setAccessibleName(f"{level_text or title}: {ticket.available} of {ticket.total} free")

    def _line(self, index: int) -> tuple[QLabel, QLabel, QLabel, QProgressBar]:
        """The widgets of line ``index``, made when first needed: a new answer for the same event only
        changes their texts (making, polishing and laying out ~30 widgets again took ~10 ms of the GUI
        thread on the stadium page)."""
        if index < len(self._lines):
            return self._lines[index]
        name = QLabel()
        name.setTextFormat(Qt.TextFormat.RichText)
        seating = QLabel()
        seating.setObjectName("seatingLabel")
        limit_label = QLabel()
        limit_label.setObjectName("ticketLimitLabel")
        limit_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QProgressBar()
        bar.setObjectName("availabilityBar")
        bar.setTextVisible(True)
        bar.setMaximumHeight(bar.fontMetrics().height() + 6)
        for label in (name, seating, limit_label):
            label.setWordWrap(True)  # a narrow side column wraps the heading instead of clipping
        bar.setMinimumWidth(120)
        row = index * 2
        self._grid.addWidget(name, row, 0)
        self._grid.addWidget(seating, row, 1)
        self._grid.addWidget(limit_label, row, 2)
        self._grid.addWidget(bar, row + 1, 0, 1, 3)
        self._bars.append(bar)
        self._lines.append((name, seating, limit_label, bar))
        return self._lines[index]

    def bars(self) -> list[QProgressBar]:
        return list(self._bars)

    def clear(self, sentence: str = "No availability yet.") -> None:
        """No bars; ``sentence`` says why (loading, or the event could not be loaded)."""
        self._clear()
        self._summary.setText(sentence)

    def _clear(self) -> None:
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._bars = []
        self._lines = []
