"""The event page's "Sell tickets" box: what to reserve, the Reserve button and the waiting line.

The cashier picks a ticket type, a quantity (bounded by the limits: ``app.checkout.quantities``) and either
best available (optionally in one price level or area) or the places picked on the seat map, then
presses Reserve (or Enter). ``reserveRequested(ReserveRequest)`` carries the request; the page
owns the engine calls. While the service keeps the request waiting (polling), the box shows
"Waiting in line — next try in N s" with Cancel (``cancelRequested``). When the event cannot be
sold here (``app.checkout.sellability``: maintenance, not transactable, sold out, not on sale)
the controls are disabled and ``saleBlockedReason`` says why; picks that would leave a single seat
alone where the event forbids it (``quantities.single_seat_problem``) disable Reserve, and
``saleHint`` says why. Picked seats are asked for exactly (no fall-back to best available)
unless "If taken, hold best available" (``orBestAvailableCheck``) is ticked; the
request names the picked seats (``asked_seats``) so the engine can tell when others were held.

Object names: ``saleControls``, ``ticketTypeCombo``, ``quantitySpin``, ``bestAvailableRadio``,
``pickedSeatsRadio``, ``orBestAvailableCheck``, ``priceLevelCombo``, ``areaCombo``, ``pickedSeatsLabel``, ``saleHint``,
``saleBlockedReason``, ``reserveButton``, ``pollingLabel``, ``cancelReserveButton``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.checkout.quantities import RESTRICT_SINGLE_NOTE, QuantityBounds, quantity_bounds
from app.checkout.seatpicks import SeatPickProblem, exact_seats_request
from app.checkout.seats import UnknownPlaces, seats_for_places
from app.gui.event.offers import ticket_type_names
from app.gui.event.salerules import seat_picking_note
from app.gui.formatting import format_money, plural
from app.partner.models import Availability, EventDetails, ReserveRequest

ANY = ""


class SaleControls(QGroupBox):
    reserveRequested = Signal(object)  # ReserveRequest
    cancelRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__("Sell tickets", parent)
        self.setObjectName("saleControls")
        self._details: EventDetails | None = None
        self._availability: AvailabilityOrNone = None
        self._picked: list[str] = []
        self._picked_text = ""
        self._blocked: str | None = None
        self._pick_problem: str | None = None  # why the picked seats cannot be reserved
        self._busy = False
        self._bounds = QuantityBounds(1, 1, 1, "")
        self._next_try = 0

        self.ticket_type = QComboBox(self)
        self.ticket_type.setObjectName("ticketTypeCombo")
        self.ticket_type.setAccessibleName("Ticket type")
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("quantitySpin")
        self.quantity.setAccessibleName("Number of tickets")
        self.best = QRadioButton("&Best available", self)
        self.best.setObjectName("bestAvailableRadio")
        self.picked = QRadioButton("Seats picked on the &map", self)
        self.picked.setObjectName("pickedSeatsRadio")
        self.or_best = QCheckBox("&If taken, hold best available", self)
        self.or_best.setObjectName("orBestAvailableCheck")
        self.or_best.setAccessibleName("If the picked seats are taken, hold the best available instead")
        self.or_best.setToolTip("If the picked seats are taken, the service holds the best available seats "
                                "instead; you are asked before they are kept")
        self.best.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.best)
        modes.addButton(self.picked)
        self.price_level = QComboBox(self)
        self.price_level.setObjectName("priceLevelCombo")
        self.price_level.setAccessibleName("Price level")
        self.area = QComboBox(self)
        self.area.setObjectName("areaCombo")
        self.area.setAccessibleName("Area")
        self.picked_label = QLabel("No seats picked on the map.", self)
        self.picked_label.setObjectName("pickedSeatsLabel")
        self.picked_label.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("saleHint")
        self.hint.setWordWrap(True)
        self.blocked_label = QLabel(self)
        self.blocked_label.setObjectName("saleBlockedReason")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.hide()
        self.reserve_button = QPushButton("&Reserve seats", self)
        self.reserve_button.setObjectName("reserveButton")
        self.reserve_button.setAccessibleName("Reserve seats")
        self.reserve_button.setDefault(True)
        self.reserve_button.setToolTip("Hold these seats for the buyer (Enter)")
        self.polling_label = QLabel(self)
        self.polling_label.setObjectName("pollingLabel")
        self.polling_label.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelReserveButton")
        self.cancel_button.setAccessibleName("Cancel the reservation")
        self.cancel_button.setToolTip("Stop waiting; anything already held is released (Esc)")
        self.polling_row = QWidget(self)
        row = QHBoxLayout(self.polling_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.polling_label, 1)
        row.addWidget(self.cancel_button)
        self.polling_row.hide()

        for combo in (self.ticket_type, self.price_level, self.area):
            # Long names must not widen the whole side pane: the combo elides, the popup shows all.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Ticket type:", self.ticket_type)
        form.addRow("&Quantity:", self.quantity)
        form.addRow("Seats:", self.best)
        form.addRow("", self.picked)
        form.addRow("", self.or_best)
        form.addRow("&Price level:", self.price_level)
        form.addRow("&Area:", self.area)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.picked_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.blocked_label)
        layout.addWidget(self.reserve_button)
        layout.addWidget(self.polling_row)
        layout.addStretch(1)
        for a, b in ((self.ticket_type, self.quantity), (self.quantity, self.best), (self.best, self.picked),
                     (self.picked, self.or_best), (self.or_best, self.price_level), (self.price_level, self.area),
                     (self.area, self.reserve_button)):
            self.setTabOrder(a, b)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self.ticket_type.currentIndexChanged.connect(self._refresh)
        self.quantity.valueChanged.connect(self._refresh_hint)
        self.best.toggled.connect(self._refresh)
        self.reserve_button.clicked.connect(self.request_reserve)
        self.cancel_button.clicked.connect(self.cancelRequested)

    # --- filling ----------------------------------------------------------------------------------
    def set_event(self, details: EventDetails | None, availability: Availability | None) -> None:
        self._details, self._availability = details, availability
        self._picked, self._picked_text = [], ""
        self._pick_problem = None
        self.ticket_type.blockSignals(True)
        self.ticket_type.clear()
        for tid, ticket in ticket_type_names(availability, details).items():  # "Adult", not "GPAS1"
            self.ticket_type.addItem(ticket.name, tid)
            self.ticket_type.setItemData(self.ticket_type.count() - 1, ticket.code, Qt.ItemDataRole.ToolTipRole)
        self.ticket_type.blockSignals(False)
        self.area.clear()
        self.area.addItem("Any area", ANY)
        for group in (details.area_groups if details else ()):
            for area in group.areas:
                self.area.addItem(area.description or f"Area {area.id}", area.id)
        self.best.setChecked(True)
        self.or_best.setChecked(False)
        self._refresh()

    def set_picked(self, places: list[str], description: str) -> None:
        """The places picked on the seat map and how to say them (without names when restricted)."""
        self._picked, self._picked_text = list(places), description
        if places:
            self.picked.setChecked(True)
        self._refresh()

    def set_blocked(self, reason: str | None) -> None:
        """Disable the sale with a plain reason (None enables it again)."""
        self._blocked = reason
        self.blocked_label.setText(reason or "")
        self.blocked_label.setVisible(bool(reason))
        self._refresh_enabled()

    def quantity_limit(self) -> int | None:
        """The most seats one sale may take (for the seat map's picking limit)."""
        return self._bounds.maximum if self._bounds.maximum > 0 else None

    def ticket_type_id(self) -> str | None:
        return self.ticket_type.currentData()

    # --- busy / polling ---------------------------------------------------------------------------
    def set_busy(self, text: str | None) -> None:
        """While a reserve runs: the controls are locked and ``text`` says what happens."""
        self._busy = text is not None
        self._tick.stop()
        self.polling_label.setText(text or "")
        self.polling_row.setVisible(self._busy)
        self._refresh_enabled()
        if self._busy:
            self.cancel_button.setFocus()

    def set_waiting(self, seconds: float, round_number: int) -> None:
        self._next_try = max(0, round(seconds))
        self._waiting_round = round_number
        self._show_wait()
        self._tick.start()

    def _show_wait(self) -> None:
        self.polling_label.setText(f"Waiting in line — next try in {self._next_try} s")
        self.polling_label.setAccessibleName(self.polling_label.text())

    def _count_down(self) -> None:
        if self._next_try > 0:
            self._next_try -= 1
        self._show_wait()

    # --- behaviour --------------------------------------------------------------------------------
    def _offers_for_type(self):
        tid = self.ticket_type_id()
        return [o for o in (self._availability.offers if self._availability else ()) if o.ticket_type_id == tid]

    def _refresh(self) -> None:
        details = self._details
        tid = self.ticket_type_id()
        self.ticket_type.setToolTip(self.ticket_type.currentData(Qt.ItemDataRole.ToolTipRole) or "")
        current_level = self.price_level.currentData()
        self.price_level.clear()
        self.price_level.addItem("Any price level", ANY)
        level_names = {p.id: p.description for p in (details.prices if details else ())}
        seen = set()
        for offer in self._offers_for_type():
            level = offer.price_level_id
            if level is None or level in seen:
                continue
            seen.add(level)
            label = level_names.get(level) or f"Price level {level}"
            self.price_level.addItem(f"{label} — {format_money(offer.total_per_ticket, offer.currency)}", level)
        index = self.price_level.findData(current_level)
        self.price_level.setCurrentIndex(max(0, index))
        self._bounds = quantity_bounds(details, self._availability, tid)
        picked_mode = self.picked.isChecked()
        self.quantity.blockSignals(True)
        if picked_mode:
            count = len(self._picked)
            self.quantity.setRange(count, count)
            self.quantity.setValue(count)
        else:
            self.quantity.setRange(self._bounds.minimum, max(self._bounds.minimum, self._bounds.maximum))
            self.quantity.setSingleStep(self._bounds.step)
        self.quantity.blockSignals(False)
        # One rule says whether seats can be picked; the map's note says the same sentence.
        cannot_pick = seat_picking_note(self._availability)
        self.picked.setVisible(cannot_pick is None)
        self.or_best.setVisible(cannot_pick is None)  # its fall-back is about picked seats
        if self._picked:
            self.picked_label.setText(f"{plural(len(self._picked), 'seat')} picked: {self._picked_text}")
        elif cannot_pick:
            self.picked_label.setText(cannot_pick)
        else:
            self.picked_label.setText("No seats picked on the map. Click or drag on the map to pick exact seats.")
        self.picked_label.setVisible(self._availability is not None)
        self._refresh_hint()

    def _refresh_hint(self) -> None:
        notes = []
        if not self.picked.isChecked() and self._bounds.reason:
            notes.append(f"Up to {self._bounds.maximum} tickets ({self._bounds.reason}).")
        if self._availability is not None and self._availability.restrict_single:
            notes.append(RESTRICT_SINGLE_NOTE)
        if self._pick_problem and self.picked.isChecked():
            notes = [self._pick_problem]
        self.hint.setText(" ".join(notes))
        self.hint.setVisible(bool(notes))
        self._refresh_enabled()

    def set_single_seat_warning(self, text: str | None) -> None:
        """The page's check of the picked places against ``restrictSingle`` (None when fine): while
        there is a problem, the picked seats cannot be reserved and the hint says why."""
        self._pick_problem = text or None
        self._refresh_hint()

    def show_note(self, text: str) -> None:
        """A passing remark in the hint (it does not stop the sale), e.g. the map's picking limit."""
        self.hint.setText(text)
        self.hint.show()

    def _refresh_enabled(self) -> None:
        sellable = self._blocked is None and not self._busy and self.ticket_type.count() > 0
        for widget in (self.ticket_type, self.quantity, self.best, self.picked, self.price_level, self.area):
            widget.setEnabled(sellable)
        if self.picked.isChecked():
            self.quantity.setEnabled(False)
            self.price_level.setEnabled(False)
            self.area.setEnabled(False)
        ready = sellable and (
            len(self._picked) > 0 and self._pick_problem is None if self.picked.isChecked() else self._bounds.can_sell
        )
        self.reserve_button.setEnabled(ready)
        self.picked.setEnabled(sellable and bool(self._picked))
        self.or_best.setEnabled(sellable and self.picked.isChecked())

    def request(self) -> ReserveRequest | None:
        tid = self.ticket_type_id()
        if tid is None:
            return None
        if self.picked.isChecked():
            if self._availability is None:
                return None
            try:  # the seats the picks stand for, so other seats held instead are noticed
                asked = seats_for_places(self._availability, self._picked)
            except UnknownPlaces:  # picks no longer listed as free: the service decides
                asked = ()
            try:  # place ids, or section/row/begin/end for seats without them: the core's rule
                return exact_seats_request(self._availability, self._picked, ticket_type_id=tid,
                                           accept_best_available=self.or_best.isChecked(), asked_for_places=asked)
            except SeatPickProblem:  # the hint says why and Reserve is off meanwhile
                return None
        level = self.price_level.currentData() or None
        area = self.area.currentData() or None
        return ReserveRequest.simple(tid, self.quantity.value(), price_level_id=level, area_ids=[area] if area else [])

    def request_reserve(self) -> None:
        if not self.reserve_button.isEnabled():
            return
        request = self.request()
        if request is not None:
            self.reserveRequested.emit(request)


AvailabilityOrNone = Availability | None
