"""Which event the cashier means: one reading of what was typed, for the window and the CLI alike.

``/events`` lists events only for channel partners; most partners know their events by id, by the
venue's event code on its host, or by the event's page on Ticketmaster. ``read_event_reference(text)``
accepts, and nothing else:

- an event id: 15 or 16 letters and digits (``000051048D991EE7``, ``1AeZZfEGkD0xtGV``);
- a venue event code with its host, apart by a space or a slash (``EPT0726E LA2``, ``EPT0726E/LA2``
  — the ``events`` command prints them that way); looked up with ``GET /events/{code}/{host}/id``;
- the address of a Ticketmaster event page (``https://www.ticketmaster.com/some-show/event/0B004D43F86C478F``,
  also without ``https://``): the id is the part after ``/event/``. Only Ticketmaster's own sites
  (``ticketmaster.*``, ``livenation.*``) are read; the address is never opened.

Anything else is ``EventReferenceProblem``, one plain sentence that says what would be understood.
``ServiceCounter.find_event(text)`` reads, asks the service for the id of a code and host, and fetches the
event's details; ``EventNotFound`` when the service knows no such event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import unquote, urlsplit

from .errors import CheckoutError

_EVENT_ID = re.compile(r"[A-Za-z0-9]{15,16}")
_CODE = re.compile(r"[A-Za-z0-9]{1,20}")
_HOST = re.compile(r"[A-Za-z0-9]{1,10}")
_SITES = ("ticketmaster", "livenation")
HINT = ("an event id (16 letters and digits, like 000051048D991EE7), a venue event code with its host "
        "(like ESBX0001 NY1) or the address of the event's Ticketmaster page")


class EventReferenceProblem(CheckoutError, ValueError):
    """What was typed names no event; ``str()`` says what would be understood."""


class EventNotFound(CheckoutError):
    """The service knows no event by what was typed (an unknown id, code or host)."""


@dataclass(frozen=True)
class EventReference:
    """An event id, or a venue event code with its host (then ``event_id`` is None until looked up)."""

    event_id: str | None = None
    event_code: str | None = None
    event_host: str | None = None

    def words(self) -> str:
        """How the cashier would say it ("event 0B004D43F86C478F", "event code ESBX0001 on host NY1")."""
        if self.event_id is not None:
            return f"event {self.event_id}"
        return f"event code {self.event_code} on host {self.event_host}"


def _looks_like_address(text: str) -> bool:
    lowered = text.lower()
    return "://" in lowered or lowered.startswith("www.") or any(
        re.match(rf"([a-z0-9-]+\.)*{site}\.[a-z.]+(/|$)", lowered) for site in _SITES)


def _ticketmaster_site(host: str) -> bool:
    """``ticketmaster.com``, ``www.ticketmaster.co.uk``, ``concerts.livenation.com`` … — the site's
    name followed only by a country or generic ending (one or two short labels), so that
    ``ticketmaster.example.com`` is not taken for one."""
    labels = host.split(".")
    for i, label in enumerate(labels):
        ending = labels[i + 1:]
        if label in _SITES and 1 <= len(ending) <= 2 and all(re.fullmatch(r"[a-z]{2,3}", e) for e in ending):
            return True
    return False


def _from_address(text: str) -> EventReference:
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not _ticketmaster_site(host):
        raise EventReferenceProblem(
            "That is not the address of a Ticketmaster page. Paste the event's page from Ticketmaster, "
            "or type its id.")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for name, value in pairwise(segments):
        if name.lower() == "event" and _EVENT_ID.fullmatch(value):
            return EventReference(event_id=value)
    raise EventReferenceProblem(
        "That Ticketmaster address names no event id (an event's page has /event/ and the id in it). "
        "Type the event's id instead.")


def read_event_reference(text: str) -> EventReference:
    """The event ``text`` names (see the module docstring), or ``EventReferenceProblem``."""
    typed = " ".join((text or "").split())
    if not typed:
        raise EventReferenceProblem(f"Type {HINT}.")
    if _looks_like_address(typed):
        return _from_address(typed.replace(" ", ""))
    if _EVENT_ID.fullmatch(typed):
        return EventReference(event_id=typed)
    pieces = [p for p in re.split(r"[ /]", typed) if p]
    if len(pieces) == 2 and _CODE.fullmatch(pieces[0]) and _HOST.fullmatch(pieces[1]):
        return EventReference(event_code=pieces[0].upper(), event_host=pieces[1].upper())
    if len(pieces) == 1 and _CODE.fullmatch(typed):
        raise EventReferenceProblem(
            f"“{typed}” is not an event id (those are 16 letters and digits). If it is the venue's event "
            f"code, add its host after a space, like {typed.upper()} NY1.")
    shown = typed if len(typed) <= 40 else typed[:39] + "…"
    raise EventReferenceProblem(f"“{shown}” names no event. Type {HINT}.")
