"""The payment page's input fields: the card, the buyer's contact details and the billing address.

``CardFields`` groups the number as it is typed (with the card network shown beside it), the expiry
and the security code (echo hidden); ``clear_secrets()`` empties number and code. ``ContactFields``
and ``AddressFields`` hold the buyer's details. Each field is a ``CheckedField`` whose error line
is filled by the payment page from ``app.checkout.paymentform``. The country box lists
``app.checkout.countries`` (ISO 3166 through pycountry), the region box that country's
subdivisions. The object names are the ones testers automate: cardNumber, cardExpiry, cardCvv,
firstName, lastName, email, phone, addressLine1, addressLine2, city, country, region, postalCode;
``MemberFields`` lists a signed-in member's saved cards ("memberMethods") with the security code
("memberCvv").
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.checkout import cardrules, countries
from app.checkout.member import saved_address_text
from app.gui.sale.pagebase import CheckedField
from app.partner.models import BillingMethod

DEFAULT_COUNTRY = "US"
TOP_COUNTRIES = ("US", "CA", "GB")


class FieldGroup(QGroupBox):
    """A titled group of CheckedFields; ``edited(name)`` fires on every change of any field."""

    edited = Signal(str)
    left = Signal(str)  # the cashier left a field after typing in it

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.fields: dict[str, CheckedField] = {}
        self.form = QFormLayout(self)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(6)

    def add_line(self, name: str, label: str, placeholder: str = "", *, row_widget: QWidget | None = None,
                 accessible: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(accessible or label.rstrip(":"))
        field = CheckedField(name, edit, self)
        self._register(name, field)
        self.form.addRow(label, row_widget if row_widget is not None else field)
        edit.textEdited.connect(lambda _text, n=name: self._touch(n))
        edit.editingFinished.connect(lambda n=name: self._leave(n))
        return edit

    def _register(self, name: str, field: CheckedField) -> None:
        self.fields[name] = field

    def _touch(self, name: str) -> None:
        self.fields[name].touched = True
        self.edited.emit(name)

    def _leave(self, name: str) -> None:
        field = self.fields[name]
        if field.touched:
            field.left_after_typing = True
            self.left.emit(name)


class CardFields(FieldGroup):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Card", parent)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText("Card number")
        self.number.setMaxLength(23)
        self.number.setAccessibleName("Card number")
        # Room for the longest grouped number (19 digits), so nothing scrolls out of sight.
        self.number.setMinimumWidth(self.number.fontMetrics().horizontalAdvance("0000 0000 0000 0000 000") + 16)
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
                                        | Qt.InputMethodHint.ImhNoPredictiveText)
        number_field = CheckedField("cardNumber", self.number, self)
        # The issuer shows right under the number, as soon as the first digits tell.
        self.issuer_badge = QLabel(number_field)
        self.issuer_badge.setObjectName("cardIssuer")
        self.issuer_badge.setAccessibleName("Card type")
        number_field.layout().insertWidget(1, self.issuer_badge)
        self._register("cardNumber", number_field)
        self.form.addRow("Card number:", number_field)
        self.number.textEdited.connect(self._regroup)
        self.number.editingFinished.connect(lambda: self._leave("cardNumber"))

        self.expiry = self.add_line("cardExpiry", "Expires:", "MM/YY", accessible="Expiry date, month and year")
        self.expiry.setMaxLength(10)  # "12 / 2030" pasted whole; shown as "12/2030"
        self.expiry.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhNoPredictiveText)
        self.expiry.textEdited.connect(self._format_expiry)
        self.cvv = self.add_line("cardCvv", "Security code:", "3 digits", accessible="Security code")
        self.cvv.setEchoMode(QLineEdit.EchoMode.Password)
        self.cvv.setMaxLength(4)
        self.cvv.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
                                     | Qt.InputMethodHint.ImhNoPredictiveText)
        # Offered only while a member is signed in; never ticked for them (the member says so).
        self.save_to_member = QCheckBox("Save this card to the member's account", self)
        self.save_to_member.setObjectName("saveCardToMember")
        self.save_to_member.setAccessibleName("Save this card to the signed-in member's account")
        self.save_to_member.setVisible(False)
        self.form.addRow("", self.save_to_member)
        self._show_issuer(None)

    def issuer(self) -> str | None:
        return cardrules.card_network(self.number.text())

    def _regroup(self, text: str) -> None:
        digits_before_cursor = sum(ch.isdigit() for ch in text[: self.number.cursorPosition()])
        stripped = "".join(ch for ch in text if not ch.isspace())
        # Only a pure run of digits is regrouped; anything else stays as typed so its error shows.
        grouped = cardrules.group_card_number(stripped[:19]) if stripped.isdigit() else text
        if grouped != text:
            self.number.setText(grouped)
            seen = 0
            position = len(grouped)
            for index, ch in enumerate(grouped):
                if seen == digits_before_cursor:
                    position = index
                    break
                if ch.isdigit():
                    seen += 1
            self.number.setCursorPosition(position)
        self._show_issuer(self.issuer())
        self._touch("cardNumber")

    def _format_expiry(self, text: str) -> None:
        """``1230`` shows as ``12/30`` while it is typed (as the number groups itself)."""
        formatted = cardrules.format_expiry(text)
        if formatted == text:
            return
        cursor = self.expiry.cursorPosition()
        digits_before_cursor = sum(ch.isdigit() for ch in text[:cursor])
        self.expiry.setText(formatted)
        if cursor >= len(text):
            self.expiry.setCursorPosition(len(formatted))
        else:
            seen, position = 0, len(formatted)
            for index, ch in enumerate(formatted):
                if seen == digits_before_cursor:
                    position = index
                    break
                seen += ch.isdigit()
            self.expiry.setCursorPosition(position)
        self._touch("cardExpiry")  # check the formatted text, not the keystroke before it

    def _show_issuer(self, issuer: str | None) -> None:
        if issuer and cardrules.is_accepted(issuer):
            self.issuer_badge.setText(f"<b>{cardrules.network_name(issuer)}</b>")
        elif issuer:
            self.issuer_badge.setText(f"<b>{cardrules.network_name(issuer)}</b> — not accepted here")
        else:
            self.issuer_badge.setText("<span style='color:gray'>Visa, Mastercard, American Express, Discover</span>")
        length = cardrules.cvv_length(issuer)
        self.cvv.setPlaceholderText(f"{length} digits" + (" (front of card)" if length == 4 else " (back of card)"))

    def clear_secrets(self) -> None:
        """Empty number and security code (the payment was sent, declined or abandoned). ``setText``
        rather than ``clear``: it also drops the undo history, so Ctrl+Z cannot bring them back."""
        self.number.setText("")
        self.cvv.setText("")
        for name in ("cardNumber", "cardCvv"):
            self.fields[name].reset()
        self._show_issuer(None)

    def offer_saving(self, offered: bool) -> None:
        """Show "Save this card to the member's account" (a member is signed in), unticked."""
        self.save_to_member.setChecked(False)
        self.save_to_member.setVisible(offered)

    def clear_card(self) -> None:
        """The card was declined: nothing of it stays, the expiry included (the next card has its own)."""
        self.clear_secrets()
        self.expiry.setText("")
        self.fields["cardExpiry"].reset()

    def put_back_number(self, number: str) -> None:
        """The same card again (only its security code was refused): the number as it was shown."""
        self.number.setText(cardrules.group_card_number(number))
        field = self.fields["cardNumber"]
        field.touched = field.left_after_typing = True
        self._show_issuer(self.issuer())


class ContactFields(FieldGroup):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Buyer", parent)
        self.first_name = self.add_line("firstName", "First name:", accessible="Buyer's first name")
        self.last_name = self.add_line("lastName", "Last name:", accessible="Buyer's last name")
        self.email = self.add_line("email", "Email:", "name@example.com", accessible="Buyer's email address")
        self.phone = self.add_line("phone", "Phone:", "optional", accessible="Buyer's phone number (optional)")


class AddressFields(FieldGroup):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Billing address", parent)
        self.line1 = self.add_line("addressLine1", "Street:", "Street and number", accessible="Street address")
        self.line2 = self.add_line("addressLine2", "", "Apartment, suite (optional)", accessible="Address line 2")
        self.city = self.add_line("city", "City:", accessible="City")

        self.country = QComboBox(self)
        self.country.setAccessibleName("Country")
        names = countries.country_names()
        codes = list(TOP_COUNTRIES) + sorted((c for c in names if c not in TOP_COUNTRIES), key=names.__getitem__)
        for code in codes:
            self.country.addItem(f"{names[code]} ({code})", code)
        self.country.insertSeparator(len(TOP_COUNTRIES))
        country_field = CheckedField("country", self.country, self)
        self._register("country", country_field)
        self.form.addRow("Country:", country_field)

        self.region = QComboBox(self)
        self.region.setEditable(True)
        self.region.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.region.setAccessibleName("State, province or region")
        region_field = CheckedField("region", self.region, self)
        self._register("region", region_field)
        self.region_label = QLabel("State:", self)
        self.form.addRow(self.region_label, region_field)
        self.region.lineEdit().textEdited.connect(lambda _t: self._touch("region"))
        self.region.activated.connect(lambda _i: self._touch_and_leave("region"))
        self.region.lineEdit().editingFinished.connect(self._region_left)

        self.postal_code = self.add_line("postalCode", "ZIP code:", accessible="Postal code")
        self.country.currentIndexChanged.connect(self._country_changed)
        self.set_country(DEFAULT_COUNTRY)

    def _region_left(self) -> None:
        """A state typed by its name or code ("new york", "ny") is shown as the list names it."""
        index = self.region.findData(countries.region_code(self.country_code(), self.region.currentText()))
        if index >= 0 and self.region.currentText() != self.region.itemText(index):
            self.region.setCurrentIndex(index)
        self._leave("region")

    def _touch_and_leave(self, name: str) -> None:
        self._touch(name)
        self._leave(name)

    def set_country(self, code: str) -> None:
        index = self.country.findData(code)
        if index >= 0:
            self.country.setCurrentIndex(index)
            self._country_changed()

    def country_code(self) -> str:
        return str(self.country.currentData() or "")

    def region_code(self) -> str:
        country = self.country_code()
        code = countries.region_code(country, self.region.currentText())  # a listed region: its code
        return code.upper() if countries.region_required(country) else code

    def _country_changed(self, *_args) -> None:
        code = self.country_code()
        regions = countries.regions(code)
        required = countries.region_required(code)
        self.region.blockSignals(True)
        self.region.clear()
        for abbrev, name in regions.items():
            self.region.addItem(f"{abbrev} — {name}", abbrev)
        self.region.setCurrentIndex(-1)
        if required:
            self.region.lineEdit().setPlaceholderText("Type or choose")
        else:
            self.region.lineEdit().setPlaceholderText("Region (optional)")
        self.region.setEditText("")
        self.region.blockSignals(False)
        self.region_label.setText({"US": "State:", "CA": "Province:"}.get(code, "Region:"))
        label = self.form.labelForField(self.fields["postalCode"])
        if isinstance(label, QLabel):
            label.setText({"US": "ZIP code:", "CA": "Postal code:"}.get(code, "Postal code:"))
        self.fields["region"].reset()
        self.edited.emit("country")


def saved_card_label(method: BillingMethod) -> str:
    """``Discover ••••1006 (expires 12/2029)``: the issuer's name, the last four digits, the expiry."""
    name = cardrules.network_name(method.card_issuer, method.card_issuer or "Card")
    label = f"{name} ••••{method.card_last4 or ''}"
    if method.expire_month and method.expire_year:
        label += f" (expires {method.expire_month:02d}/{method.expire_year})"
    return label


