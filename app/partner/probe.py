"""Test connection: does a backend answer, and take these credentials, before they are saved?

``probe(config)`` makes the few calls that show whether a configuration works, without holding a
seat or signing anybody in, and returns a ``ProbeReport``: whether it works, one plain sentence,
one line per check and the quota figures the service reported.

1. ``GET /events`` — the host is reachable over a verified connection and accepts the API key
   (401: the key is wrong). Its answer carries the events quota (per client IP, a minute).
2. ``GET /events/{first}/availability`` — the availability quota of this API key (an hour), the
   one that stations sharing a key share. One request of 3600; skipped when there is no event, and
   a failure here only adds a line (an event in its nightly maintenance is no wrong setting).
3. With an OAuth client id: ``GET {oauth}/authorize`` with the client id and redirect URI (a
   sign-in page or a redirect to one means both are known; an error page means the provider
   refuses them: the page says which, partner-api.md 4 and 5). With a client secret too: a refresh
   with a made-up token at ``{oauth}/token`` — ``invalid_grant`` means the client id and secret
   were accepted, ``invalid_client`` that they were not. Nobody is signed in by either.

Every call goes through the client's ``HttpLayer`` (the HTTPS rule, the CA bundle, the proxy,
masking, and the request inspector's feed while it records: ``on_exchange``, ``record_exchanges``),
so a TLS or proxy problem shows here exactly as it would when selling. Cancelling the awaiting task
stops the test at once and closes its connections.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx

from app.partner._models_base import QuotaStatus
from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig
from app.partner.errors import InvalidApiKey, PartnerError
from app.partner.transport import ExchangeObserver, HttpLayer

_TITLE = re.compile(r"<(?:title|h1)[^>]*>(.*?)</(?:title|h1)>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ProbeReport:
    """What Test connection found: ``ok`` (everything asked works), ``sentence`` (the summary),
    ``lines`` (one per check, in order), the ``quota`` reported, and ``problem`` — which setting
    is at fault when one is known (``api_key``, ``redirect_uri``, ``oauth_client_id``,
    ``client_secret``, ``ca_bundle``, ``partner``: the address)."""

    ok: bool
    sentence: str
    lines: tuple[str, ...] = ()
    quota: QuotaStatus = field(default_factory=QuotaStatus)
    problem: str | None = None


def quota_line(quota: QuotaStatus) -> str:
    """``Quota left: 199 of 200 event requests this minute; 3599 of 3600 availability requests this hour.``"""
    parts = []
    for figures, what, window in ((quota.events, "event requests", "this minute"),
                                  (quota.availability, "availability requests for this API key", "this hour")):
        if figures is not None and figures.remaining is not None:
            of = f" of {figures.allowed}" if figures.allowed is not None else ""
            parts.append(f"{figures.remaining}{of} {what} {window}")
    return ("Quota left: " + "; ".join(parts) + ".") if parts else "The service reported no quota figures."


def _problem_for(exc: PartnerError) -> str:
    text = exc.user_message.lower()
    if "untrusted certificate" in text or ("ca bundle" in text and "could not be read" in text):
        return "ca_bundle"
    return "partner"


async def probe(config: PartnerConfig, *, transport: httpx.AsyncBaseTransport | None = None,
                on_exchange: ExchangeObserver | None = None,
                record_exchanges: Callable[[], bool] | None = None) -> ProbeReport:
    """Run the checks of the module docstring against ``config`` (nothing is saved or held)."""
    host = urlsplit(config.partner_base_url).hostname or config.partner_base_url
    try:
        client = PartnerClient(config, transport=transport, on_exchange=on_exchange, record_exchanges=record_exchanges)
    except PartnerError as exc:  # an http:// address for another computer, an unreadable CA bundle
        return ProbeReport(False, exc.user_message, problem=_problem_for(exc))
    lines: list[str] = []
    try:
        try:
            events = await client.events()
        except InvalidApiKey:
            return ProbeReport(False, f"{host} answered, but does not accept this API key. Check the key.",
                               problem="api_key")
        except PartnerError as exc:
            return ProbeReport(False, exc.user_message, problem=_problem_for(exc))
        lines.append(f"{host} answered over a verified connection and accepts the API key "
                     f"({len(events)} event{'s' if len(events) != 1 else ''} on sale to this partner).")
        if events:
            try:
                await client.availability(events[0].event_id, fresh=True)
            except PartnerError as exc:
                lines.append(f"The availability quota could not be read: {exc.user_message}")
        quota = client.quota
        lines.append(quota_line(quota))
        problem = None
        if config.client_id:
            sign_in, problem = await _check_oauth(config, transport, on_exchange, record_exchanges)
            lines.extend(sign_in)
        else:
            lines.append("Member sign-in is not set up (no OAuth client id).")
    finally:
        await client.aclose(cleanup_timeout=0)
    if problem is not None:
        return ProbeReport(False, lines[-1], tuple(lines), quota, problem)
    return ProbeReport(True, f"Connected to {host}. {quota_line(quota)}", tuple(lines), quota)


async def _check_oauth(config: PartnerConfig, transport: httpx.AsyncBaseTransport | None,
                       on_exchange: ExchangeObserver | None,
                       record_exchanges: Callable[[], bool] | None) -> tuple[list[str], str | None]:
    """Lines about member sign-in, and the setting at fault (None: none)."""
    http = HttpLayer(timeout=config.timeout, ca_bundle=config.ca_bundle, https_proxy=config.https_proxy,
                     transport=transport, on_exchange=on_exchange, record_exchanges=record_exchanges)
    oauth_host = urlsplit(config.oauth_base_url).hostname or config.oauth_base_url
    try:
        query = urlencode({"client_id": config.client_id, "redirect_uri": config.redirect_uri,
                           "response_type": "code", "scope": "all", "state": secrets.token_urlsafe(16)})
        try:
            page = await http.send("oauth authorize (test)", "GET", f"{config.oauth_base_url}/authorize?{query}",
                                   headers={"Accept": "text/html"})
        except PartnerError as exc:
            return [f"The sign-in service at {oauth_host} could not be reached: {exc.user_message}"], "partner"
        if page.status_code >= 400:
            return [authorize_refusal(page, config)], _refused_setting(page)
        lines = [f"The sign-in service knows the OAuth client id and the redirect URI {config.redirect_uri}."]
        if not config.client_secret:
            lines.append("No client secret is set, so members cannot sign in yet.")
            return lines, "client_secret"
        form = {"grant_type": "refresh_token", "refresh_token": "boxoffice-connection-test-" + secrets.token_hex(8),
                "client_id": config.client_id, "client_secret": config.client_secret}
        try:
            answer = await http.send("oauth client check (test)", "POST", f"{config.oauth_base_url}/token", form=form)
        except PartnerError as exc:
            lines.append(f"The sign-in service's token address could not be reached: {exc.user_message}")
            return lines, "partner"
        if _oauth_error(answer) == "invalid_client":
            lines.append("The sign-in service does not accept this OAuth client id and client secret.")
            return lines, "client_secret"
        lines.append("The sign-in service accepts the client secret.")
        return lines, None
    finally:
        await http.aclose()


def _oauth_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _page_words(response: httpx.Response) -> str:
    """The error page's own heading (or title), as plain text."""
    match = _TITLE.search(response.text[:20_000])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else ""


def _refused_setting(response: httpx.Response) -> str:
    """Which setting an authorize error page is about: what its heading names, else its text; the
    redirect URI when neither says (the FAQ's "users not redirected" case)."""
    for words in (_page_words(response).lower(), re.sub(r"<[^>]+>", " ", response.text[:20_000]).lower()):
        if "redirect" in words:
            return "redirect_uri"
        if "client" in words or "application" in words:
            return "oauth_client_id"
    return "redirect_uri"


def authorize_refusal(response: httpx.Response, config: PartnerConfig) -> str:
    """The plain sentence for an error page the provider answered ``/authorize`` with (also what
    the sign-in says before opening its web view on such a page)."""
    heading = _page_words(response)
    said = f" (its page says: “{heading}”)" if heading else ""
    if _refused_setting(response) == "redirect_uri":
        return (f"The sign-in service refuses the redirect URI {config.redirect_uri}{said}: it is not registered "
                "for this app, so members would not be sent back. Register it, or use one that is.")
    return f"The sign-in service does not know the OAuth client id {config.client_id}{said}."

