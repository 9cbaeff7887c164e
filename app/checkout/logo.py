"""The partner's logo: fetched once from its URL, kept in the station's folder, size-limited.

``cached_logo(url, folder, formats=…)`` answers the path of the logo file for ``url``: the file
kept from an earlier fetch when there is one (a logo is fetched once per URL, not at every start),
else it fetches the URL through the client's ``HttpLayer`` — the same rules as every other request
(https unless loopback, the settings' CA bundle and proxy; at most three redirects, each checked
the same way), reading at most
``MAX_LOGO_BYTES`` — and keeps it only when its first bytes are those of an image type in
``formats`` (the window passes the types Qt can decode: ``QImageReader.supportedImageFormats()``).
Anything else raises ``LogoProblem`` with one plain sentence for the settings panel; nothing about
a logo ever stops a sale. ``forget(url, folder)`` drops the kept file (a file the window could not
decode after all).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from app.partner.errors import PartnerError
from app.partner.transport import HttpLayer
from app.storage.settings import atomic_write_bytes

MAX_LOGO_BYTES = 512 * 1024
MAX_REDIRECTS = 3
# The first bytes of each image type, and the name Qt gives the type.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"WEBP", 8, "webp"),
    (b"BM", 0, "bmp"),
)
_EXTENSIONS = {"jpeg": "jpg"}


class LogoProblem(Exception):
    """Why the logo cannot be shown; ``str()`` is one plain sentence."""

    @property
    def user_message(self) -> str:
        return str(self)


def image_type(data: bytes) -> str | None:
    """``png``, ``jpeg``, ``gif``, ``webp`` or ``bmp`` from the first bytes, else None."""
    for signature, offset, name in _SIGNATURES:
        if data[offset:offset + len(signature)] == signature and (name != "webp" or data[:4] == b"RIFF"):
            return name
    return None


def _stem(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


def kept_logo(url: str, folder: Path) -> Path | None:
    """The file kept for ``url``, if any."""
    for path in sorted(folder.glob(_stem(url) + ".*")) if folder.is_dir() else ():
        return path
    return None


def forget(url: str, folder: Path) -> None:
    for path in folder.glob(_stem(url) + ".*") if folder.is_dir() else ():
        path.unlink(missing_ok=True)


async def cached_logo(url: str, folder: Path, *, formats: Iterable[str], timeout: float = 20.0,
                      ca_bundle: str | None = None, https_proxy: str = "system") -> Path:
    """The logo file for ``url`` (see the module docstring); ``LogoProblem`` when there is none."""
    url = url.strip()
    kept = kept_logo(url, folder)
    if kept is not None:
        return kept
    accepted = {f.lower().replace("jpg", "jpeg") for f in formats}
    data = await _fetch(url, timeout=timeout, ca_bundle=ca_bundle, https_proxy=https_proxy)
    kind = image_type(data)
    if kind is None or kind not in accepted:
        shown = ", ".join(sorted(t.upper() for t in accepted & {n for _, _, n in _SIGNATURES})) or "none"
        raise LogoProblem(f"The logo at {url} is not an image Box Office can show (it shows {shown}).")
    path = folder / f"{_stem(url)}.{_EXTENSIONS.get(kind, kind)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise LogoProblem(f"The logo could not be kept in the station's folder ({exc.strerror or exc}).") from None
    return path


async def _fetch(url: str, *, timeout: float, ca_bundle: str | None, https_proxy: str) -> bytes:
    host = urlsplit(url).hostname or url
    try:
        http = HttpLayer(timeout=timeout, ca_bundle=ca_bundle, https_proxy=https_proxy)
    except PartnerError as exc:  # an unreadable CA bundle
        raise LogoProblem(exc.user_message) from None
    try:
        status, data = await http.download("partner logo", url, max_bytes=MAX_LOGO_BYTES, accept="image/*",
                                           max_redirects=MAX_REDIRECTS)
    except PartnerError as exc:  # no https, unreachable, TLS, too many redirects
        raise LogoProblem(f"The logo could not be fetched. {exc.user_message}") from None
    finally:
        await http.aclose()
    if status != 200:
        raise LogoProblem(f"The logo could not be fetched: {host} answered HTTP {status}.")
    if data is None:
        raise LogoProblem(_too_big())
    return data


def _too_big() -> str:
    return f"The logo is larger than {MAX_LOGO_BYTES // 1024} KB; use a smaller image."
