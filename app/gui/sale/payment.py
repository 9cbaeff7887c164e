"""The payment page: card, invoice or a signed-in member's saved card, for the cart's unpaid balance.

Every field is checked here before anything is sent, by the core's rules the CLI uses too
(``app.checkout.paymentform``): a field's error appears under it once the cashier leaves it, all
of them when they try to go on, and "Pay" (``payButton``) is only enabled when the chosen method's
form is complete. ``take_card_payment()`` hands the card to the caller and empties the number and
security-code fields in the same breath; the page itself never keeps them. The member option is
hidden unless a member is signed in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.checkout import cardrules
from app.checkout.paymentform import (
    CardForm,
    InvoiceForm,
    billing_address,
    billing_contact,
    check_card_form,
    check_invoice_form,
    member_card_problems,
)
from app.gui.formatting import format_money
from app.gui.sale.billing import AddressFields, CardFields, ContactFields, FieldGroup, MemberFields, saved_card_label
from app.gui.sale.pagebase import CheckedField, page_title
from app.partner.models import BillingContact, BillingMethod, CardDetails

CARD, INVOICE, MEMBER = "card", "invoice", "member"
FIELD_WORDS = {
    "cardNumber": "card number", "cardExpiry": "expiry", "cardCvv": "security code",
    "firstName": "first name", "lastName": "last name", "email": "email", "phone": "phone",
    "addressLine1": "street", "city": "city", "country": "country", "region": "state/province",
    "postalCode": "postal code", "invoiceReference": "invoice reference",
    "memberMethods": "saved card", "memberCvv": "security code",
}

# The service's names for payment fields (a 10002 answer lists the missing ones) → our fields.
API_FIELDS = {
    "first_name": "firstName", "last_name": "lastName", "email_address": "email", "home_phone": "phone",
    "phone": "phone", "address.line1": "addressLine1", "address.city": "city",
    "address.postal_code": "postalCode", "postal_code": "postalCode", "address.region.abbrev": "region",
    "address.region": "region", "address.country.code": "country", "address.country": "country",
    "reference": "invoiceReference", "card.postal_code": "postalCode",
}
REQUIRED_SENTENCE = "This partner's account needs the {what} for every payment."


@dataclass(frozen=True)
class MemberPayment:
    method: BillingMethod
    cvv: str

    def __repr__(self) -> str:
        return f"MemberPayment(method={self.method.id!r}, cvv='•••')"


class PaymentPage(QWidget):
    """How the buyer pays — card, invoice or a member's saved card — with every field checked before
    anything is sent (see the module docstring). Signals: ``payRequested``, ``backRequested``."""

    payRequested = Signal()
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentPage")
        self._busy = False
        self._amount: tuple[Decimal, str | None] | None = None
        self._server_required: set[str] = set()  # fields the service said it needs (10002)

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
        for key, text in ((CARD, "Card"), (INVOICE, "Invoice"), (MEMBER, "Member's saved card")):
            button = QRadioButton(text, self)
            button.setObjectName(f"method_{key}")
            self.method_group.addButton(button)
            self.method_buttons[key] = button
            choice.addWidget(button)
            button.toggled.connect(lambda on, k=key: on and self._mode_changed())
        choice.addStretch(1)
        outer.addLayout(choice)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        self.scroll = scroll
        self.columns = columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.card = CardFields(body)
        self.invoice = FieldGroup("Invoice", body)
        self.invoice_reference = self.invoice.add_line("invoiceReference", "Reference:", "digits only",
                                                       accessible="Invoice reference number")
        self.member = MemberFields(body)
        self.member_list, self.member_cvv = self.member.list, self.member.cvv
        self.contact = ContactFields(body)
        self.address = AddressFields(body)
        for widget in (self.card, self.invoice, self.member, self.contact):
            left.addWidget(widget)
        left.addStretch(1)
        right.addWidget(self.address)
        right.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.groups: tuple[FieldGroup, ...] = (self.card, self.invoice, self.member, self.contact, self.address)
        self._align_labels()
        for group in self.groups:
            group.edited.connect(self._on_edited)
            group.left.connect(self._on_left)

        bottom = QHBoxLayout()
        self.back_button = QPushButton("‹  Back", self)
        self.back_button.setObjectName("paymentBackButton")
        self.back_button.clicked.connect(self.backRequested)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        self.hint = QLabel(self)
        self.hint.setObjectName("paymentHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        bottom.addWidget(self.hint, 3)
        self.pay_button = QPushButton("Pay", self)
        self.pay_button.setObjectName("payButton")
        self.pay_button.setDefault(True)
        self.pay_button.clicked.connect(self._on_pay_clicked)
        bottom.addWidget(self.pay_button)
        outer.addLayout(bottom)

        chain = [self.card.number, self.card.expiry, self.card.cvv, self.invoice_reference, self.member_list,
                 self.member_cvv, self.contact.first_name, self.contact.last_name, self.contact.email,
                 self.contact.phone, self.address.line1, self.address.line2, self.address.city,
                 self.address.country, self.address.region, self.address.postal_code, self.pay_button,
                 self.back_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)  # the last field leads to "Pay", not "Back"

        self.set_member_methods(None)
        self.method_buttons[CARD].setChecked(True)
        self._mode_changed()

    def _align_labels(self) -> None:
        """One label width for every group, so the fields line up down the page."""
        labels = [group.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
                  for group in self.groups for row in range(group.form.rowCount())
                  if group.form.itemAt(row, QFormLayout.ItemRole.LabelRole) is not None]
        labels = [label for label in labels if label is not None]
        width = max((label.fontMetrics().horizontalAdvance(t) for label in labels
                     for t in (label.text(), "Province:", "Postal code:")), default=0) + 6
        for label in labels:
            label.setMinimumWidth(width)
            if isinstance(label, QLabel):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Two columns (card and buyer | address) when they fit side by side, else one under the other."""
        spacing = self.columns.spacing()
        needed = (max(g.minimumSizeHint().width() for g in (self.card, self.invoice, self.member, self.contact))
                  + self.address.minimumSizeHint().width() + spacing + 8)
        wide = self.scroll.viewport().width() >= needed
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)
            self.columns.setStretch(0, 1 if wide else 0)
            self.columns.setStretch(1, 1)

    # --- inputs from the flow ---------------------------------------------------------------

    def set_amount(self, amount: Decimal, currency: str | None) -> None:
        self._amount = (amount, currency)
        text = format_money(amount, currency)
        self.amount_label.setText(f"Amount to pay: <b>{text}</b>")
        self.pay_button.setText(f"Pay {text}")

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
        if mode == INVOICE:
            return check_invoice_form(InvoiceForm(
                reference=self.invoice_reference.text(), first_name=self.contact.first_name.text(),
                last_name=self.contact.last_name.text(), email=self.contact.email.text(),
                phone=self.contact.phone.text(), country=self.address.country_code()))
        return member_card_problems(self.chosen_method(), self.member_cvv.text())

    def require_fields(self, api_names: tuple[str, ...]) -> list[str]:
        """The service refused the payment for missing fields: require them from now on, show
        each at its field and put the cursor in the first. Answers our names of those fields."""
        ours = [API_FIELDS[name] for name in api_names if name in API_FIELDS]
        self._server_required.update(ours)
        self.refresh(show_all=True)
        fields = self.fields()
        visible = [name for name in ours if name in fields]
        if visible:
            fields[visible[0]].editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return visible

    def _required_errors(self) -> dict[str, str]:
        found = {}
        for name in self._server_required:
            field = self.fields().get(name)
            if field is None:
                continue
            editor = field.editor
            value = editor.currentText() if hasattr(editor, "currentText") else getattr(editor, "text", lambda: "x")()
            if not str(value).strip():
                found[name] = REQUIRED_SENTENCE.format(what=FIELD_WORDS.get(name, name))
        return found

    def refresh(self, show_all: bool = False) -> dict[str, str]:
        """Update every error line and the Pay button; answers the current errors."""
        errors = {**self._required_errors(), **self.errors()}
        order = list(self.fields())
        errors = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        for name, field in self.fields().items():
            message = errors.get(name)
            if message and (show_all or field.touched):
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
        self.card.setVisible(mode == CARD)
        self.address.setVisible(mode == CARD)
        self.invoice.setVisible(mode == INVOICE)
        self.member.setVisible(mode == MEMBER)
        self.contact.setVisible(mode in (CARD, INVOICE))
        self.refresh()

    def _on_pay_clicked(self) -> None:
        if self.reveal_errors() and not self._busy:
            self.payRequested.emit()

    def go_on(self) -> None:
        """Enter on the page: pay when complete, otherwise point at what is missing."""
        self._on_pay_clicked()

    def focus_first(self) -> None:
        target = {CARD: self.card.number, INVOICE: self.invoice_reference, MEMBER: self.member_list}[self.mode()]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def _say_at(self, field: CheckedField, sentence: str) -> None:
        field.show_error(sentence)
        self.hint.setText(sentence)
        field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
