"""``buy``'s options and every check made on them before the first call: the event named
(``app.checkout.eventref``), quantities, ids and tokens, exact seats (``--places`` or a row's run
``--section/--row/--seats``) and the payment (``app.checkout.paymentform``: card type and length,
Luhn, expiry, security code, names, email, phone, and — when any address option is given — the
billing address). Every problem is named by its option in one plain line (``InputProblem``, exit 2).
The card number and CVV come from their options, the environment (``BOXOFFICE_CARD_NUMBER``,
``BOXOFFICE_CVV``) or a prompt, and are never printed.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from typing import Any

from app.checkout import cardrules, paymentform
from app.checkout.eventref import EventReferenceProblem, read_event_reference
from app.partner.models import BillingContact

from .cli_common import InputProblem

EVENT_HELP = "event id, venue event code and host (CODE/HOST), or a Ticketmaster event address"
CARD_ENV, CVV_ENV = "BOXOFFICE_CARD_NUMBER", "BOXOFFICE_CVV"
_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# The payment page's field names → the options that fill them here.
OPTIONS = {
    "cardNumber": "--card-number",
    "cardExpiry": "--expiry",
    "cardCvv": "--cvv",
    "firstName": "--first-name",
    "lastName": "--last-name",
    "email": "--email",
    "phone": "--phone",
    "addressLine1": "--address",
    "addressLine2": "--address-line2",
    "city": "--city",
    "country": "--country",
    "region": "--region",
    "postalCode": "--postal-code",
    "invoiceReference": "--invoice",
    "cashTendered": "--cash",
}
ADDRESS_FIELDS = ("addressLine1", "addressLine2", "city", "country", "region", "postalCode")


def add_buy_options(buy) -> None:
    buy.add_argument("event_id", metavar="EVENT", help=EVENT_HELP)
    buy.add_argument("--quantity", type=int, required=True, help="number of tickets")
    buy.add_argument("--ticket-type", help="ticket type id (default: the first one offered)")
    buy.add_argument("--price-level", help="price level id")
    buy.add_argument("--places", help="place ids, comma-separated, for exact seats (as many as --quantity)")
    run = buy.add_argument_group("exact seats by row (for seats listed without place ids, or any seats)")
    run.add_argument("--section", help="section of the seats")
    run.add_argument("--row", help="row of the seats")
    run.add_argument("--seats", metavar="FIRST-LAST", help="consecutive seats of that row, like 5-6 (or one seat, 5)")
    buy.add_argument(
        "--or-best-available",
        action="store_true",
        help="with --places or --seats: if those seats are gone, take the best available instead (and say which)",
    )
    buy.add_argument("--shipping", help="shipping option id (default: the first one offered)")
    buy.add_argument("--card-number", help=f"card number (or ${CARD_ENV}, or a prompt)")
    buy.add_argument("--cvv", help=f"security code (or ${CVV_ENV}, or a prompt)")
    buy.add_argument("--expiry", help="card expiry MM/YY or MM/YYYY")
    buy.add_argument("--first-name", default="")
    buy.add_argument("--last-name", default="")
    buy.add_argument("--email", default="")
    buy.add_argument("--phone", default="")
    address = buy.add_argument_group("billing address (optional; checked like the payment page when given)")
    address.add_argument("--address", default="", help="street address")
    address.add_argument("--address-line2", default="")
    address.add_argument("--city", default="")
    address.add_argument("--country", default="", help="ISO country code, e.g. US")
    address.add_argument("--region", default="", help="state or province code (US, CA)")
    address.add_argument("--postal-code", default="")
    buy.add_argument("--invoice", metavar="REF", help="pay by invoice with this numeric reference instead of a card")
    buy.add_argument("--cash", metavar="RECEIVED",
                     help="cash at the counter: the amount the buyer handed over (the change is printed); sent as an "
                          "invoice whose reference is the receipt number, for accounts that settle by invoice")
    buy.add_argument("--captcha-token", help="a solved captcha token, for events that require one")


# ----- input checks ----------------------------------------------------------------------------
def _problems_line(problems: dict[str, str]) -> str:
    return " ".join(f"{OPTIONS.get(field, field)}: {sentence}" for field, sentence in problems.items())


def _secret(value: str | None, env: str, prompt: str) -> str:
    if value:
        return value
    if os.environ.get(env):
        return os.environ[env]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise InputProblem(f"{prompt.rstrip(': ')} is needed: pass it, set {env}, or run in a terminal to be asked.")


def _has_address(args) -> bool:
    return any((args.address, args.address_line2, args.city, args.country, args.region, args.postal_code))


def _contact(args) -> BillingContact:
    address = (paymentform.billing_address(args.address, args.address_line2, args.city, args.country, args.region,
                                           args.postal_code) if _has_address(args) else None)
    return paymentform.billing_contact(args.first_name, args.last_name, args.email, args.phone, address=address,
                                       country=args.country)


def _card_form(args, number: str = "", cvv: str = "") -> paymentform.CardForm:
    return paymentform.CardForm(
        number=number, cvv=cvv, expiry=args.expiry or "", first_name=args.first_name, last_name=args.last_name,
        email=args.email, phone=args.phone, line1=args.address, line2=args.address_line2, city=args.city,
        country=args.country.strip().upper(), region=args.region.strip().upper(), postal_code=args.postal_code,
    )


def payment_from_args(args) -> tuple[str, Any]:
    """("invoice", (reference, contact)), ("cash", (received, contact)) or ("card", (CardDetails, contact)),
    every field checked (the cash received against the amount due once the seats are held)."""
    if args.invoice is not None and getattr(args, "cash", None) is not None:
        raise InputProblem("--invoice and --cash are two ways of paying: give one of them.")
    for kind, typed, form, check in (
        ("cash", getattr(args, "cash", None), paymentform.CashForm, paymentform.check_cash_form),
        ("invoice", args.invoice, paymentform.InvoiceForm, paymentform.check_invoice_form),
    ):
        if typed is None:
            continue
        field = "tendered" if kind == "cash" else "reference"
        problems = check(form(**{field: typed}, first_name=args.first_name, last_name=args.last_name,
                              email=args.email, phone=args.phone, country=args.country.strip().upper()))
        if problems:
            raise InputProblem(_problems_line(problems))
        return kind, (typed.strip(), _contact(args))
    skip = {"cardNumber", "cardCvv"} | (set() if _has_address(args) else set(paymentform.ADDRESS_FIELDS))
    problems = {k: v for k, v in paymentform.check_card_form(_card_form(args)).items() if k not in skip}
    if problems:  # before the card number is asked for
        raise InputProblem(_problems_line(problems))
    number = cardrules.digits_of(_secret(args.card_number, CARD_ENV, "Card number: "))
    cvv = _secret(args.cvv, CVV_ENV, "Security code (CVV): ").strip()
    problems = {
        k: v
        for k, v in paymentform.check_card_form(_card_form(args, number, cvv)).items()
        if k in ("cardNumber", "cardCvv")
    }
    if problems:
        raise InputProblem(_problems_line(problems))
    card = cardrules.card_details(number, cvv, args.expiry, postal_code=args.postal_code.strip() or None)
    del number, cvv
    return "card", (card, _contact(args))


def check_buy_options(args) -> None:
    """What can be checked before any call (the payment is checked by ``payment_from_args``)."""
    problems = []
    try:
        read_event_reference(args.event_id or "")
    except EventReferenceProblem as exc:
        problems.append(str(exc))
    if args.quantity < 1:
        problems.append("--quantity: The quantity must be at least 1.")
    for option, value in (
        ("--ticket-type", args.ticket_type),
        ("--price-level", args.price_level),
        ("--shipping", args.shipping),
    ):
        if value is not None and not _ID.fullmatch(value):
            problems.append(f"{option}: “{value[:40]}” is not an id (letters, digits, . _ : - only).")
    if args.captcha_token is not None and not re.fullmatch(r"[A-Za-z0-9_\-.]{10,4096}", args.captcha_token):
        problems.append("--captcha-token: That is not a captcha token (letters, digits, - and _ only).")
    places = places_of(args)
    if places and len(places) != args.quantity >= 1:
        problems.append(
            f"--places names {len(places)} seat{'s' if len(places) != 1 else ''} but --quantity is "
            f"{args.quantity}: give one place id per ticket."
        )
    run = seat_run(args, problems)
    if places and run:
        problems.append("--places and --seats each name exact seats: give one of them.")
    if run and run[1] - run[0] + 1 < args.quantity >= 1:
        problems.append(f"--seats {args.seats} cannot hold {args.quantity} seats: give the first and last seat "
                        "of a run as long as --quantity.")
    if args.or_best_available and not (places or run):
        problems.append("--or-best-available goes with --places or --seats (best available is the default "
                        "without them).")
    if problems:
        raise InputProblem(" ".join(problems))


def seat_run(args, problems: list[str] | None = None) -> tuple[int, int] | None:
    """``--seats FIRST-LAST`` as numbers (None without it); what is wrong goes into ``problems``."""
    if args.seats is None and args.section is None and args.row is None:
        return None
    said = problems if problems is not None else []
    if not (args.seats and args.section and args.row):
        said.append("--section, --row and --seats go together: the section, the row and its seats, like "
                    "--section 202 --row C --seats 5-6.")
        return None
    match = re.fullmatch(r"\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?", args.seats)
    if match is None:
        said.append(f"--seats: “{args.seats[:20]}” is not a run of seat numbers; give the first and last, like 5-6.")
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    if first > last:
        said.append(f"--seats: a run goes from the lower seat number to the higher ({last}-{first}).")
        return None
    return first, last


def places_of(args) -> tuple[str, ...]:
    return tuple(p.strip() for p in (args.places or "").split(",") if p.strip())
