"""Where a seat map's sections go in the scene: levels front to back, each level a ring around a
field (big venues) or an arc below a stage (theatres), and the scene's bounds. Pure Python, no Qt.

``level_of`` reads a section's level from its name (``101``–``140`` → level 1, ``FLOOR``/``BALCONY``
by word), ``level_order`` and ``section_order`` sort them (front to back, left to right), and
``place_rings`` sets each section's centre and angle and returns the stage (or field) rectangle.
``PITCH`` is the scene's unit (one seat pitch); ``natural_key`` the order names are read in.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.gui.seatmap.layout import SectionLayout

PITCH = 10.0  # distance between two seat centres
SECTION_GAP = 2.0 * PITCH  # between neighbouring sections of a ring (one aisle of row names)
ARC_SECTION_GAP = 3.5 * PITCH  # … of a theatre's arc, where each section shows row names on both sides
RING_GAP = 4.0 * PITCH  # between two rings
FULL_RING_MIN_SECTIONS = 8  # a level with this many sections wraps all around a field

_CHUNKS = re.compile(r"(\d+)")
_LEVEL_WORDS = {  # front to back; unknown words keep the order the inventory gives
    "FIELD": 0, "FLOOR": 0, "PIT": 0, "ORCH": 1, "ORCHESTRA": 1, "STALLS": 1, "PARTERRE": 1,
    "LOGE": 2, "CLUB": 2, "MEZZ": 3, "MEZZANINE": 3, "DRESS": 3, "CIRCLE": 3, "BALC": 4,
    "BALCONY": 4, "UPPER": 5, "GALLERY": 6, "TERRACE": 6,
}
_SIDE_WORDS = {"L": 0, "LEFT": 0, "LC": 1, "C": 2, "CENTER": 2, "CENTRE": 2, "MID": 2, "RC": 3, "R": 4, "RIGHT": 4}


@functools.lru_cache(maxsize=8192)
def natural_key(name: str) -> tuple:
    """``"2" < "10"``, ``"A" < "Z" < "AA"``, ``"101" < "ORCH"``: the order a cashier expects."""
    parts = _CHUNKS.split(name or "")
    return (
        len(name) if name.isalpha() else 0,
        *tuple((0, int(p), "") if p.isdigit() else (1, 0, p.upper()) for p in parts if p),
    )


def level_of(name: str) -> str:
    if name.isdigit() and len(name) >= 3:
        return name[:-2]
    word = re.split(r"[\s\-_/]+", name.strip().upper())[0] if name.strip() else ""
    return word if word in _LEVEL_WORDS else (word if not word.isdigit() else "")


def level_order(levels: Iterable[str], first_seen: dict[str, int]) -> list[str]:
    def key(level: str) -> tuple:
        if level.isdigit():
            return (0, int(level), 0)
        if level in _LEVEL_WORDS:
            return (1, _LEVEL_WORDS[level], 0)
        return (2, 0, first_seen[level])

    return sorted(levels, key=key)


def section_order(section: SectionLayout) -> tuple:
    words = re.split(r"[\s\-_/]+", section.name.strip().upper())
    side = next((_SIDE_WORDS[w] for w in reversed(words) if w in _SIDE_WORDS), 2)
    return (side, natural_key(section.name)) if len(words) > 1 else (2, natural_key(section.name))


def place_rings(rings: list[list[SectionLayout]]) -> tuple[str, tuple[float, float, float, float]]:
    """Put each level on a ring (around a field) or an arc (below a stage); returns the stage."""
    full = any(len(ring) >= FULL_RING_MIN_SECTIONS for ring in rings)
    gap = SECTION_GAP if full else ARC_SECTION_GAP
    widths = [sum(s.width + gap for s in ring) for ring in rings]
    if full:
        radius = max(widths[0] / (2 * math.pi), 24 * PITCH)
    else:
        radius = max(widths[0] / (math.pi * 0.5), widths[0] * 0.7, 20 * PITCH)
    first_radius = radius
    for ring, width in zip(rings, widths, strict=False):
        span = 2 * math.pi if full else min(width / radius, math.pi * 1.2)
        radius = max(radius, width / span)
        spare = (span * radius - width) / len(ring) if full else 0.0
        theta = (math.pi / 2 + span / 2) if not full else math.pi / 2 + math.pi / len(ring)
        for section in ring:
            step = (section.width + gap + spare) / radius
            section.row_names_both_sides = not full
            mid = theta - step / 2
            distance = radius + section.height / 2
            section.centre_x = distance * math.cos(mid)
            section.centre_y = distance * math.sin(mid)
            section.angle = math.degrees(mid) - 90.0
            theta -= step
        radius += max(s.height for s in ring) + RING_GAP
    if full:
        w, h = first_radius * 1.3, first_radius * 0.8
        return "FIELD", (-w / 2, -h / 2, w, h)
    front = min(_corners(s)[0][1] for s in rings[0]) if rings[0] else first_radius
    w, h = min(first_radius * 0.9, widths[0] * 0.7), max(first_radius * 0.16, 5 * PITCH)
    return "STAGE", (-w / 2, front - 5 * PITCH - h, w, h)


def _corners(s: SectionLayout, margin_x: float = 0.0, margin_y: float = 0.0) -> list[tuple[float, float]]:
    """A section's corners in scene coordinates, top-most first."""
    a = math.radians(s.angle)
    ca, sa = math.cos(a), math.sin(a)
    points = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        lx, ly = dx * (s.width / 2 + margin_x), dy * (s.height / 2 + margin_y)
        points.append((s.centre_x + lx * ca - ly * sa, s.centre_y + lx * sa + ly * ca))
    return sorted(points, key=lambda p: p[1])


def bounds(sections: Iterable[SectionLayout], stage: tuple[float, float, float, float]) -> tuple:
    xs, ys = [stage[0], stage[0] + stage[2]], [stage[1], stage[1] + stage[3]]
    for s in sections:
        for x, y in _corners(s, 2.2 * PITCH, 2.6 * PITCH):
            xs.append(x)
            ys.append(y)
    margin = 3 * PITCH
    return (min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin)
