"""The shared GUI helpers: error sentences and actions, money and date text, async slot failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from decimal import Decimal

from PySide6.QtCore import QLocale, QObject, Signal

from app.gui import asyncutil
from app.gui.errorbanner import ErrorBanner
from app.gui.errors import ActionKind, describe
from app.gui.formatting import (
    format_countdown,
    format_event_datetime,
    format_money,
    local_event_time,
)

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def test_money_is_rounded_as_decimal_and_formatted_by_locale():
    assert format_money(Decimal("1234.5"), "USD", US) == "$1,234.50"
    assert format_money(Decimal("0.125"), "USD", US) == "$0.13"  # half-up, not binary float
    assert format_money(Decimal("1234.5"), "EUR", DE) == "1.234,50\xa0€"
    assert format_money(Decimal("1500"), "JPY", US) == "¥1,500"
    assert format_money(None, "USD", US) == "—"


def test_event_time_is_shown_in_the_venue_zone():
    instant = datetime(2015, 12, 7, 0, 0, tzinfo=UTC)
    ny = local_event_time(instant, "America/New_York")
    shown = format_event_datetime(ny, US)
    assert shown.startswith("Sun 6 Dec 2015, 7:00") and shown.endswith("PM EST")
    sydney = local_event_time(None, "Australia/Sydney", local_date=date(2026, 1, 10), local_time=time(20, 0))
    assert "AEDT" in format_event_datetime(sydney, US)
    assert format_countdown(299) == "4:59"
    assert format_countdown(-3) == "0:00"


def test_unexpected_exception_is_a_calm_sentence_without_traceback():
    view = describe(KeyError("items"))
    assert not view.expected
    assert "Traceback" not in view.sentence and "KeyError" not in view.sentence
    assert view.action is ActionKind.NONE


def test_network_failure_offers_retry():
    view = describe(ConnectionRefusedError(111, "Connection refused"))
    assert view.expected and view.action is ActionKind.RETRY
    assert view.action_label == "Retry"


class _Emitter(QObject):
    fired = Signal()


class _Handler(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.banner = ErrorBanner()

    @asyncutil.async_slot()
    async def on_fired(self) -> None:
        await asyncio.sleep(0)
        raise RuntimeError("boom")


def test_exception_in_async_slot_is_logged_shown_and_reaches_the_loop(qloop, caplog):
    handler = _Handler()
    asyncutil.set_error_reporter(handler.banner.show_error)
    emitter = _Emitter()
    emitter.fired.connect(handler.on_fired)

    async def steps():
        emitter.fired.emit()
        for _ in range(100):
            if handler.banner.current is not None:
                break
            await asyncio.sleep(0.01)

    qloop.run(steps())
    assert handler.banner.current is not None
    assert handler.banner.text.text() == "Something went wrong inside Box Office. The details were written to the log."
    assert handler.banner.action.text() == "OK"
    assert any("boom" in (r.exc_text or "") or r.exc_info for r in caplog.records if r.name == "app.gui.asyncutil")
    errors = qloop.take_errors()
    assert len(errors) == 1 and isinstance(errors[0]["exception"], RuntimeError)


def test_engine_errors_map_to_their_one_action():
    from app.partner import errors as pe

    captcha = describe(pe.InvalidCaptcha())
    assert captcha.action is ActionKind.NEW_CAPTCHA and captcha.action_label == "New captcha"
    seats = describe(pe.NoInventory())
    assert seats.action_label == "Pick other seats"
    assert describe(pe.SignInRequired()).action_label == "Sign in again"
    assert describe(pe.InvalidApiKey()).action_label == "Check settings…"
    redirect = describe(pe.NotApiTransactable(event_id="3B00NOAPI0000002"))
    assert redirect.action_label == "Open on Ticketmaster"
    assert redirect.url == "https://www.ticketmaster.com/event/3B00NOAPI0000002"
    declined = describe(pe.PaymentDeclined())
    assert declined.sentence == "The card was declined. Ask for another card."
    assert describe(pe.InvalidCart()).action_label == "Start over"


def test_a_station_without_a_usable_backend_points_to_the_settings():
    from app.checkout.station import StationSetupError

    view = describe(StationSetupError("No API key is set for this backend. Enter it in Settings."))
    assert view.sentence == "No API key is set for this backend. Enter it in Settings."
    assert view.action_label == "Check settings…"
