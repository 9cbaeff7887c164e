"""Read-only Partner API endpoints: event inventory, event details, event id lookup, availability,
and the payment certificate (sections 3.1–3.4 and 3.8 of partner-api.md)."""

from __future__ import annotations

import html
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .common import money, ok
from .errors import NOT_FOUND, SandboxError
from .fixtures import Event
from .gate import check_niterun, known_event
from .inventory import FREE

PRICE_DETAIL_TYPES = ("face_value", "face_value_tax", "facility", "service", "service_tax", "service_tax2", "distance")


def _iso(when) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def restrict_flags(event: Event, overrides: dict) -> dict:
    """The event's display restrictions: GA events hide the seat map; the scenario may change any."""
    flags = {"seatLocationMapRestrict": event.ga, "locRowSeatRestrict": False, "locXnumAddescRestrict": False}
    flags.update(overrides.get(event.id, {}))
    return flags


def event_summary(event: Event, flags: dict) -> dict:
    local = event.starts_at.astimezone(event.tz)
    return {"eventCode": event.code, "eventHost": event.host, "eventId": event.id,
            "eventDate": local.date().isoformat(), "eventTime": local.strftime("%H:%M:%S"),
            "timeZone": event.time_zone, **flags,
            "offers": [{"repName": t.description, "ticketType": t.id} for t in event.ticket_types]}


def _level_areas(event: Event) -> dict[int, list[int]]:
    """Price level id -> the area ids whose sections sell at that level."""
    result: dict[int, list[int]] = {level: [] for level in event.levels}
    for section in event.seatmap.sections:
        for area in section.area_ids:
            if area not in result[section.level_id]:
                result[section.level_id].append(area)
    return result


def event_details(event: Event, base_url: str) -> dict:
    currency = event.currency
    level_areas = _level_areas(event)
    groups: dict[str, list[dict]] = {}
    for area in event.areas.values():
        prices = [{"id": level} for level, areas in level_areas.items() if area.id in areas]
        groups.setdefault(area.group, []).append({"id": area.id, "description": area.description, "prices": prices})

    def amount(value: Decimal) -> dict:
        return {"amount": money(value), "currency": currency}

    tickets = []
    faces = []
    for ticket in event.ticket_types:
        prices = []
        for level in event.levels.values():
            face = event.face_value(ticket, level)
            fees = level.facility_fee + level.service_fee
            faces.append((face + fees, face, fees))
            values = {"face_value": face, "facility": level.facility_fee, "service": level.service_fee}
            prices.append({"id": level.id, "amount": money(face), "display_amount": money(face + fees),
                           "price_details": [{"type": kind, "amount": amount(values.get(kind, Decimal(0)))}
                                             for kind in PRICE_DETAIL_TYPES]})
        tickets.append({"id": ticket.id, "description": ticket.description,
                        "areas": [{"id": a} for a in event.areas], "prices": prices,
                        "quantities": {"limit": ticket.limit, "minimum": 1, "multiple": 1, "exact": 0}})
    low, high = min(faces), max(faces)
    body = {
        "id": event.id,
        "name": event.name,
        "currency_code": currency,
        "type": {"id": 0},
        "url": f"https://www.ticketmaster.com/event/{event.id}",
        "eventdate": {"format": "datetime", "value": _iso(event.starts_at)},
        "offsale": {"format": "datetime", "value": _iso(event.offsale)},
        "presales": [],
        "area_groups": [{"label": label, "areas": areas} for label, areas in groups.items()],
        "prices": [
            {
                "id": level.id,
                "description": level.description,
                "amounts": [money(level.face_value)],
                "areas": [{"id": a} for a in level_areas[level.id]],
            }
            for level in event.levels.values()
        ],
        "tickets": tickets,
        "quantities": {"limit": event.ticket_limit},
        "price_range": {
            "description": "Prices subject to change",
            "min": {"display_amount": money(low[0]), "face_value": money(low[1]), "fees": money(low[2])},
            "max": {"display_amount": money(high[0]), "face_value": money(high[1]), "fees": money(high[2])},
        },
        "event_image": {"location": f"{base_url}/media/event/{event.id}.svg", "width": 205, "height": 115},
        "venue": {
            "id": event.venue_id,
            "name": event.venue_name,
            "images": [
                {
                    "type": "seatingchart",
                    "name": "Seating chart",
                    "width": 670,
                    "height": 410,
                    "location": f"{base_url}/media/venue/{event.id}.svg",
                }
            ],
            "markets": [{"id": 100 + event.ordinal, "name": f"{event.city} Area"}],
            "location": {
                "address": {
                    "city": event.city,
                    "region": {"abbrev": event.region},
                    "country": {"abbrev": event.country},
                },
                "time_zone": event.time_zone,
            },
        },
        "criteria_groups": ["bestavail"] if event.ga else ["bestavail", "specificseats"],
        "artists": [
            {"id": 1_700_000 + event.ordinal, "name": event.name, "rank": 1, "single_performer_or_band": False}
        ],
        "promoter": {"id": 494, "name": "PROMOTED BY VENUE"},
        "purchase_organization": "TM",
        "facility_fee_rollup": False,
        "service_fee_rollup": False,
        "statuses": [],
        "notes": [{"type": "webinfo", "text": f"Doors open one hour before the show at {event.venue_name}."}],
    }
    if event.onsale is not None:
        body["onsale"] = {"format": "datetime", "value": _iso(event.onsale)}
        body["publication"] = {"format": "datetime", "value": _iso(event.onsale)}
        body["statuses"] = [{"type": "onsale", "value": _iso(event.onsale)}]
        presale_start = event.onsale
        body["presales"] = [
            {
                "format": "daterange",
                "label": "Fan Club Presale",
                "value": f"{_iso(presale_start)}/{_iso(event.offsale)}",
            }
        ]
    return {"api_transactable": event.api_transactable and event.internet_enabled, "event": body}


