"""Pictures the service points at — a venue's seating chart — fetched by the client, never by the window.

``fetch_image(http, url)`` gets the picture an event's details name (``venue.images[].location``):

- the HTTPS rule of every call holds (plain http only for this computer), and nothing of the
  station goes with it: no API key, no member token, no redirect followed;
- at most ``MAX_IMAGE_BYTES``: a longer answer is refused without reading the rest;
- only kinds the window can draw with Qt's own image readers — PNG, JPEG, GIF, WebP, BMP and SVG —
  told by the bytes themselves (``image_kind``), not by what the server claims its type is.

What does not fit is ``UnexpectedResponse`` with a plain sentence; the window shows the sentence
where the picture would have been.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from app.partner.errors import UnexpectedResponse
from app.partner.transport import HttpLayer

MAX_IMAGE_BYTES = 2 * 1024 * 1024
ACCEPT = "image/png, image/jpeg, image/gif, image/webp, image/bmp, image/svg+xml"
# Kinds by how their files begin (the SVG check looks for its root element, see image_kind).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)
KINDS = ("png", "jpeg", "gif", "webp", "bmp", "svg")


@dataclass(frozen=True)
class FetchedImage:
    """A picture's bytes and its kind (one of ``KINDS``), as fetched from ``url``."""

    url: str
    data: bytes
    kind: str

    def __repr__(self) -> str:
        return f"FetchedImage({self.url!r}, {self.kind}, {len(self.data)} bytes)"


def image_kind(data: bytes) -> str | None:
    """The picture kind ``data`` is (by its first bytes), or None when it is none the window draws."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in head:
        return "svg"
    return None


async def fetch_image(http: HttpLayer, url: str, *, max_bytes: int = MAX_IMAGE_BYTES) -> FetchedImage:
    """The picture at ``url`` (see the module docstring for what is refused, and how)."""
    host = urlsplit(url).hostname or "the server"
    status, data = await http.fetch_bounded("picture", url, max_bytes=max_bytes, accept=ACCEPT)
    if status != 200:
        raise UnexpectedResponse(f"The picture at {host} could not be fetched (HTTP {status}).", http_status=status)
    kind = image_kind(data)
    if kind is None:
        raise UnexpectedResponse(f"What {host} sent is not a picture Box Office can show.", http_status=status)
    return FetchedImage(url, data, kind)
