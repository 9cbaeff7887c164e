"""The top of the event page and what the venue says about the event: who, when, where, and links.

``EventHeader`` (the page's first rows): Back, the event's name and a line with when, where, the
on-sale state and the id; Refresh with, under it, when the availability shown was fetched
(``availabilityAsOf``: "Seats as of 14:02:10", then "3,598 of 3,600 availability requests left
this hour"), the page's notice
line (venue rules, maintenance night), and — for an event that cannot be sold here — the way to
Ticketmaster instead.

``EventAbout`` (beside the sale controls): the venue's notes on the event, shown as plain text
exactly as written (never as markup), and the event's Ticketmaster page as a link. Hidden when the
event has neither.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.partner.models import EventDetails


def _link(url: str, words: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(words)}</a>'


def web_link_allowed(url: str) -> bool:
    """Only web pages become links: what the service sends is never opened as a file or a script."""
    return url.lower().startswith(("https://", "http://"))


class EventHeader(QWidget):
    """Back, title, subtitle, Refresh with the availability's age, the notice, the Ticketmaster way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Never taller than its lines: for an event sold on Ticketmaster only the page hides its
        # views, and the room they leave must stay below the header, not spread its labels apart.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.back_button = QPushButton("← Events", self)
        self.back_button.setObjectName("backToEventsButton")
        self.back_button.setAccessibleName("Back to the events list")
        self.back_button.setToolTip("Back to the events list (Esc)")
        self.title = QLabel(self)
        self.title.setObjectName("eventTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("eventSubtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refreshAvailabilityButton")
        self.refresh_button.setToolTip("Ask again what is available (F5)")
        self.as_of = QLabel(self)
        self.as_of.setObjectName("availabilityAsOf")
        self.as_of.setWordWrap(False)  # two short lines; the title beside it wraps instead
        self.as_of.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.as_of.setTextFormat(Qt.TextFormat.PlainText)
        self.as_of.hide()
        self.notice = QLabel(self)
        self.notice.setObjectName("eventNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.ticketmaster_link = QLabel(self)
        self.ticketmaster_link.setObjectName("ticketmasterLink")
        self.ticketmaster_link.setOpenExternalLinks(True)
        self.ticketmaster_link.setWordWrap(True)
        self.ticketmaster_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.ticketmaster_link.hide()
        self.open_ticketmaster = QPushButton("Open on Ticketmaster", self)
        self.open_ticketmaster.setObjectName("openTicketmasterButton")
        self.open_ticketmaster.hide()
        self.open_ticketmaster.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl(self.open_ticketmaster.property("url") or "")))

        row = QHBoxLayout()
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        row.addLayout(titles, 1)
        refresh = QVBoxLayout()
        refresh.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        refresh.addWidget(self.as_of)
        refresh.addStretch(1)
        row.addLayout(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.ticketmaster_link)
        layout.addWidget(self.open_ticketmaster, 0, Qt.AlignmentFlag.AlignLeft)

    def set_as_of(self, as_of: str, budget: str = "", details: str = "") -> None:
        """When the availability shown was fetched and, under it, what is left of the budget
        (``details``, whose share it is, goes into the tooltip); "" hides it."""
        text = as_of + (f"\n{budget}" if as_of and budget else "")
        self.as_of.setText(text)
        self.as_of.setToolTip(" ".join(p for p in (
            "Availability requests are limited per API key and hour, shared by the stations using the key.",
            details, "Refresh (F5) asks again.") if p) if text else "")
        self.as_of.setAccessibleName(text.replace("\n", " · "))
        self.as_of.setVisible(bool(text))

    def set_notice(self, notes: list[str]) -> None:
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))

    def show_sellable(self) -> None:
        """An event sold here: no Ticketmaster-only links."""
        self.ticketmaster_link.hide()
        self.open_ticketmaster.hide()

    def show_not_transactable(self, url: str | None) -> None:
        """An event this station cannot sell: the way to buy it on Ticketmaster instead."""
        if url and web_link_allowed(url):
            self.ticketmaster_link.setText(
                "This event cannot be sold from this station. The buyer can buy it on Ticketmaster: "
                + _link(url, url))
        else:
            self.ticketmaster_link.setText(
                "This event cannot be sold from this station. The buyer can buy it on ticketmaster.com.")
        allowed = bool(url) and web_link_allowed(url or "")
        self.ticketmaster_link.show()
        self.open_ticketmaster.setProperty("url", url if allowed else "")
        self.open_ticketmaster.setVisible(allowed)


class EventAbout(QWidget):
    """The venue's notes (plain text) and the event's Ticketmaster page, beside the sale controls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventAbout")
        self.notes = QLabel(self)
        self.notes.setObjectName("eventNotes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)  # the venue's words, never read as markup
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link = QLabel(self)
        self.link.setObjectName("eventUrlLink")
        self.link.setOpenExternalLinks(True)
        self.link.setWordWrap(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.notes)
        layout.addWidget(self.link)
        self.show_details(None)

    def show_details(self, details: EventDetails | None) -> None:
        """The notes and the link of ``details`` (None: nothing, hidden)."""
        notes = [" ".join(n.text.split()) for n in (details.notes if details else ())]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        url = details.url if details is not None else None
        if url and web_link_allowed(url):
            self.link.setText("Ticketmaster page: " + _link(url, url))
            self.link.setToolTip(url)
        else:
            self.link.clear()
        self.link.setVisible(bool(url) and web_link_allowed(url or ""))
        self.setVisible(self.notes.isVisibleTo(self) or self.link.isVisibleTo(self))