def availability(event: Event, state: bytes, flags: dict) -> dict:
    seatmap = event.seatmap
    places = event.places()
    groups: dict[int, dict] = {}
    for level in event.levels.values():
        groups[level.id] = {
            "available": 0,
            "total": 0,
            "seating": "general" if event.ga else "reserved",
            "currentTicketLimit": 0,
            "eventTicketLimit": event.ticket_limit,
            "inventory": [],
            "offers": [
                {
                    "ticketTypeId": t.id,
                    "priceLevelId": str(level.id),
                    "currency": event.currency,
                    "faceValue": money(event.face_value(t, level)),
                    "offerName": t.description,
                    "offerDescription": t.name,
                    "charges": [
                        {"reason": "facility", "type": "fee", "amount": money(level.facility_fee)},
                        {"reason": "service", "type": "fee", "amount": money(level.service_fee)},
                    ],
                }
                for t in event.ticket_types
            ],
        }
    for row in seatmap.rows:
        section = seatmap.sections[row.section]
        group = groups[section.level_id]
        free = [i for i in range(row.first, row.first + row.count) if state[i] == FREE]
        group["total"] += row.count
        group["available"] += len(free)
        if not free:
            continue
        areas = [
            {"areaId": str(a), "name": event.areas[a].name, "description": event.areas[a].description}
            for a in section.area_ids
        ]
        if section.ga:
            group["inventory"].append({"section": section.name, "areas": areas})
            continue
        numbers = [row.number(i) for i in free]
        entry = {"section": section.name, "row": row.name, "seats": numbers}
        if section.name not in event.placeless_sections:
            entry["places"] = [places[i] for i in free]
        entry.update(hasEvenOddMix=len({n % 2 for n in numbers}) > 1, areas=areas)
        group["inventory"].append(entry)
    for group in groups.values():
        cap = event.ticket_limit or group["available"]
        group["currentTicketLimit"] = min(cap, group["available"])
    body = {
        "id": event.id,
        "restrictSingle": event.restrict_single,
        "eventTicketLimit": event.ticket_limit,
        "offsale": _iso(event.offsale),
        "eventDateTime": _iso(event.starts_at),
        **flags,
        "tickets": list(groups.values()),
    }
    if event.onsale is not None:
        body["onsale"] = _iso(event.onsale)
    return {"event": body}


def routes(context, partner) -> list[Route]:
    def client_ip(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    async def events(request: Request) -> Response:
        await partner(request)
        headers = context.quotas.events(
            client_ip(request),
            int(context.scenario.get("quota_events_per_minute")),
            context.clock.timestamp(),
            context.clock.offset_seconds,
        )
        overrides = context.scenario.get("restrict_flags")
        listed = [event_summary(e, restrict_flags(e, overrides)) for e in context.events.values() if e.internet_enabled]
        return ok({"events": listed}, headers=headers)

    async def details(request: Request) -> Response:
        await partner(request)
        headers = context.quotas.events(
            client_ip(request),
            int(context.scenario.get("quota_events_per_minute")),
            context.clock.timestamp(),
            context.clock.offset_seconds,
        )
        event = known_event(context, request.path_params["event_id"])
        return ok(event_details(event, str(request.base_url).rstrip("/")), headers=headers)

    async def event_id(request: Request) -> Response:
        await partner(request)
        code, host = request.path_params["event_code"], request.path_params["event_host"]
        for event in context.events.values():
            if event.code.lower() == code.lower() and event.host.lower() == host.lower():
                return ok({"event": {"id": event.id}})
        raise SandboxError(NOT_FOUND, "No event with that code on that host")

    async def seats(request: Request) -> Response:
        api_key = await partner(request)
        event = known_event(context, request.path_params["event_id"])
        headers = context.quotas.availability(
            api_key,
            int(context.scenario.get("quota_availability_per_hour")),
            context.clock.timestamp(),
            context.clock.offset_seconds,
        )
        try:
            check_niterun(context, event)
        except SandboxError as exc:
            exc.headers = headers
            raise
        context.carts.sweep()
        flags = restrict_flags(event, context.scenario.get("restrict_flags"))
        return ok(availability(event, context.inventory.snapshot(event.id), flags), headers=headers, in_steps=True)

    async def image(request: Request) -> Response:
        event = known_event(context, request.path_params["event_id"])
        kind = request.path_params["kind"]
        width, height = (205, 115) if kind == "event" else (670, 410)
        text = html.escape(event.name if kind == "event" else f"{event.venue_name}: stage")
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
            # Absolute units: Qt's SVG renderer (and others) read "100%" on a rect as 100 px.
            f'<rect width="{width}" height="{height}" fill="#1f3a5f"/><text x="{width // 2}" y="{height // 2}" '
            f'fill="#fff" font-family="sans-serif" font-size="14" text-anchor="middle">{text}</text></svg>'
        )
        return Response(svg, media_type="image/svg+xml")

    async def certificate(request: Request) -> Response:
        await partner(request)
        return ok(context.payment.certificate())

    return [
        Route("/partners/v1/events", events, methods=["GET"]),
        Route("/partners/v1/events/{event_id}", details, methods=["GET"]),
        Route("/partners/v1/events/{event_code}/{event_host}/id", event_id, methods=["GET"]),
        Route("/partners/v1/events/{event_id}/availability", seats, methods=["GET"]),
        Route("/partners/v1/certificate", certificate, methods=["GET"]),
        Route("/media/{kind:str}/{event_id}.svg", image, methods=["GET"]),
    ]