class MemberFields(FieldGroup):
    """A signed-in member's saved cards (last four digits only) and the security code to confirm one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Saved cards of the signed-in member", parent)
        self._methods: tuple[BillingMethod, ...] = ()
        self.list = QListWidget(self)
        self.list.setAccessibleName("Saved cards")
        self.list.setMaximumHeight(110)
        list_field = CheckedField("memberMethods", self.list, self)
        self._register("memberMethods", list_field)
        self.form.addRow("Card:", list_field)
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        # A card counts as picked only once selected (click, or Space): Tab into the list puts Qt's
        # cursor on the first card, which would otherwise be a default the cashier never chose.
        self.list.itemSelectionChanged.connect(lambda: self._touch("memberMethods"))
        self.cvv = self.add_line("memberCvv", "Security code:", "from the card", accessible="Security code")
        self.cvv.setEchoMode(QLineEdit.EchoMode.Password)
        self.cvv.setMaxLength(4)

    def set_methods(self, methods: tuple[BillingMethod, ...]) -> None:
        self._methods = tuple(methods)
        self.list.clear()
        for method in self._methods:
            where = saved_address_text(method)
            item = QListWidgetItem(saved_card_label(method) + (f"\n    {where}" if where else ""), self.list)
            item.setData(Qt.ItemDataRole.UserRole, method.id)

    def chosen(self) -> BillingMethod | None:
        picked = self.list.selectedItems()
        if not picked:
            return None
        item = picked[0]
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((m for m in self._methods if m.id == wanted), None)

    def clear_secrets(self) -> None:
        self.cvv.setText("")  # not clear(): that would keep the code in the undo history
        self.fields["memberCvv"].reset()
