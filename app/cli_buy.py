"""``python -m app.cli buy``: one sale from the command line, every input checked before any call.

The CLI asks the same core rules as the window, so both refuse the same sales with the same
sentences: ``app.checkout.sellability`` (not transactable, the venue's maintenance night, sales
ended or not open yet, sold out, captcha needed — checked before anything is held),
``app.checkout.quantities`` (the quantity against every limit; ``--places`` that would leave a
single seat alone where the event forbids it), ``app.checkout.paymentform`` (card type and length,
Luhn, expiry, security code length, names, email, phone, and — when any address option is
given — country, state/province and postal code; the options and these checks are
``cli_buyargs``) and ``app.checkout.delivery`` (without ``--shipping``: the only option, else the
cheapest, and it says which). Every problem is named by its option in one plain line, exit code 2;
a sale the event cannot have now is exit 1.

Exact seats are named by ``--places`` (place ids) or by ``--section``/``--row``/``--seats FIRST-LAST``
(a run of one row; the core, ``app.checkout.seatpicks``, sends place ids where the seats have them and
section/row/begin_seat/end_seat for seats availability lists without). They are asked for without
the service's fall-back to best available; ``--or-best-available`` allows it, and other seats held
instead are always said. While the order is placed, stop signals wait (``StopSignals.deferred``):
a commit is never cut off halfway.
"""

from __future__ import annotations

import sys

from app.checkout.cash import change_due, read_tendered, tendered_error
from app.checkout.delivery import default_delivery, delivery_words
from app.checkout.errors import CheckoutError, CommitNotSettled
from app.checkout.money import money_words
from app.checkout.niterun import utc_now
from app.checkout.notices import PollingUpdate
from app.checkout.quantities import quantity_bounds, quantity_problem, single_seat_problem
from app.checkout.seatlabels import SeatHints, item_label
from app.checkout.seatpicks import SeatPickProblem, exact_seats_request, run_picks, seat_of_key
from app.checkout.seats import OtherSeatsReleased, UnknownPlaces, seats_for_places
from app.checkout.sellability import CAPTCHA_NOTE, Refusal, sellability
from app.checkout.settle import DoubtOutcome
from app.checkout.station import Station
from app.partner.errors import CaptchaRequired, NotApiTransactable, PartnerError
from app.partner.models import ReserveRequest, TicketRequest

from .cli_buyargs import check_buy_options, payment_from_args, places_of, seat_run
from .cli_common import EXIT_CAPTCHA, EXIT_OK, InputProblem, StopSignals, emit, say

NO_ANSWER_YET = "The ticketing service did not answer; asking again…"


async def reserve_request(station: Station, args, details, availability) -> ReserveRequest:
    """What to reserve, checked against the event (limits, ticket types, free places) before any hold."""
    offered = [o.ticket_type_id for o in availability.offers] or [t.id for t in details.tickets]
    ticket_type = args.ticket_type or (offered[0] if offered else None)
    if ticket_type is None:
        raise InputProblem("This event offers no ticket types to choose from; pass --ticket-type.")
    if args.ticket_type and offered and ticket_type not in offered:
        raise InputProblem(
            f"--ticket-type: {ticket_type} is not offered for this event (offered: "
            f"{', '.join(dict.fromkeys(offered))})."
        )
    bounds = quantity_bounds(details, availability, ticket_type)
    if not bounds.can_sell:
        raise CheckoutError(bounds.reason or "No tickets of this type can be sold now.")
    if problem := quantity_problem(bounds, args.quantity):
        raise InputProblem(f"--quantity: {problem}")
    places, asked = places_of(args), ()
    run = seat_run(args)
    if run is not None:  # the core reads the run: place ids where the seats have them, else by row
        try:
            places = run_picks(availability, args.section.strip(), args.row.strip(), *run, ticket_type_id=ticket_type)
        except SeatPickProblem as exc:
            if not args.or_best_available:
                raise CheckoutError(f"{exc} Nothing was held.") from None
            say(f"{exc} The best available seats are asked for instead, as --or-best-available allows.")
            places = ()
        if places and len(places) != args.quantity:
            raise InputProblem(f"--seats {args.seats} are {len(places)} seats in that row but --quantity is "
                               f"{args.quantity}.")
    if places:
        try:
            asked = seats_for_places(availability, places, ticket_type_id=ticket_type)
        except UnknownPlaces as exc:
            if not args.or_best_available:
                raise CheckoutError(f"{exc} Nothing was held.") from None
            say(f"{exc.seats_sentence} The best available seats are asked for instead, as --or-best-available allows.")
            places = ()
        if places and (lone := single_seat_problem(availability, places)):
            raise InputProblem(f"{'--seats' if run else '--places'}: {lone}")
    if any(seat_of_key(p) for p in places):  # seats listed without place ids: by section, row and seats
        return exact_seats_request(availability, places, ticket_type_id=ticket_type,
                                   accept_best_available=bool(args.or_best_available))
    return ReserveRequest(
        tickets=(TicketRequest(ticket_type, args.quantity, args.price_level),),
        places=places,
        accept_best_available=bool(args.or_best_available) if places else None,
        asked_seats=asked,
    )


