"""What the cashier types to name an event, read once for the window and the CLI (``eventref``)."""

from __future__ import annotations

import pytest

from app.checkout.eventref import EventReference, EventReferenceProblem, read_event_reference


@pytest.mark.parametrize("typed, meant", [
    ("000051048D991EE7", EventReference(event_id="000051048D991EE7")),
    (" 1AeZZfEGkD0xtGV\n", EventReference(event_id="1AeZZfEGkD0xtGV")),  # 15 characters, as documented
    ("esbx0001 ny1", EventReference(event_code="ESBX0001", event_host="NY1")),
    ("EPT0726E/LA2", EventReference(event_code="EPT0726E", event_host="LA2")),
    ("https://www.ticketmaster.com/donny-marie-tickets/event/1D004F240CEB4BDE?artistid=1",
     EventReference(event_id="1D004F240CEB4BDE")),
    ("www.ticketmaster.co.uk/event/1AeZZfEGkD0xtGV", EventReference(event_id="1AeZZfEGkD0xtGV")),
    ("ticketmaster.com.au/x/event/2000527EE48A9334#top", EventReference(event_id="2000527EE48A9334")),
    ("https://concerts.livenation.com/show/event/0B004D43F86C478F", EventReference(event_id="0B004D43F86C478F")),
])
def test_ids_codes_and_ticketmaster_addresses_name_an_event(typed, meant):
    assert read_event_reference(typed) == meant


@pytest.mark.parametrize("typed, words", [
    ("", "Type an event id"),
    ("ESBX0001", "add its host after a space"),
    ("https://ticketmaster.example.com/event/0B004D43F86C478F", "not the address of a Ticketmaster page"),
    ("https://evil.example/ticketmaster.com/event/0B004D43F86C478F", "not the address of a Ticketmaster page"),
    ("ftp://www.ticketmaster.com/event/0B004D43F86C478F", "not the address of a Ticketmaster page"),
    ("https://www.ticketmaster.com/discover/concerts", "names no event id"),
    ("0B004D43F86C478F0B00", "is not an event id"),
    ("../../_sandbox/reset", "names no event"),
    ("a b c", "names no event"),
])
def test_anything_else_is_a_sentence_saying_what_would_be_understood(typed, words):
    with pytest.raises(EventReferenceProblem, match=words):
        read_event_reference(typed)
