"""Errors in the window: a plain sentence and one helpful action, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from tests.gui.windowkit import TEST_EVENT, click, find, open_event_by_search


def test_a_failing_service_is_explained_and_retry_recovers(window, run, until, qtbot, sandbox_control):
    async def steps():
        sandbox_control.scenario(transient_error_rate=1.0)
        window.open_event(TEST_EVENT)
        banner = window.event_page.banner
        await until(lambda: banner.current is not None, 60, what="the error explained")
        sentence = find(banner, "errorText", QLabel).text()
        assert sentence and "Traceback" not in sentence and "502" not in sentence and "504" not in sentence
        action = find(banner, "errorAction", QPushButton)
        assert action.text() in ("Retry", "Retry later")
        assert not find(window, "reserveButton").isEnabled()
        sandbox_control.scenario(transient_error_rate=0.0)
        click(qtbot, action)
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT, 60, what="the page after Retry")
        assert not banner.isVisible()
        assert find(window, "reserveButton").isEnabled()

    run(steps())


def test_seats_gone_offers_to_pick_other_seats(window, run, until, qtbot, sandbox_control, fresh_sandbox, tmp_path):
    from app.checkout.station import Station
    from app.storage import StationPaths, StationStorage

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        page = window.event_page
        row = next(r for t in page.availability.tickets for r in t.inventory
                   if len(r.seats) >= 4 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(3)))
        # Another counter takes these two seats after the map was drawn.
        counter = Station.for_sandbox(fresh_sandbox, StationStorage(StationPaths.under(tmp_path / "other")))
        await counter.start()
        other = counter.new_sale(TEST_EVENT)
        from app.partner.models import ReserveRequest

        ticket = page.availability.offers[0].ticket_type_id
        await other.reserve(ReserveRequest.simple(ticket, 2, places=row.places[:2], accept_best_available=False))
        page.seat_map.select_places(list(row.places[:2]))
        await until(lambda: len(page.seat_map.selected_places()) == 2, what="seats picked")
        click(qtbot, find(window, "reserveButton", QPushButton))
        await until(lambda: page.banner.current is not None, 30, what="the refusal explained")
        assert find(page.banner, "errorAction", QPushButton).text() == "Pick other seats"
        assert window.sale_flow is None
        click(qtbot, find(page.banner, "errorAction", QPushButton))
        await until(lambda: page.loaded_event_id == TEST_EVENT and not page.seat_map.selected_places(), 30,
                    what="the map refreshed")
        await other.abandon()
        await counter.close()

    run(steps())
    assert sandbox_control.state()["held_carts"] == []
