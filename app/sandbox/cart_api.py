"""The cart endpoints: reserve, shipping, payment, commit and delete (partner-api.md 3.6–3.11).

Every call on a cart checks the api key, the event (known, transactable, not in niterun) and the
cart (live, this event's, not busy with another call), then may be answered through polling.
Commit happens only with ``PUT`` and a ``cart_id``, once, and only when nothing is left unpaid.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .billing import take_payment
from .carts import Line
from .common import as_int, as_str, ok, read_json
from .errors import (
    INVALID_CAPTCHA,
    INVALID_DELIVERY,
    INVALID_INPUT,
    INVALID_STRUCTURE,
    NO_INVENTORY,
    NO_TICKET_TYPES,
    NOT_TRANSACTABLE,
    TICKET_LIMIT,
    UNAUTHORIZED_CAPTCHA,
    UNPAID_BALANCE,
    UPSTREAM_CONNECTION,
    UPSTREAM_TIMEOUT,
    SandboxError,
    error_response,
)
from .gate import apply_latency, check_niterun, known_event
from .inventory import SeatRequest
from .requestlog import CommitDropped


def parse_reserve(event, body: dict) -> tuple[list[tuple], SeatRequest]:
    """(ticket type, quantity) pairs and the seat request, or 10002/20046/10161/20052."""
    reserve = body.get("reserve")
    if not isinstance(reserve, dict):
        raise SandboxError(INVALID_INPUT, "reserve is required and must be an object")
    tickets = reserve.get("tickets")
    if not isinstance(tickets, list) or not tickets or len(tickets) > 20:
        raise SandboxError(INVALID_INPUT, "reserve.tickets must be a list of 1 to 20 tickets")
    wanted, levels = [], set()
    for position, entry in enumerate(tickets):
        if not isinstance(entry, dict):
            raise SandboxError(INVALID_INPUT, f"reserve.tickets[{position}] must be an object")
        ticket_id = as_str(entry.get("id"), f"reserve.tickets[{position}].id", 40)
        quantity = as_int(entry.get("quantity"), f"reserve.tickets[{position}].quantity", 1, 10_000)
        ticket = event.ticket_type(ticket_id)
        if ticket is None:
            raise SandboxError(NO_TICKET_TYPES)
        price = entry.get("price")
        if price is not None:
            if not isinstance(price, dict):
                raise SandboxError(INVALID_INPUT, f"reserve.tickets[{position}].price must be an object")
            if price.get("id") is not None:
                level = as_int(price["id"], f"reserve.tickets[{position}].price.id", 0, 1_000_000)
                if level not in event.levels:
                    raise SandboxError(NO_INVENTORY, "No such price level")
                levels.add(level)
        wanted.append((ticket, quantity))
    total = sum(q for _, q in wanted)
    for ticket in {t for t, _ in wanted}:
        if sum(q for t, q in wanted if t is ticket) > ticket.limit:
            raise SandboxError(TICKET_LIMIT, f"Ticket limit reached: at most {ticket.limit} {ticket.description}")
    if event.ticket_limit and total > event.ticket_limit:
        raise SandboxError(TICKET_LIMIT, f"Ticket limit reached: at most {event.ticket_limit} tickets")
    request = SeatRequest(total, frozenset(levels) if levels else None)
    areas = reserve.get("areas")
    if areas is not None:
        if not isinstance(areas, list) or not all(isinstance(a, dict) for a in areas):
            raise SandboxError(INVALID_INPUT, "reserve.areas must be a list of {\"id\": …}")
        request.area_ids = frozenset(as_int(a.get("id"), "reserve.areas[].id", 0, 1_000_000) for a in areas) or None
    places = reserve.get("places")
    if places is not None:
        if not isinstance(places, list) or not all(isinstance(p, str) for p in places) or len(places) > 200:
            raise SandboxError(INVALID_INPUT, "reserve.places must be a list of place id strings")
        request.places = places or None
    for key in ("section", "row"):
        if reserve.get(key) is not None:
            setattr(request, key, as_str(reserve[key], f"reserve.{key}", 40))
    for key in ("begin_seat", "end_seat"):
        if reserve.get(key) is not None:
            setattr(request, key, as_int(reserve[key], f"reserve.{key}", 0, 100_000))
    accept = reserve.get("accept_best_available", True)
    if not isinstance(accept, bool):
        raise SandboxError(INVALID_INPUT, "reserve.accept_best_available must be true or false")
    request.accept_best_available = accept
    return wanted, request


def routes(context, partner) -> list[Route]:
    def transactable(event) -> None:
        if not (event.api_transactable and event.internet_enabled):
            raise SandboxError(NOT_TRANSACTABLE)

    async def cart_in_query(request: Request):
        """API key, event and cart of a call that names its cart in the query (``?cart_id=…``)."""
        api_key = await partner(request, delay=False)
        event = known_event(context, request.path_params["event_id"])
        check_niterun(context, event)
        return api_key, event, context.carts.get(request.query_params.get("cart_id"), event.id, api_key)

    async def cart_endpoint(request: Request) -> Response:
        method = request.method
        if method == "POST":
            return await reserve(request)
        if method == "PUT":
            return await commit(request)
        if method == "DELETE":
            return await delete(request)
        await partner(request, delay=False)
        raise SandboxError(INVALID_STRUCTURE, "Invalid reserve request data structure: commit a cart with PUT")

    async def reserve(request: Request) -> Response:
        api_key = await partner(request, delay=False)
        event = known_event(context, request.path_params["event_id"])
        body = await read_json(request)
        if "reserve" not in body and "cart_id" in body:
            raise SandboxError(INVALID_STRUCTURE, "Invalid reserve request data structure: commit a cart with PUT")
        transactable(event)
        check_niterun(context, event)
        wanted, seat_request = parse_reserve(event, body)
        if context.captcha_required(event.id):
            token = body.get("token")
            if not token:
                raise SandboxError(UNAUTHORIZED_CAPTCHA, "Unauthorized access: captcha solution token missing")
            if not isinstance(token, str) or not context.captcha.verify_and_consume(token):
                raise SandboxError(INVALID_CAPTCHA)
        await apply_latency(context)
        context.carts.sweep()
        seats = context.inventory.hold(event, seat_request)
        lines, offset = [], 0
        for ticket, quantity in wanted:
            lines.append(Line(ticket, seats[offset:offset + quantity]))
            offset += quantity
        cart = context.carts.create(event, api_key, lines)

        def answer() -> Response:
            return ok({"cart_id": cart.id, "cart": cart.to_json(context.clock.timestamp())})

        return context.polling.respond(request, "cart/tickets/POST", api_key, answer, cart.id)

    async def shipping(request: Request) -> Response:
        api_key, event, cart = await cart_in_query(request)
        async with context.carts.working(cart):
            await apply_latency(context)
            if request.method == "GET":
                _merchandise, _fees = cart.merchandise_and_fees()
                options = []
                for option in event.shipping.values():
                    options.append({"id": option.id, "carrier": option.carrier, "service_level": option.service_level,
                                    "description": option.description,
                                    "totals": {"currency_code": event.currency, "fee": float(option.fee),
                                               "grand": float(option.fee), "merchandise": 0.0, "tax": 0.0,
                                               "unpaid": 0.0}})
                return ok({"shipping_options": options})
            body = await read_json(request)
            shipping_id = body.get("shipping_id")
            if not isinstance(shipping_id, str) or shipping_id not in event.shipping:
                raise SandboxError(INVALID_DELIVERY)
            if cart.paid > 0:
                raise SandboxError(INVALID_DELIVERY, "Delivery cannot change after payment was added")
            cart.shipping = event.shipping[shipping_id]
            context.carts.extend(cart)

        def answer() -> Response:
            return ok({"cart": cart.to_json(context.clock.timestamp())})

        return context.polling.respond(request, "cart/shipping/PUT", api_key, answer, cart.id)

    async def payment(request: Request) -> Response:
        api_key = await partner(request, delay=False)
        event = known_event(context, request.path_params["event_id"])
        check_niterun(context, event)
        body = await read_json(request)
        cart = context.carts.get(body.get("cart_id"), event.id, api_key)
        async with context.carts.working(cart):
            await apply_latency(context)
            take_payment(context, request, cart, body)
            context.carts.extend(cart)
            return ok({"cart": cart.to_json(context.clock.timestamp())})

    async def commit(request: Request) -> Response:
        api_key = await partner(request, delay=False)
        event = known_event(context, request.path_params["event_id"])
        body = await read_json(request)
        if "cart_id" not in body:
            raise SandboxError(INVALID_STRUCTURE, "Invalid reserve request data structure: cart_id is required")
        check_niterun(context, event)
        cart = context.carts.get(body.get("cart_id"), event.id, api_key)
        source = body.get("source_account_id")
        if source is not None:
            source = as_str(source, "source_account_id", 128)
        async with context.carts.working(cart):
            await apply_latency(context)
            if cart.unpaid() > 0:
                raise SandboxError(UNPAID_BALANCE, f"Cart has an unpaid balance of {cart.unpaid()} {event.currency}: "
                                                   "add a payment before committing")
            _, result = context.orders.record(cart, source, str(request.base_url).rstrip("/"))
        fault = context.scenario.take("commit_fault")

        def answer() -> Response:
            if fault == "502":
                return error_response(UPSTREAM_CONNECTION)
            if fault == "504":
                return error_response(UPSTREAM_TIMEOUT)
            if fault == "drop":
                return DroppedResponse()
            return ok(result)

        return context.polling.respond(request, "cart/tickets/PUT", api_key, answer, cart.id)

    async def delete(request: Request) -> Response:
        api_key, _, cart = await cart_in_query(request)
        async with context.carts.working(cart):
            await apply_latency(context)
            context.carts.delete(cart)

        def answer() -> Response:
            return Response(status_code=204)

        return context.polling.respond(request, "cart/tickets/DELETE", api_key, answer, cart.id)

    async def poll(request: Request) -> Response:
        api_key = await partner(request)
        return context.polling.poll(request, request.path_params["operation"], request.path_params["poll_id"], api_key)

    return [
        Route("/partners/v1/events/{event_id}/cart", cart_endpoint,
              methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/partners/v1/events/{event_id}/cart/shipping", shipping, methods=["GET", "PUT"]),
        Route("/partners/v1/events/{event_id}/cart/payment", payment, methods=["PUT"]),
        Route("/partners/v1/polling/{operation:path}/{poll_id}", poll, methods=["GET"]),
    ]


class DroppedResponse(Response):
    """Starts the answer, then breaks off: uvicorn closes the socket and the client sees a reset."""

    def __init__(self) -> None:
        super().__init__(content=b"", status_code=200)

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"512")]})
        raise CommitDropped()