def agree_to_other_seats(sale, args) -> bool:
    """The cart holds other seats than the ones asked for: kept with --or-best-available (or a yes
    at the terminal), else the caller releases them."""
    difference = sale.seat_difference
    if difference is None:
        return True
    if args.or_best_available:
        say(f"{difference.sentence(hide_names=sale.hide_row_seat)} Kept, as --or-best-available allows.")
    elif sys.stdin.isatty():
        answer = input(f"{difference.sentence(hide_names=sale.hide_row_seat)} Keep these seats? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            return False
    else:
        return False
    sale.accept_seats()
    return True


# ----- the sale --------------------------------------------------------------------------------
def _show_progress(event) -> None:
    if isinstance(event, PollingUpdate):
        p = event.progress
        say(
            f"Waiting for the ticketing service ({p.operation}, round {p.round}, next try in "
            f"{p.seconds_until_next_try:.0f} s)…"
        )


CAPTCHA_HINT = f"{CAPTCHA_NOTE} Only the Box Office window can show it: sell it from there, or pass --captcha-token."


async def _captcha_needed(station: Station, event_id: str) -> bool:
    """As the window asks before a reserve; a failed question leaves it to the reserve."""
    try:
        return bool((await station.counter.captcha_info(event_id)).required)
    except PartnerError:
        return False


def _refuse_unsellable(verdict, event_id: str) -> None:
    if verdict.refusal is Refusal.NOT_TRANSACTABLE:
        raise NotApiTransactable(event_id=event_id)
    if verdict.refusal is not None:
        raise CheckoutError(f"{verdict.sentence} Nothing was held.")


def _fee(option, currency: str | None) -> str:
    return f"{option.fee} {currency or ''}".strip()


async def _choose_delivery(sale, args):
    """``--shipping``, else the core's default (the only option, else the cheapest); answers the
    option chosen (None when the service offers none, or for an id given with ``--shipping``)."""
    if args.shipping is not None:
        await sale.choose_shipping(args.shipping)
        return None
    options = await sale.shipping_options()
    chosen = default_delivery(options)
    if chosen is None:
        return None
    await sale.choose_shipping(chosen.id)
    if len(options) > 1 and not args.json:
        currency = sale.cart.currency if sale.cart else None
        others = ", ".join(f"{o.id} ({delivery_words(o)}, {_fee(o, currency)})" for o in options if o is not chosen)
        say(f"Delivery: {delivery_words(chosen)} ({_fee(chosen, currency)}); --shipping takes another: {others}.")
    return chosen


async def cmd_buy(station: Station, args, stop: StopSignals, *, clock=utc_now) -> int:
    check_buy_options(args)
    how, payment = payment_from_args(args)
    details = await station.counter.find_event(args.event_id)  # an id, a venue code and host, or an address
    args.event_id = details.event_id
    captcha = args.captcha_token is None and details.api_transactable and await _captcha_needed(station, args.event_id)
    verdict = sellability(details, now=clock(), captcha_required=captcha)
    _refuse_unsellable(verdict, args.event_id)
    if captcha:
        say(CAPTCHA_HINT)
        return EXIT_CAPTCHA
    for note in verdict.notes:
        say(note)
    availability = await station.availability(args.event_id)
    _refuse_unsellable(sellability(details, availability, now=clock()), args.event_id)
    request = await reserve_request(station, args, details, availability)
    hints = SeatHints.of(request, availability)
    sale = station.new_sale(args.event_id, event_name=details.name or "",
                            hide_row_seat=availability.loc_row_seat_restrict)
    sale.subscribe(_show_progress)
    try:
        try:
            cart = await sale.reserve(request, captcha_token=args.captcha_token)
        except CaptchaRequired:
            say(CAPTCHA_HINT)
            return EXIT_CAPTCHA
        if not agree_to_other_seats(sale, args):
            difference = sale.seat_difference
            await sale.abandon()
            raise OtherSeatsReleased(difference, hide_names=sale.hide_row_seat,
                                     hint="Add --or-best-available to accept other seats.")
        if not args.json:
            held = "; ".join(item_label(i, hints, hide_row_seat=sale.hide_row_seat) for i in cart.items)
            say(f"Held: {held} — cart {cart.cart_id}, {cart.hold_time} s to finish.")
        delivery = await _choose_delivery(sale, args)
        if how == "invoice":
            await sale.pay_invoice(*payment)
        elif how == "cash":
            await _pay_cash(sale, *payment)
        else:
            await sale.pay_card(*payment)
        del payment
        async with stop.deferred():  # a stop signal waits: the commit's outcome must be known
            result = await _commit(sale)
    finally:
        if sale.can_abandon:  # the core's abandon policy: never mid-commit or in doubt
            await sale.abandon()
    _print_order(args, sale, result, hints, delivery)
    if stop.received is not None:
        say("A stop signal came while the order was being placed; the sale was completed first.")
    return EXIT_OK


async def _pay_cash(sale, received: str, contact) -> None:
    """Cash against the amount due now the seats are held; too little releases them (nothing paid)."""
    cart = sale.cart
    problem = tendered_error(received, cart.unpaid, cart.currency)
    if problem:
        raise CheckoutError(f"--cash: {problem} The seats were released.")
    tendered = read_tendered(received, cart.currency)
    await sale.pay_cash(tendered, contact)
    change = change_due(tendered, cart.unpaid)
    say(f"Change due: {money_words(change, cart.currency)}." if change else "No change due.")


async def _commit(sale):
    """Commit once; a lost answer is settled by the core's settle policy (``app.checkout.settle``),
    never sent again: no order means the seats are released (exit 1), no answer means exit 4."""
    try:
        return await sale.commit()
    except CommitNotSettled:
        say("The connection failed while completing the sale; checking whether it went through…")
    report = await sale.settle_in_doubt(on_retry=lambda _tries, _error: say(NO_ANSWER_YET))
    if report.outcome is DoubtOutcome.SOLD:
        return report.result
    if report.outcome is DoubtOutcome.STILL_UNKNOWN:
        raise CommitNotSettled(report.error, f"{report.sentence} The station checks again when it next starts.")
    released = " Its seats were released." if report.outcome is DoubtOutcome.NOT_SOLD_SEATS_HELD else ""
    raise CheckoutError(report.sentence + released)  # the seats: released by cmd_buy's clean-up


def _print_order(args, sale, result, hints: SeatHints, delivery) -> None:
    items = sale.cart.items if sale.cart else ()
    seats = [item_label(item, hints, hide_row_seat=sale.hide_row_seat) for item in items]
    out = {
        "order_number": result.order_number,
        "order_token": result.order_token,
        "grand_total": str(result.grand_total) if result.grand_total is not None else None,
        "currency_code": result.currency,
        "redemption_url": result.redemption_url,
        "tm_app_url": result.tm_app_url,
        "event_id": args.event_id,
        "cart_id": sale.cart_id,
        "receipt_number": sale.receipt_number,
        "confirmed": sale.confirmed,
        "seats": seats,
        "shipping_id": delivery.id if delivery is not None else args.shipping,
        "delivery": delivery_words(delivery) if delivery is not None else None,
        "journal_recorded": sale.record_note is None,
    }
    if sale.confirmed:
        lines = [
            f"Sold: order {result.order_number}, {result.grand_total} {result.currency or ''}".rstrip(),
            f"Seats: {'; '.join(seats)}",
            f"Order token: {result.order_token}",
        ] + ([f"Redeem at: {result.redemption_url}"] if result.redemption_url else []) + (
            [f"Open in the Ticketmaster app: {result.tm_app_url}"] if result.tm_app_url else [])
    else:
        lines = [
            "Sold, but the confirmation was lost on the way: the order number is not known. "
            "The sale is in this station's orders; do not sell these seats again."
        ]
    emit(args, out, lines)
    if sale.record_note:
        say(sale.record_note)
