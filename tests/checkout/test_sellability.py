"""Can this event be sold here now? (``app.checkout.sellability``): the same answer and sentence for
the event page, the events list and the CLI. No QApplication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.checkout.sellability import (
    CAPTCHA_NOTE,
    OnSale,
    Refusal,
    on_sale_state,
    on_sale_text,
    plain_instant,
    sale_channel_text,
    sellability,
)
from app.partner.models import Availability, EventDetails

NOON_NEW_YORK = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def details(*, transactable=True, onsale=NOON_NEW_YORK - timedelta(days=30), offsale=NOON_NEW_YORK + timedelta(days=9),
            zone="America/New_York") -> EventDetails:
    event = {"id": "E1", "venue": {"location": {"time_zone": zone}}}
    if onsale is not None:
        event["onsale"] = {"format": "datetime", "value": onsale.isoformat()}
    if offsale is not None:
        event["offsale"] = {"format": "datetime", "value": offsale.isoformat()}
    return EventDetails.from_json({"event": event, "api_transactable": transactable})


def availability(free: int) -> Availability:
    return Availability.from_json({"event": {"id": "E1", "tickets": [{"available": free, "total": 10}]}})


def test_an_event_on_sale_in_the_afternoon_can_be_sold():
    verdict = sellability(details(), availability(5), now=NOON_NEW_YORK)
    assert verdict.sellable and verdict.sentence is None and verdict.notes == ()


def test_each_refusal_in_order_with_its_sentence():
    night = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # 01:30 in New York
    assert sellability(details(transactable=False), now=night).refusal is Refusal.NOT_TRANSACTABLE
    at_night = sellability(details(), availability(5), now=night)
    assert at_night.refusal is Refusal.NITERUN and "nightly maintenance until 02:00" in at_night.sentence
    ended = sellability(details(offsale=NOON_NEW_YORK - timedelta(hours=1)), now=NOON_NEW_YORK)
    assert (ended.refusal, ended.sentence) == (Refusal.ENDED, "Sales for this event have ended.")
    early = sellability(details(onsale=datetime(2026, 12, 1, 15, 0, tzinfo=UTC)), now=NOON_NEW_YORK)
    assert early.refusal is Refusal.NOT_YET
    assert early.sentence == "This event is not on sale yet (Tue 1 Dec 2026, 10:00 EST)."
    sold_out = sellability(details(), availability(0), now=NOON_NEW_YORK)
    assert (sold_out.refusal, sold_out.sentence) == (Refusal.SOLD_OUT, "Sold out: no seats are available.")
    assert sellability(details(), None, now=NOON_NEW_YORK).sellable  # availability not known yet


def test_the_half_hour_before_the_night_warns_but_sells():
    late = datetime(2026, 11, 27, 4, 45, tzinfo=UTC)  # 23:45 in New York
    verdict = sellability(details(), availability(5), now=late, captcha_required=True)
    assert verdict.sellable
    assert "in 15 min; a sale started now may not finish" in verdict.notes[0]
    assert verdict.notes[1] == CAPTCHA_NOTE


def test_a_front_end_writes_dates_its_own_way():
    early = sellability(details(onsale=datetime(2026, 12, 1, 15, 0, tzinfo=UTC)), now=NOON_NEW_YORK,
                        format_instant=lambda instant, zone: f"<{instant:%Y-%m-%d} {zone}>")
    assert early.sentence == "This event is not on sale yet (<2026-12-01 America/New_York>)."
    assert plain_instant(datetime(2026, 7, 4, 23, 0, tzinfo=UTC), "America/New_York") == "Sat 4 Jul 2026, 19:00 EDT"


def test_the_events_list_columns():
    assert on_sale_state(details(onsale=None), NOON_NEW_YORK) is OnSale.NO_DATE
    assert on_sale_text(details(onsale=None), NOON_NEW_YORK) == "On sale (no date given)"
    assert on_sale_text(details(), NOON_NEW_YORK) == "On sale"
    assert on_sale_text(details(offsale=NOON_NEW_YORK), NOON_NEW_YORK) == "Sale ended"
    coming = details(onsale=datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    assert on_sale_text(coming, NOON_NEW_YORK) == "From Tue 1 Dec 2026, 10:00 EST"
    assert (sale_channel_text(True), sale_channel_text(False)) == ("Sell here", "Ticketmaster only")
