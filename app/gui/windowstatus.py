"""The main window's status bar: the backend, the signed-in member and the quota left.

``WindowStatus(window, station)`` puts three labels on the window's status bar (``backendStatus``,
``memberStatus``, ``quotaStatus``) and refreshes them every two seconds and on ``refresh()``
(the quota steps aside while the bar shows a message)
(``refresh_member()`` right after a sign-in or sign-out). The
quota is what the service last reported (``Station.quota``): the per-minute events window and the
availability budget of this API key per hour.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

REFRESH_MS = 2000


def quota_text(quota) -> str:
    parts = []
    # Whole words: "per h" at the bar's right edge reads as if the line were cut off.
    for label, q, per in (("events", getattr(quota, "events", None), "a minute"),
                          ("availability", getattr(quota, "availability", None), "an hour")):
        if q is not None and q.remaining is not None:
            allowed = f"/{q.allowed}" if q.allowed is not None else ""
            parts.append(f"{label} {q.remaining}{allowed} {per}")
    return "Quota left: " + (" · ".join(parts) if parts else "not reported yet")


class WindowStatus:
    def __init__(self, window: QMainWindow, station) -> None:
        self._station = station
        self.backend = QLabel(window)
        self.backend.setObjectName("backendStatus")
        self.member = QLabel("Member: not signed in", window)
        self.member.setObjectName("memberStatus")
        self.quota = QLabel(window)
        self.quota.setObjectName("quotaStatus")
        bar = window.statusBar()
        bar.addWidget(self.backend, 1)
        bar.addPermanentWidget(self.member)
        bar.addPermanentWidget(self.quota)
        # A message (a menu entry's tip, what a choice did) gets the quota line's room while it shows,
        # so a long one is read whole; the quota is back when it goes.
        bar.messageChanged.connect(lambda text: self.quota.setVisible(not text))
        self.refresh()
        self._timer = QTimer(window)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def backend_label(self) -> str:
        return str(getattr(self._station, "backend_label", "") or "—")

    def refresh(self) -> None:
        self.backend.setText("Backend: " + self.backend_label())
        self.refresh_member()
        try:
            quota = self._station.quota
        except Exception:  # not started yet
            quota = None
        self.quota.setText(quota_text(quota))

    def refresh_member(self) -> None:
        """At once after a sign-in or sign-out (not at the next tick)."""
        member = getattr(self._station, "member", None)
        self.member.setText("Member: " + (getattr(member, "email", None) or "not signed in"))

    def stop(self) -> None:
        self._timer.stop()
