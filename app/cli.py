"""``python -m app.cli``: the station's sales flow without a window, for testers and scripts.

With no backend options the command starts the embedded sandbox itself; ``--base-url URL`` (plus
the OAuth options) points it at another Partner API, with the API key from ``--api-key``, from
``$BOXOFFICE_API_KEY`` (so it need not show in ``ps``), or — when ``--base-url`` is the station's own
configured backend — the key stored for the station. Like the window it uses the station folder
(``BOXOFFICE_HOME`` or the platform's folders): it runs start-up recovery first (carts a killed run
left held are deleted) and writes every cart and order to the journal.

Commands: ``events`` (with the window's maintenance marks), ``event EVENT`` (with whether it sells
now), ``availability ID``, ``buy EVENT --quantity N …`` (``cli_buy``), ``orders [--order-token T]``,
``delete-cart ID CART_ID``. EVENT is an event id, a venue event code and host (``ESBX0001/NY1``)
or a Ticketmaster event address, read by the core (``app.checkout.eventref``). ``--json`` prints
machine-readable output. The card number and CVV may come from ``--card-number``/``--cvv``, from the environment
(``BOXOFFICE_CARD_NUMBER``, ``BOXOFFICE_CVV``) or from a prompt, so they need not sit in shell
history; they are never printed, logged or stored. Every input is checked before the first call.

Exit codes: 0 done, 1 the service or station refused, 2 bad input, 3 the event needs a captcha,
4 a sale's outcome is still unknown, 130 interrupted (Ctrl+C, TERM or HUP: held seats are released
first). Errors are one plain line on stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from app.checkout.availbudget import clock_time
from app.checkout.errors import CheckoutError, CommitNotSettled
from app.checkout.eventref import EventReferenceProblem, read_event_reference
from app.checkout.niterun import niterun_status, utc_now
from app.checkout.seatlabels import order_without_rows_and_seats
from app.checkout.sellability import sellability
from app.checkout.station import BackendOverrides, Station, StationSetupError
from app.embedded import embedded_sandbox
from app.partner.config import require_secure_url
from app.partner.errors import InsecureConnection, NotApiTransactable, PartnerError
from app.partner.masking import MaskingFilter
from app.storage import API_KEY, StationStorage
from app.storage.journalfaults import JournalError

from .cli_buy import cmd_buy
from .cli_buyargs import EVENT_HELP, add_buy_options
from .cli_common import (
    EXIT_FAILED,
    EXIT_IN_DOUBT,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    ArgumentParser,
    InputProblem,
    Interrupted,
    StopSignals,
    emit,
    say,
)

API_KEY_ENV = "BOXOFFICE_API_KEY"


def add_common_options(parser, *, in_command: bool) -> None:
    """Options accepted before or after the command (``--json`` may come last)."""
    import argparse

    d = (lambda value: argparse.SUPPRESS) if in_command else (lambda value: value)
    parser.add_argument("--json", action="store_true", default=d(False), help="machine-readable output")
    parser.add_argument("--verbose", action="store_true", default=d(False),
                        help="log requests (secrets and personal data masked) to stderr")
    parser.add_argument("--force-polling", action="store_true", default=d(False),
                        help="testers: ask the service to answer every polling endpoint with 202 first")
    backend = parser.add_argument_group("backend (default: start the embedded sandbox)")
    backend.add_argument("--base-url", default=d(None), help="server root or Partner API base URL")
    backend.add_argument("--api-key", default=d(None),
                         help=f"Partner API key for --base-url; better: set ${API_KEY_ENV} (an option shows in "
                              "'ps'), or leave both out when --base-url is the station's own backend and its "
                              "key is stored in the station")
    backend.add_argument("--oauth-url", default=d(""), help="OAuth base URL (default: BASE/oauth)")
    backend.add_argument("--wallet-url", default=d(""), help="wallet base URL (default: BASE/wallet/v1)")
    backend.add_argument("--client-id", default=d(""), help="OAuth client id")
    backend.add_argument("--client-secret", default=d(""), help="OAuth client secret")
    backend.add_argument("--redirect-uri", default=d(""), help="OAuth redirect URI")


def build_parser():
    parser = ArgumentParser(prog="python -m app.cli", description="Sell tickets through the Partner API.",
                            epilog="Exit codes: 0 done, 1 refused by the service or station, 2 bad input, 3 the "
                                   "event needs a captcha, 4 a sale's outcome is still unknown, 130 interrupted "
                                   "(Ctrl+C, TERM or HUP; held seats are released first).")
    add_common_options(parser, in_command=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str):
        sub = commands.add_parser(name, help=help)
        add_common_options(sub, in_command=True)
        return sub

    command("events", "events this partner may sell")
    command("event", "details of one event (also events not in the list)").add_argument(
        "event_id", metavar="EVENT", help=EVENT_HELP)
    command("availability", "ticket types, prices and free seats").add_argument(
        "event_id", metavar="EVENT", help=EVENT_HELP)
    add_buy_options(command("buy", "reserve, pay and commit one sale"))
    command("orders", "this station's orders, or one order from the service").add_argument("--order-token")
    delete = command("delete-cart", "release a held cart")
    delete.add_argument("event_id")
    delete.add_argument("cart_id")
    return parser


# ----- commands --------------------------------------------------------------------------------
async def cmd_events(station: Station, args, stop, *, clock=utc_now) -> int:
    events = await station.counter.events()
    now = clock()
    nights = {e.event_id: niterun_status(e.time_zone, now) for e in events}
    emit(
        args,
        {"events": events, "maintenance": {i: n.sentence for i, n in nights.items() if n.sentence}},
        [
            f"{e.event_id}  {e.event_date or '?'} {e.event_time or ''}  {e.time_zone or ''}  "
            f"{e.event_code or ''}/{e.event_host or ''}  {nights[e.event_id].mark}".rstrip()
            for e in events
        ]
        or ["No events."],
    )
    return EXIT_OK


async def cmd_event(station: Station, args, stop, *, clock=utc_now) -> int:
    try:
        read_event_reference(args.event_id)
    except EventReferenceProblem as exc:
        raise InputProblem(str(exc)) from None
    d = await station.counter.find_event(args.event_id)
    lines = [
        f"{d.name or d.event_id} ({d.event_id})",
        f"  when: {d.local_start.isoformat() if d.local_start else 'unknown'}  venue: {d.venue.name or '?'}",
        f"  on sale: {d.onsale.isoformat() if d.onsale else 'not given'}  sellable here: "
        f"{'yes' if d.api_transactable else 'no'}",
    ]
    verdict = sellability(d, now=clock())  # what the event page says about selling it now
    lines += [f"  now: {verdict.sentence or 'can be sold'}"] + [f"  note: {n}" for n in verdict.notes]
    for t in d.tickets:
        prices = ", ".join(f"level {p.price_id}: {p.amount} {d.currency or ''}".strip() for p in t.prices)
        lines.append(f"  ticket type {t.id} {t.description or ''}: {prices}")
    emit(args, d, lines)
    return EXIT_OK


async def cmd_availability(station: Station, args, stop, *, clock=utc_now) -> int:
    try:
        named = read_event_reference(args.event_id)
    except EventReferenceProblem as exc:
        raise InputProblem(str(exc)) from None
    # An id goes straight to availability; a venue code or an address is looked up first, as `event` does.
    event_id = named.event_id or (await station.counter.find_event(args.event_id)).event_id
    answer = await station.seats(event_id)
    a = answer.availability
    if answer.held_back:
        say(answer.held_back)
    budget = station.availability_budget()
    lines = [
        f"{a.event_id}: {a.available} seats available" + (" (no single seats may be left)" * a.restrict_single),
        f"  as of {clock_time(answer.fetched_at)}" + (f" · {budget.words()}" if budget is not None else ""),
    ]
    for o in a.offers:
        lines.append(
            f"  ticket type {o.ticket_type_id} level {o.price_level_id}: {o.face_value} + {o.fees_total} fees "
            f"{o.currency or ''}"
        )
    emit(args, a, lines)
    return EXIT_OK


async def cmd_orders(station: Station, args, stop, *, clock=utc_now) -> int:
    if args.order_token:
        order = await station.counter.order(args.order_token)
        hidden = station.books.hides_row_seat(args.order_token)
        if hidden:
            order = order_without_rows_and_seats(order)
        lines = [f"Order for token {args.order_token}: {len(order.tickets)} ticket(s), voided: {order.voided}"]
        lines += [f"  {_order_ticket_line(t, hide_row_seat=hidden)}" for t in order.tickets]
        emit(args, order, lines)
        return EXIT_OK
    orders = station.books.journal_orders()
    emit(
        args,
        {"orders": orders},
        [
            f"{o.completed_at}  {o.order_number or '(number not received)'}  {o.event_id}  {o.grand_total} "
            f"{o.currency_code}  {o.seats}"
            for o in orders
        ]
        or ["No orders on this station yet."],
    )
    return EXIT_OK


def _order_ticket_line(ticket, *, hide_row_seat: bool = False) -> str:
    """One ticket of an order lookup: where it sits (its section only where the venue forbids row
    and seat names), its barcode and what the order says of it."""
    if ticket.is_ga:
        seat = "general admission"
    elif hide_row_seat:
        seat = f"section {ticket.section or '?'}"
    else:
        seat = f"section {ticket.section or '?'}, row {ticket.row or '?'}, seat {ticket.seat_name or '?'}"
    parts = [ticket.order_number or "?", seat, f"total {ticket.total}"]
    if ticket.distance_charge:
        parts.append(f"distance charge {ticket.distance_charge}")
    if ticket.barcode_id:
        parts.append(f"barcode {ticket.barcode_id}")
    if ticket.portal:
        parts.append(f"enter by {ticket.portal}")
    if ticket.is_national_vip:
        parts.append("national VIP")
    if ticket.voided:
        parts.append("voided")
    return " · ".join(parts)


async def cmd_delete_cart(station: Station, args, stop, *, clock=utc_now) -> int:
    if not await station.counter.delete_cart(args.event_id, args.cart_id):
        say("No such cart is held (it was already released, has expired, or the id is wrong).")
        return EXIT_FAILED
    emit(args, {"deleted": True, "cart_id": args.cart_id}, ["Cart deleted; its seats are released."])
    return EXIT_OK


COMMANDS = {
    "events": cmd_events,
    "event": cmd_event,
    "availability": cmd_availability,
    "buy": cmd_buy,
    "orders": cmd_orders,
    "delete-cart": cmd_delete_cart,
}


# ----- the backend -----------------------------------------------------------------------------
def _checked_url(option: str, url: str) -> str:
    """A backend URL that is well-formed and may carry the key (https, or http to this computer)."""
    try:
        require_secure_url(url)
    except InsecureConnection as exc:
        raise InputProblem(f"{option}: {exc.user_message}") from None
    return url


def overrides_from_args(args, station_key: str | None = None) -> BackendOverrides | None:
    if not args.base_url:
        return None
    base = _checked_url("--base-url", args.base_url.strip())
    for option, value in (("--oauth-url", args.oauth_url), ("--wallet-url", args.wallet_url)):
        if value:
            _checked_url(option, value.strip())
    key = args.api_key or os.environ.get(API_KEY_ENV) or station_key
    if not key:
        raise InputProblem(
            f"--base-url needs an API key: set ${API_KEY_ENV} (or pass --api-key), or store the key "
            "in the station for that backend."
        )
    return BackendOverrides(
        base_url=base,
        api_key=key,
        oauth_url=args.oauth_url.strip(),
        wallet_url=args.wallet_url.strip(),
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uri=args.redirect_uri,
    )


def station_key_for(args, storage: StationStorage) -> str | None:
    """The API key stored in the station, but only when --base-url is the station's own backend
    (production or custom in the settings): a stored key never goes to another server."""
    if not args.base_url or args.api_key or os.environ.get(API_KEY_ENV):
        return None
    settings = storage.settings
    if settings.backend not in ("production", "custom"):
        return None
    try:
        own = settings.endpoints().partner_base_url
        asked = BackendOverrides(base_url=args.base_url.strip(), api_key="").endpoints()[0]
    except ValueError:
        return None
    if asked.rstrip("/") != own.rstrip("/"):
        return None
    return storage.secrets.get(API_KEY) or None


def open_storage() -> StationStorage:
    try:
        return StationStorage()
    except OSError as exc:
        raise StationSetupError(
            f"The station folder {exc.filename or ''} cannot be used ({exc.strerror or exc}). "
            "Set BOXOFFICE_HOME to a folder you can write to."
        ) from None


async def run(args, stop: StopSignals, *, clock=utc_now) -> int:
    stop.install()
    storage = open_storage()
    overrides = overrides_from_args(args, station_key_for(args, storage))
    station = Station(storage, overrides=overrides, backend="sandbox" if overrides is None else None,
                      force_polling=args.force_polling, sandbox=embedded_sandbox)
    try:
        await station.start()
        # Secrets in a file rather than the keychain is the window's notice to give.
        for line in [n for n in station.books.notices if n != station.storage.secrets.fallback_notice]:
            say(line)
        return await COMMANDS[args.command](station, args, stop, clock=clock)
    except asyncio.CancelledError:
        if stop.received is not None:
            raise Interrupted(stop.received) from None
        raise
    finally:
        stop.closing()  # seats are being released: a second signal must not cut that short
        await station.close()
        stop.remove()


def main(argv: list[str] | None = None, *, clock=utc_now) -> int:
    """Run one command; ``clock`` is what "now" is for the sale rules (the maintenance night, on
    sale), as the window's clock is."""
    try:
        args = build_parser().parse_args(argv)
    except InputProblem as exc:
        say(str(exc))
        return EXIT_INPUT
    # Only the app's own loggers speak (they mask secrets and personal data); httpx's request log
    # would show the api key.
    logging.basicConfig(level=logging.CRITICAL, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    logging.getLogger("app").setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    stop = StopSignals()
    try:
        return asyncio.run(run(args, stop, clock=clock))
    except InputProblem as exc:
        say(str(exc))
        return EXIT_INPUT
    except Interrupted:
        say("Interrupted; nothing is left held.")
        return EXIT_INTERRUPTED
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
