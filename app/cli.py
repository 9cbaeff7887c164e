"""``python -m app.cli``: the station's sales flow without a window, for testers and scripts.

With no backend options the command starts the embedded sandbox itself; ``--base-url URL
--api-key KEY`` (plus the OAuth options) point it at another Partner API. Like the window it
uses the station folder (``BOXOFFICE_HOME`` or the platform's folders): it runs start-up recovery
first (carts a killed run left held are deleted) and writes every cart and order to the journal.

Commands: ``events``, ``event ID``, ``availability ID``, ``buy ID --quantity N …``,
``orders [--order-token T]``, ``delete-cart ID CART_ID``. ``--json`` prints machine-readable
output. The card number and CVV may come from ``--card-number``/``--cvv``, from the environment
(``BOXOFFICE_CARD_NUMBER``, ``BOXOFFICE_CVV``) or from a prompt, so they need not sit in shell
history; they are never printed, logged or stored.

Exit codes: 0 done, 1 the service or station refused, 2 bad input, 3 the event needs a captcha,
4 a sale's outcome is still unknown, 130 interrupted. Errors are one plain line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import logging
import os
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from app.checkout.events import CheckoutError, CheckoutState, CommitNotSettled, PollingUpdate
from app.checkout.seats import OtherSeatsReleased, UnknownPlaces, seats_for_places
from app.checkout.station import BackendOverrides, Station, StationSetupError
from app.partner.errors import CaptchaRequired, NotApiTransactable, PartnerError
from app.partner.models import Address, BillingContact, CardDetails, ReserveRequest, TicketRequest, luhn_valid
from app.storage.journalfaults import JournalError

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_CAPTCHA, EXIT_IN_DOUBT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
CARD_ENV, CVV_ENV = "BOXOFFICE_CARD_NUMBER", "BOXOFFICE_CVV"


class InputProblem(Exception):
    """Something the user typed cannot be used; ``str()`` says what."""


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one plain line, never the usage dump
        raise InputProblem(f"{message} (see --help)")


def add_common_options(parser: argparse.ArgumentParser, *, in_command: bool) -> None:
    """Options accepted before or after the command (``--json`` may come last)."""
    d = (lambda value: argparse.SUPPRESS) if in_command else (lambda value: value)
    parser.add_argument("--json", action="store_true", default=d(False), help="machine-readable output")
    parser.add_argument("--verbose", action="store_true", default=d(False),
                        help="log requests (secrets masked) to stderr")
    parser.add_argument("--force-polling", action="store_true", default=d(False),
                        help="testers: ask the service to answer every polling endpoint with 202 first")
    backend = parser.add_argument_group("backend (default: start the embedded sandbox)")
    backend.add_argument("--base-url", default=d(None), help="server root or Partner API base URL")
    backend.add_argument("--api-key", default=d(None), help="Partner API key (needed with --base-url)")
    backend.add_argument("--oauth-url", default=d(""), help="OAuth base URL (default: BASE/oauth)")
    backend.add_argument("--wallet-url", default=d(""), help="wallet base URL (default: BASE/wallet/v1)")
    backend.add_argument("--client-id", default=d(""), help="OAuth client id")
    backend.add_argument("--client-secret", default=d(""), help="OAuth client secret")
    backend.add_argument("--redirect-uri", default=d(""), help="OAuth redirect URI")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="python -m app.cli", description="Sell tickets through the Partner API.")
    add_common_options(parser, in_command=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        add_common_options(sub, in_command=True)
        return sub

    command("events", "events this partner may sell")
    command("event", "details of one event").add_argument("event_id")
    command("availability", "ticket types, prices and free seats").add_argument("event_id")
    buy = command("buy", "reserve, pay and commit one sale")
    buy.add_argument("event_id")
    buy.add_argument("--quantity", type=int, required=True, help="number of tickets")
    buy.add_argument("--ticket-type", help="ticket type id (default: the first one offered)")
    buy.add_argument("--price-level", help="price level id")
    buy.add_argument("--places", help="place ids, comma-separated, for exact seats (as many as --quantity)")
    buy.add_argument("--or-best-available", action="store_true",
                     help="with --places: if those seats are gone, take the best available instead (and say which)")
    buy.add_argument("--shipping", help="shipping option id (default: the first one offered)")
    buy.add_argument("--card-number", help=f"card number (or ${CARD_ENV}, or a prompt)")
    buy.add_argument("--cvv", help=f"security code (or ${CVV_ENV}, or a prompt)")
    buy.add_argument("--expiry", help="card expiry MM/YYYY")
    buy.add_argument("--first-name", default="")
    buy.add_argument("--last-name", default="")
    buy.add_argument("--email", default="")
    buy.add_argument("--invoice", metavar="REF", help="pay by invoice with this numeric reference instead of a card")
    buy.add_argument("--captcha-token", help="a solved captcha token, for events that require one")
    command("orders", "this station's orders, or one order from the service").add_argument("--order-token")
    delete = command("delete-cart", "release a held cart")
    delete.add_argument("event_id")
    delete.add_argument("cart_id")
    return parser


# ----- output ----------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "raw"}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def emit(args, data: Any, text_lines: list[str]) -> None:
    if args.json:
        print(json.dumps(jsonable(data), indent=2, ensure_ascii=False))
    else:
        print("\n".join(text_lines))


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----- commands --------------------------------------------------------------------------------
async def cmd_events(station: Station, args) -> int:
    events = await station.events()
    emit(args, {"events": events}, [
        f"{e.event_id}  {e.event_date or '?'} {e.event_time or ''}  {e.time_zone or ''}  {e.event_code or ''}/{e.event_host or ''}"
        for e in events] or ["No events."])
    return EXIT_OK


async def cmd_event(station: Station, args) -> int:
    d = await station.event_details(args.event_id)
    lines = [f"{d.name or d.event_id} ({d.event_id})",
             f"  when: {d.local_start.isoformat() if d.local_start else 'unknown'}  venue: {d.venue.name or '?'}",
             f"  on sale: {d.onsale.isoformat() if d.onsale else 'not given'}  sellable here: {'yes' if d.api_transactable else 'no'}"]
    for t in d.tickets:
        prices = ", ".join(f"level {p.price_id}: {p.amount} {d.currency or ''}".strip() for p in t.prices)
        lines.append(f"  ticket type {t.id} {t.description or ''}: {prices}")
    emit(args, d, lines)
    return EXIT_OK


async def cmd_availability(station: Station, args) -> int:
    a = await station.availability(args.event_id)
    lines = [f"{a.event_id}: {a.available} seats available" + (" (no single seats may be left)" if a.restrict_single else "")]
    for o in a.offers:
        lines.append(f"  ticket type {o.ticket_type_id} level {o.price_level_id}: {o.face_value} + {o.fees_total} fees {o.currency or ''}")
    emit(args, a, lines)
    return EXIT_OK


async def cmd_orders(station: Station, args) -> int:
    if args.order_token:
        order = await station.order(args.order_token)
        emit(args, order, [f"Order for token {args.order_token}: {len(order.tickets)} ticket(s), voided: {order.voided}"])
        return EXIT_OK
    orders = station.journal_orders()
    emit(args, {"orders": orders}, [
        f"{o.completed_at}  {o.order_number or '(number not received)'}  {o.event_id}  {o.grand_total} {o.currency_code}  {o.seats}"
        for o in orders] or ["No orders on this station yet."])
    return EXIT_OK


async def cmd_delete_cart(station: Station, args) -> int:
    if not await station.delete_cart(args.event_id, args.cart_id):
        say("No such cart is held (it was already released, has expired, or the id is wrong).")
        return EXIT_FAILED
    emit(args, {"deleted": True, "cart_id": args.cart_id}, ["Cart deleted; its seats are released."])
    return EXIT_OK


def _secret(value: str | None, env: str, prompt: str) -> str:
    if value:
        return value
    if os.environ.get(env):
        return os.environ[env]
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise InputProblem(f"{prompt.rstrip(': ')} is needed: pass it, set {env}, or run in a terminal to be asked.")


def payment_from_args(args) -> tuple[str, Any]:
    """("invoice", reference) or ("card", (CardDetails, BillingContact)); checked before any seat is held."""
    contact = BillingContact(first_name=args.first_name, last_name=args.last_name, email=args.email, address=Address())
    if args.invoice is not None:
        if not args.invoice.isdigit():
            raise InputProblem("The invoice reference must be digits only.")
        return "invoice", (args.invoice, contact)
    if not args.expiry:
        raise InputProblem("The card expiry is needed: --expiry MM/YYYY (or pay with --invoice REF).")
    try:
        month, year = CardDetails.parse_expiry(args.expiry)
    except ValueError as exc:
        raise InputProblem(str(exc)) from None
    number = _secret(args.card_number, CARD_ENV, "Card number: ")
    cvv = _secret(args.cvv, CVV_ENV, "Security code (CVV): ")
    card = CardDetails(number=number, cvv=cvv, expire_month=month, expire_year=year)
    problems = card.problems()
    if not problems and not luhn_valid(card.number):
        problems = ["The card number is not valid (a digit is wrong or missing)."]
    if problems:
        raise InputProblem(" ".join(problems))
    return "card", (card, contact)


async def reserve_request(station: Station, args) -> ReserveRequest:
    """What to reserve; exact places are looked up in availability first (bad ones are bad input)."""
    if args.quantity < 1:
        raise InputProblem("The quantity must be at least 1.")
    places = tuple(p.strip() for p in (args.places or "").split(",") if p.strip())
    if places and len(places) != args.quantity:
        raise InputProblem(f"--places names {len(places)} seat{'s' if len(places) != 1 else ''} but --quantity "
                           f"is {args.quantity}: give one place id per ticket.")
    if args.or_best_available and not places:
        raise InputProblem("--or-best-available goes with --places (best available is the default without them).")
    ticket_type = args.ticket_type
    availability = await station.availability(args.event_id) if places or not ticket_type else None
    if not ticket_type:
        offers = availability.offers
        if not offers:
            raise InputProblem("This event offers no ticket types to choose from; pass --ticket-type.")
        ticket_type = offers[0].ticket_type_id
    asked = ()
    if places:
        try:
            asked = seats_for_places(availability, places, ticket_type_id=ticket_type)
        except UnknownPlaces as exc:
            if not args.or_best_available:
                raise CheckoutError(f"{exc} Nothing was held.") from None
            say(f"{exc.seats_sentence} The best available seats are asked for instead, as --or-best-available allows.")
            places = ()
    return ReserveRequest(tickets=(TicketRequest(ticket_type, args.quantity, args.price_level),), places=places,
                          accept_best_available=bool(args.or_best_available) if places else None, asked_seats=asked)


def agree_to_other_seats(sale, args) -> bool:
    """The cart holds other seats than the ones asked for: kept with --or-best-available (or a yes
    at the terminal), else the caller releases them."""
    difference = sale.seat_difference
    if difference is None:
        return True
    if args.or_best_available:
        say(f"{difference.sentence()} Kept, as --or-best-available allows.")
    elif sys.stdin.isatty():
        answer = input(f"{difference.sentence()} Keep these seats? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            return False
    else:
        return False
    sale.accept_seats()
    return True


def _show_progress(event) -> None:
    if isinstance(event, PollingUpdate):
        p = event.progress
        say(f"Waiting for the ticketing service ({p.operation}, round {p.round}, next try in {p.seconds_until_next_try:.0f} s)…")


async def cmd_buy(station: Station, args) -> int:
    how, payment = payment_from_args(args)
    details = await station.event_details(args.event_id)
    if not details.api_transactable:
        raise NotApiTransactable(event_id=args.event_id)
    request = await reserve_request(station, args)
    sale = station.new_sale(args.event_id, event_name=details.name or "")
    sale.subscribe(_show_progress)
    try:
        try:
            cart = await sale.reserve(request, captcha_token=args.captcha_token)
        except CaptchaRequired:
            say("This event asks for a captcha, which only the Box Office window can show. "
                "Sell it from the window, or pass --captcha-token TOKEN.")
            return EXIT_CAPTCHA
        if not agree_to_other_seats(sale, args):
            difference = sale.seat_difference
            await sale.abandon()
            raise OtherSeatsReleased(difference, hint="Add --or-best-available to accept other seats.")
        if not args.json:
            say(f"Held: {'; '.join(i.seat_label for i in cart.items)} — cart {cart.cart_id}, {cart.hold_time} s to finish.")
        shipping = args.shipping
        if shipping is None:
            options = await sale.shipping_options()
            shipping = options[0].id if options else None
        if shipping is not None:
            await sale.choose_shipping(shipping)
        if how == "invoice":
            await sale.pay_invoice(*payment)
        else:
            await sale.pay_card(*payment)
        try:
            result = await sale.commit()
        except CommitNotSettled:
            say("The connection failed while completing the sale; checking whether it went through…")
            result = await sale.settle()
            if result is None and sale.state is CheckoutState.PAID:  # proven not committed, cart still held
                result = await sale.commit()
            elif result is None:
                raise CheckoutError("The sale did not go through: the hold ran out before it completed.")
    finally:
        if not sale.state.terminal and sale.state not in (CheckoutState.COMMITTING, CheckoutState.COMMIT_IN_DOUBT):
            await sale.abandon()
    seats = [item.seat_label for item in (sale.cart.items if sale.cart else ())]
    out = {"order_number": result.order_number, "order_token": result.order_token,
           "grand_total": str(result.grand_total) if result.grand_total is not None else None,
           "currency_code": result.currency, "redemption_url": result.redemption_url,
           "event_id": args.event_id, "cart_id": sale.cart_id, "confirmed": sale.confirmed, "seats": seats,
           "journal_recorded": sale.record_note is None}
    if sale.confirmed:
        lines = [f"Sold: order {result.order_number}, {result.grand_total} {result.currency or ''}".rstrip(),
                 f"Seats: {'; '.join(seats)}", f"Order token: {result.order_token}"] + (
                     [f"Redeem at: {result.redemption_url}"] if result.redemption_url else [])
    else:
        lines = ["Sold, but the confirmation was lost on the way: the order number is not known. "
                 "The sale is in this station's orders; do not sell these seats again."]
    emit(args, out, lines)
    if sale.record_note:
        say(sale.record_note)
    return EXIT_OK


COMMANDS = {"events": cmd_events, "event": cmd_event, "availability": cmd_availability, "buy": cmd_buy,
            "orders": cmd_orders, "delete-cart": cmd_delete_cart}


async def run(args) -> int:
    overrides = None
    if args.base_url:
        if not args.api_key:
            raise InputProblem("--base-url needs --api-key.")
        overrides = BackendOverrides(base_url=args.base_url, api_key=args.api_key, oauth_url=args.oauth_url,
                                     wallet_url=args.wallet_url, client_id=args.client_id,
                                     client_secret=args.client_secret, redirect_uri=args.redirect_uri)
    station = Station(overrides=overrides, backend="sandbox" if overrides is None else None,
                      force_polling=args.force_polling)
    try:
        await station.start()
        # The command line never reads stored secrets, so the keychain notice is not its business.
        for line in [n for n in station.notices if n != station.storage.secrets.fallback_notice]:
            say(line)
        return await COMMANDS[args.command](station, args)
    finally:
        await station.close()


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except InputProblem as exc:
        say(str(exc))
        return EXIT_INPUT
    # Only the app's own loggers speak (they mask secrets); httpx's request log shows the api key.
    logging.basicConfig(level=logging.CRITICAL, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("app").setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    try:
        return asyncio.run(run(args))
    except InputProblem as exc:
        say(str(exc))
        return EXIT_INPUT
    except CommitNotSettled as exc:
        say(str(exc))
        return EXIT_IN_DOUBT
    except NotApiTransactable as exc:
        say(f"{exc} ({exc.ticketmaster_url})")
        return EXIT_FAILED
    except (PartnerError, CheckoutError, StationSetupError, JournalError) as exc:
        say(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("Interrupted.")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the promise: one plain line, never a traceback
        say(f"Unexpected problem: {exc.__class__.__name__}: {exc}".splitlines()[0])
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
