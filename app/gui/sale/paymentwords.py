"""What the payment page calls its fields, and the fields the service asked for.

``FIELD_WORDS`` names each field as the page's "Still needed: …" hint says it. A payment the
service refused for missing fields (10002) lists them by its own names; ``API_FIELDS`` maps those
to the page's, and ``ServiceRequired`` remembers them for the rest of the sale, so the page asks for
them at their fields from then on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.gui.sale.pagebase import CheckedField

FIELD_WORDS = {
    "cardNumber": "card number", "cardExpiry": "expiry", "cardCvv": "security code",
    "firstName": "first name", "lastName": "last name", "email": "email", "phone": "phone",
    "addressLine1": "street", "city": "city", "country": "country", "region": "state/province",
    "postalCode": "postal code", "invoiceReference": "invoice reference", "cashTendered": "amount received",
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


class ServiceRequired:
    """The fields this partner's account turned out to need (from 10002 answers), by our names."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def add(self, api_names: Iterable[str]) -> list[str]:
        """Remember the service's field names; answers ours, in the order given."""
        ours = [API_FIELDS[name] for name in api_names if name in API_FIELDS]
        self.names.update(ours)
        return ours

    def errors(self, fields: Mapping[str, CheckedField]) -> dict[str, str]:
        """A sentence for each remembered field shown now and left empty."""
        found = {}
        for name in self.names:
            field = fields.get(name)
            if field is None:
                continue
            editor = field.editor
            value = editor.currentText() if hasattr(editor, "currentText") else getattr(editor, "text", lambda: "x")()
            if not str(value).strip():
                found[name] = REQUIRED_SENTENCE.format(what=FIELD_WORDS.get(name, name))
        return found

