"""File › Open event… (Ctrl+O): an event opened by its id, by the venue's event code and host, or
from a pasted Ticketmaster address — listed in /events or not — and a plain sentence at the field
for anything else, with what was typed kept."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QPushButton, QWidget

from tests.gui.windowkit import TEST_EVENT, click, event_page_ready, find, open_event_by_search, open_event_dialog

HIDDEN_EVENT = "3B00HIDDEN000003"  # not internet-enabled: absent from /events
STADIUM_EVENT = "3B00STADIUM00007"


def _type(dialog, text: str) -> None:
    field = find(dialog, "openEventField", QLineEdit)
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    QTest.keyClicks(field, text)


def test_the_file_menu_offers_open_event_on_ctrl_o(window):
    action = find(window, "action_open_event", QAction)
    assert action.shortcut().toString() == "Ctrl+O"
    assert [a.text().replace("&", "") for a in find(window, "menu_file", QMenu).actions() if not a.isSeparator()] \
        == ["Open event…", "Settings…", "Quit"]


def test_an_event_missing_from_the_list_opens_by_its_id(window, run, until, sandbox_control):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="the events listed")
        assert window.events.model.row_for(HIDDEN_EVENT) is None  # /events does not list it
        dialog = await open_event_dialog(window, until)
        _type(dialog, f"  {HIDDEN_EVENT} ")
        QTest.keyClick(find(dialog, "openEventField", QLineEdit), Qt.Key.Key_Return)
        await until(lambda: window.event_page.loaded_event_id == HIDDEN_EVENT, what="the event page of it")
        assert not dialog.isVisible()
        assert find(window, "eventTitle", QLabel).text() == "Private Rehearsal"
        assert "ticketmaster.com/event/" + HIDDEN_EVENT in find(window, "ticketmasterLink", QLabel).text()

    run(steps())


def test_a_venue_event_code_and_host_are_looked_up_then_opened(window, run, until, sandbox_control):
    async def steps():
        dialog = await open_event_dialog(window, until)
        _type(dialog, "echi0007/chi")
        click(None, find(dialog, "openEventButton", QPushButton))
        await event_page_ready(window, until, STADIUM_EVENT)
        assert find(window, "eventTitle", QLabel).text() == "Championship Final"

    run(steps())
    asked = [r["path"] for r in sandbox_control.log(limit=500) if r["path"].endswith("/id")]
    assert asked == ["/partners/v1/events/ECHI0007/CHI/id"]


def test_a_pasted_ticketmaster_address_opens_its_event(window, run, until):
    async def steps():
        dialog = await open_event_dialog(window, until)
        _type(dialog, f"https://www.ticketmaster.com/sandbox-test-purchase-night-new-york/event/{TEST_EVENT}?src=x")
        click(None, find(dialog, "openEventButton", QPushButton))
        await event_page_ready(window, until, TEST_EVENT)

    run(steps())


def test_what_names_no_event_is_a_sentence_at_the_field_and_the_text_stays(window, run, until, sandbox_control):
    async def steps():
        dialog = await open_event_dialog(window, until)
        field = find(dialog, "openEventField", QLineEdit)
        problem = find(dialog, "openEventProblem", QLabel)
        for typed, words in (
            ("ESBX0001", "add its host after a space"),
            ("https://evil.example/event/000051048D991EE7", "not the address of a Ticketmaster page"),
            ("https://www.ticketmaster.com/artist/806431", "names no event id"),
            ("ENOPE0001 NY1", "knows no event code ENOPE0001 on host NY1"),
            ("0B00DOESNOTEXIST", "knows no event 0B00DOESNOTEXIST"),
        ):
            _type(dialog, typed)
            click(None, find(dialog, "openEventButton", QPushButton))
            await until(lambda w=words: problem.isVisible() and w in problem.text(), what=f"the sentence for {typed}")
            assert field.text() == typed and dialog.isVisible()
            assert "Error" not in problem.text() and "Traceback" not in problem.text()
        QTest.keyClicks(field, "x")  # typing again clears the sentence
        assert not problem.isVisible()
        QTest.keyClick(field, Qt.Key.Key_Escape)
        await until(lambda: not dialog.isVisible(), what="the dialog closed")
        assert window.right.currentWidget() is window.welcome  # nothing opened

    run(steps())


def test_an_answer_arriving_after_cancel_opens_nothing(window, run, until, sandbox_control):
    sandbox_control.scenario(latency_ms=500)  # the look-up takes a while

    async def steps():
        dialog = await open_event_dialog(window, until)
        _type(dialog, STADIUM_EVENT)
        click(None, find(dialog, "openEventButton", QPushButton))
        problem = find(dialog, "openEventProblem", QLabel)
        assert problem.text() == "Looking the event up…"
        assert not find(dialog, "openEventButton", QPushButton).isEnabled()
        QTest.keyClick(find(dialog, "openEventField", QLineEdit), Qt.Key.Key_Escape)
        await until(lambda: not dialog.isVisible(), what="the dialog closed")
        await asyncio.sleep(1.2)  # the answer's time has come and gone
        assert window.right.currentWidget() is window.welcome and window.event_page.event_id is None

    run(steps())
    sandbox_control.scenario(latency_ms=0)


def test_the_event_page_is_made_while_the_cashier_reads_the_list_and_the_first_event_opens_on_it(
        window, qtbot, run, until):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="the events listed")
        await until(lambda: window.findChild(QWidget, "eventPage") is not None, 10,
                    what="the event page made once the list is shown")
        page = window.findChild(QWidget, "eventPage")
        assert window.right.currentWidget() is window.welcome  # made, not shown
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert window.right.currentWidget() is page and page.loaded_event_id == TEST_EVENT

    run(steps())
