"""The payment page: card, cash at the counter, invoice or a signed-in member's saved card, for the
cart's unpaid balance.

Every field is checked here before anything is sent, by the core's rules the CLI uses too
(``app.checkout.paymentform``): a field's error appears under it once the cashier leaves it, all
of them when they try to go on, and "Pay" (``payButton``) is only enabled when the chosen method's
form is complete. ``take_card_payment()`` hands the card to the caller and empties the number and
security-code fields in the same breath; the page itself never keeps them. The member option is
hidden unless a member is signed in. Cash (``cashfields``) shows the change due as the amount
received is typed; it is sent as an invoice with the receipt number as its reference.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.checkout import cardrules
from app.checkout.paymentform import (
    CardForm,
    CashForm,
    InvoiceForm,
    billing_address,
    billing_contact,
    check_card_form,
    check_cash_form,
    check_invoice_form,
    member_card_problems,
)
from app.gui.focuscue import lead_to
from app.gui.formatting import format_money
from app.gui.sale.billing import AddressFields, CardFields, ContactFields, FieldGroup, MemberFields, saved_card_label
from app.gui.sale.cashfields import CashFields
from app.gui.sale.pagebase import CheckedField, page_title
from app.gui.sale.paymentlayout import TwoColumns, align_labels
from app.gui.sale.paymentwords import FIELD_WORDS, ServiceRequired
from app.partner.models import BillingContact, BillingMethod, CardDetails

CARD, CASH, INVOICE, MEMBER = "card", "cash", "invoice", "member"


@dataclass(frozen=True)
class MemberPayment:
    method: BillingMethod
    cvv: str

    def __repr__(self) -> str:
        return f"MemberPayment(method={self.method.id!r}, cvv='•••')"


class PaymentPage(QWidget):
    """How the buyer pays — card, cash, invoice or a member's saved card — with every field checked before
    anything is sent (see the module docstring). Signals: ``payRequested``, ``backRequested``."""

    payRequested = Signal()
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None, *, in_parts: bool = False) -> None:
        """``in_parts``: build only the frame now; ``build_part()`` adds the rest, a part per call."""
        super().__init__(parent)
        self.setObjectName("paymentPage")
        self._busy = False
        self._amount: tuple[Decimal, str | None] | None = None
        self._server_required = ServiceRequired()  # fields the service said it needs (10002)
        self._parts: Iterator[None] | None = self._build()
        next(self._parts)
        if not in_parts:
            self.finish_building()

    def build_part(self) -> bool:
        """Build the next part of the page; True while parts are left."""
        if self._parts is not None:
            try:
                next(self._parts)
            except StopIteration:
                self._parts = None
        return self._parts is not None

    def finish_building(self) -> None:
        while self.build_part():
            pass

    def _build(self) -> Iterator[None]:
        # Each ``yield`` ends a part (a few milliseconds each: the whole took ~25 ms in one slice).
        outer = QVBoxLayout(self)
        outer.addWidget(page_title("Payment", "", self))
        self.amount_label = QLabel(self)
        self.amount_label.setObjectName("amountDue")
        self.amount_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.amount_label)

        choice = QHBoxLayout()
        choice.addWidget(QLabel("Pay by:", self))
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str, QRadioButton] = {}
        for key, text in ((CARD, "Card"), (CASH, "Cash"), (INVOICE, "Invoice"), (MEMBER, "Member's saved card")):
            button = QRadioButton(text, self)
            button.setObjectName(f"method_{key}")
            self.method_group.addButton(button)
            self.method_buttons[key] = button
            choice.addWidget(button)
        choice.addStretch(1)
        outer.addLayout(choice)
        self.scroll = TwoColumns(self)
        outer.addWidget(self.scroll, 1)
        yield

        body = self.scroll.body
        self.card = CardFields(body)
        self.cash = CashFields(body)
        self.cash.quickChosen.connect(self._after_quick_amount)
        yield
        self.invoice = FieldGroup("Invoice", body)
        self.invoice_reference = self.invoice.add_line("invoiceReference", "Reference:", "digits only",
                                                       accessible="Invoice reference number")
        self.member = MemberFields(body)
        self.member_list, self.member_cvv = self.member.list, self.member.cvv
        self.contact = ContactFields(body)
        yield
        self.address = AddressFields(body)
        yield
        self.groups: tuple[FieldGroup, ...] = (self.card, self.cash, self.invoice, self.member, self.contact,
                                               self.address)
        self.scroll.fill((self.card, self.cash, self.invoice, self.member, self.contact), (self.address,))
        yield

        align_labels(self.groups)
        for group in self.groups:
            group.edited.connect(self._on_edited)
            group.left.connect(self._on_left)

        # Everything in the bottom row sits on its bottom edge: "Still needed: …" wraps over fewer
        # lines as the form is typed, and Back and Pay must not move under the mouse when it does.
        bottom = QHBoxLayout()
        low = Qt.AlignmentFlag.AlignBottom
        self.back_button = QPushButton("‹  Back", self)
        self.back_button.setObjectName("paymentBackButton")
        self.back_button.clicked.connect(self.backRequested)
        bottom.addWidget(self.back_button, 0, low)
        bottom.addStretch(1)
        self.hint = QLabel(self)
        self.hint.setObjectName("paymentHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        bottom.addWidget(self.hint, 3, low)
        self.pay_button = QPushButton("Pay", self)
        self.pay_button.setObjectName("payButton")
        self.pay_button.setDefault(True)
        self.pay_button.clicked.connect(self._on_pay_clicked)
        bottom.addWidget(self.pay_button, 0, low)
        outer.addLayout(bottom)

        chain = [self.card.number, self.card.expiry, self.card.cvv, self.cash.received, *self.cash.quick_buttons,
                 self.invoice_reference, self.member_list,
                 self.member_cvv, self.contact.first_name, self.contact.last_name, self.contact.email,
                 self.contact.phone, self.address.line1, self.address.line2, self.address.city,
                 self.address.country, self.address.region, self.address.postal_code, self.pay_button,
                 self.back_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)  # the last field leads to "Pay", not "Back"

        for button in self.method_buttons.values():
            button.toggled.connect(lambda on: on and self._mode_changed())
        self.set_member_methods(None)
        self.method_buttons[CARD].setChecked(True)
        self._mode_changed()

    # --- inputs from the flow ---------------------------------------------------------------

    def set_amount(self, amount: Decimal, currency: str | None) -> None:
        self._amount = (amount, currency)
        text = format_money(amount, currency)
        self.amount_label.setText(f"Amount to pay: <b>{text}</b>")
        self.pay_button.setText(f"Pay {text}")
        self.cash.set_due(amount, currency)

    def set_member_methods(self, methods: tuple[BillingMethod, ...] | None) -> None:
        """None: no member signed in, the option is hidden. Otherwise list the saved cards."""
        self.member.set_methods(tuple(methods or ()))
        self.method_buttons[MEMBER].setVisible(methods is not None)
        self.card.offer_saving(methods is not None)
        if methods is None and self.mode() == MEMBER:
            self.method_buttons[CARD].setChecked(True)
        self._mode_changed()

    def set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (*self.groups, *self.method_buttons.values(), self.back_button):
            widget.setEnabled(not busy)
        if text:
            self.hint.setText(text)
        self.refresh()

    @property
    def busy(self) -> bool:
        return self._busy

    def mode(self) -> str:
        return next((k for k, b in self.method_buttons.items() if b.isChecked()), CARD)

    def set_mode(self, mode: str) -> None:
        self.method_buttons[mode].setChecked(True)

    # --- validation -------------------------------------------------------------------------

    def fields(self) -> dict[str, CheckedField]:
        found: dict[str, CheckedField] = {}
        for group in self.groups:
            if group.isVisibleTo(self):
                found.update(group.fields)
        return found

    def errors(self) -> dict[str, str]:
        mode = self.mode()
        if mode == CARD:
            form = CardForm(
                number=self.card.number.text(), cvv=self.card.cvv.text(), expiry=self.card.expiry.text(),
                first_name=self.contact.first_name.text(), last_name=self.contact.last_name.text(),
                email=self.contact.email.text(), phone=self.contact.phone.text(),
                line1=self.address.line1.text(), line2=self.address.line2.text(), city=self.address.city.text(),
                country=self.address.country_code(), region=self.address.region_code(),
                postal_code=self.address.postal_code.text())
            return check_card_form(form)
        if mode == CASH:
            due, currency = self._amount or (Decimal(0), None)
            return check_cash_form(CashForm(
                tendered=self.cash.received.text(), due=due, currency=currency,
                first_name=self.contact.first_name.text(), last_name=self.contact.last_name.text(),
                email=self.contact.email.text(), phone=self.contact.phone.text(), country=self.address.country_code()))
        if mode == INVOICE:
            return check_invoice_form(InvoiceForm(
                reference=self.invoice_reference.text(), first_name=self.contact.first_name.text(),
                last_name=self.contact.last_name.text(), email=self.contact.email.text(),
                phone=self.contact.phone.text(), country=self.address.country_code()))
        return member_card_problems(self.chosen_method(), self.member_cvv.text())

    def require_fields(self, api_names: tuple[str, ...]) -> list[str]:
        """The service refused the payment for missing fields: require them from now on, show
        each at its field and put the cursor in the first. Answers our names of those fields."""
        ours = self._server_required.add(api_names)
        self.refresh(show_all=True)
        fields = self.fields()
        visible = [name for name in ours if name in fields]
        if visible:
            fields[visible[0]].editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return visible

    def refresh(self, show_all: bool = False) -> dict[str, str]:
        """Update every error line and the Pay button; answers the current errors."""
        errors = {**self._server_required.errors(self.fields()), **self.errors()}
        order = list(self.fields())
        errors = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        for name, field in self.fields().items():
            message = errors.get(name)
            # A new error waits until the cashier leaves the field; one already shown follows the typing.
            if message and (show_all or field.left_after_typing or field.showing_error()):
                field.show_error(message)
            elif not message:
                field.show_error(None)
        self.pay_button.setEnabled(not errors and not self._busy)
        if not self._busy:
            if errors:
                missing = ", ".join(FIELD_WORDS.get(name, name) for name in errors)
                self.hint.setText(f"Still needed: {missing}.")
            else:
                self.hint.setText("Ready to pay.")
        return errors

    def reveal_errors(self) -> bool:
        """Show every problem and put the cursor in the first bad field; True when there is none."""
        errors = self.refresh(show_all=True)
        if errors:
            first = self.fields().get(next(iter(errors)))
            if first is not None:
                first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return not errors

    def _on_edited(self, name: str) -> None:
        # Live re-check: an error already shown disappears as soon as the field is right.
        self.refresh()

    def _on_left(self, name: str) -> None:
        self.refresh()

    def _mode_changed(self) -> None:
        mode = self.mode()
        # Leaving a way of paying abandons what was typed for it: no card data lingers off-screen.
        if mode != CARD:
            self.card.clear_secrets()
        if mode != MEMBER:
            self.member.clear_secrets()
        if mode != CASH:
            self.cash.clear()
        self.card.setVisible(mode == CARD)
        self.address.setVisible(mode == CARD)
        self.invoice.setVisible(mode == INVOICE)
        self.cash.setVisible(mode == CASH)
        self.member.setVisible(mode == MEMBER)
        self.contact.setVisible(mode in (CARD, CASH, INVOICE))
        self.refresh()

    def _on_pay_clicked(self) -> None:
        if self.reveal_errors() and not self._busy:
            self.payRequested.emit()

    def go_on(self) -> None:
        """Enter on the page: pay when complete, otherwise point at what is missing."""
        self._on_pay_clicked()

    def focus_first(self) -> None:
        target = {CARD: self.card.number, CASH: self.cash.received, INVOICE: self.invoice_reference,
                  MEMBER: self.member_list}[self.mode()]
        lead_to(target)

    # --- handing the payment over -----------------------------------------------------------

    def contact_details(self, with_address: bool) -> BillingContact:
        address = None
        if with_address:
            address = billing_address(
                self.address.line1.text(), self.address.line2.text(), self.address.city.text(),
                self.address.country_code(), self.address.region_code(), self.address.postal_code.text())
        return billing_contact(self.contact.first_name.text(), self.contact.last_name.text(),
                               self.contact.email.text(), self.contact.phone.text(), address=address,
                               country=self.address.country_code())

    def take_card_payment(self) -> tuple[CardDetails, BillingContact, str]:
        """The card, the buyer and a masked summary (``Discover ••••1006``); the card fields are
        emptied before this returns."""
        number, cvv = self.card.number.text(), self.card.cvv.text()
        self.card.clear_secrets()
        try:
            card = cardrules.card_details(number, cvv, self.card.expiry.text(),
                                          postal_code=self.address.postal_code.text().strip() or None)
        finally:
            del number, cvv  # an error's traceback would keep them alive with this frame
        summary = f"{cardrules.network_name(card.issuer)} {card.masked_number}"
        self.refresh()
        return card, self.contact_details(with_address=True), summary

    def save_card_wanted(self) -> bool:
        """The cashier ticked "Save this card to the member's account" (shown only for a member)."""
        return self.mode() == CARD and self.card.save_to_member.isVisible() and self.card.save_to_member.isChecked()

    def take_member_payment(self) -> tuple[MemberPayment, str]:
        method = self.chosen_method()
        cvv = self.member_cvv.text()
        self.member.clear_secrets()
        if method is None:
            raise ValueError("No saved card was chosen.")
        self.refresh()
        return MemberPayment(method, cvv), f"Saved card: {saved_card_label(method)}"

    def invoice_details(self) -> tuple[str, BillingContact, str]:
        reference = self.invoice_reference.text().strip()
        return reference, self.contact_details(with_address=False), f"Invoice {reference}"

    def cash_details(self) -> tuple[Decimal, BillingContact]:
        """The amount received (checked: it covers the amount due) and the buyer."""
        tendered = self.cash.tendered()
        if tendered is None:
            raise ValueError("No amount received was typed.")
        return tendered, self.contact_details(with_address=False)

    def _after_quick_amount(self) -> None:
        """A round sum was chosen: on to the first field still wanted, else to Pay."""
        errors = self.refresh()
        field = self.fields().get(next(iter(errors), ""))
        lead_to(field.editor if field is not None else self.pay_button)

    def chosen_method(self) -> BillingMethod | None:
        return self.member.chosen()

    def clear_secrets(self) -> None:
        """The sale was abandoned or left this page: no card data stays on screen."""
        self.card.clear_secrets()
        self.member.clear_secrets()
        self.refresh()

    def show_declined(self, sentence: str) -> None:
        """The payment was refused: nothing of the card stays (expiry included); say why at the
        card number, where the next card goes."""
        self.card.clear_card()
        self.clear_secrets()
        field = self.card.fields["cardNumber"] if self.mode() == CARD else self.member.fields["memberCvv"]
        self._say_at(field, sentence)

    def ask_security_code_again(self, sentence: str, number: str | None) -> None:
        """The service refused only the security code: the same card stays (its number is put back
        from the refused payment, the expiry was never cleared); the code is typed again."""
        self.clear_secrets()
        if self.mode() == CARD and number:
            self.card.put_back_number(number)
            field = self.card.fields["cardCvv"]
        elif self.mode() == CARD:
            field = self.card.fields["cardNumber"]
        else:
            field = self.member.fields["memberCvv"]
        self.refresh()
        self._say_at(field, sentence)

    def show_cash_problem(self, sentence: str) -> None:
        """The engine refused the amount received (the amount due moved): say so at its field."""
        self.refresh()
        self._say_at(self.cash.fields["cashTendered"], sentence)

    def _say_at(self, field: CheckedField, sentence: str) -> None:
        field.show_error(sentence)
        self.hint.setText(sentence)
        field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
