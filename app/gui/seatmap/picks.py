"""The places a cashier picked on the seat map: picking order, an upper limit, no Qt.

``Picks`` keeps place id → (section index, seat index) in the order the places were picked; the
limit refuses picks beyond it (and drops the newest when it is lowered). The view turns the answers
(what was added, whether something was refused) into its signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Locate = Callable[[str], "tuple[int, int] | None"]


class Picks:
    """Picked places in picking order, never more than ``limit`` (None: no limit)."""

    def __init__(self) -> None:
        self._picked: dict[str, tuple[int, int]] = {}
        self.limit: int | None = None

    def places(self) -> list[str]:
        return list(self._picked)

    def __contains__(self, place: object) -> bool:
        return place in self._picked

    def __bool__(self) -> bool:
        return bool(self._picked)

    def clear(self) -> bool:
        """Forget every pick; True if there was one."""
        had = bool(self._picked)
        self._picked.clear()
        return had

    def set_limit(self, limit: int | None) -> bool:
        """A new limit (None or 0: none); True if picks beyond it were dropped (newest first)."""
        self.limit = limit or None
        if self.limit is None or len(self._picked) <= self.limit:
            return False
        for place in list(self._picked)[self.limit:]:
            del self._picked[place]
        return True

    def add(self, places: Iterable[str], locate: Locate) -> tuple[list[str], bool]:
        """Pick places the map knows, in order, up to the limit: (places added, whether refused)."""
        added = []
        for place in places:
            if place in self._picked:
                continue
            where = locate(place)
            if where is None:
                continue
            if self.limit is not None and len(self._picked) >= self.limit:
                return added, True
            self._picked[place] = where
            added.append(place)
        return added, False

    def toggle(self, place: str, locate: Locate) -> tuple[bool, bool]:
        """Unpick a picked place or pick a new one: (changed, refused by the limit)."""
        if place in self._picked:
            del self._picked[place]
            return True, False
        added, refused = self.add([place], locate)
        return bool(added), refused

    def keep_known(self, locate: Locate) -> None:
        """After a refresh: keep the picks the new map still has free, re-located, within the limit."""
        old, self._picked = list(self._picked), {}
        self.add(old, locate)

    def per_section(self) -> dict[int, set[int]]:
        grouped: dict[int, set[int]] = {}
        for section, seat in self._picked.values():
            grouped.setdefault(section, set()).add(seat)
        return grouped
