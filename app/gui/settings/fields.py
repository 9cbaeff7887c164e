"""Every field of the settings panel, in one table: adding a setting to the panel is one entry.

A ``Field`` names the setting (``app.storage.settings.Settings`` field, or one of the two secrets
kept in the keychain, ``api_key`` and ``client_secret``), the page it sits on, its label, the kind
of widget (``Kind``), the one line that says what it means, and the backends it applies to (empty:
all). ``FIELDS`` is the table; a test checks that every ``Settings`` field has its entry, so a
setting added to the core without a place in the panel fails the suite. A setting whose values
are a whole number uses ``Kind.COUNT`` with its range in ``settingsrules.COUNT_RANGES``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

SECRETS = ("api_key", "client_secret")


class Kind(enum.Enum):
    BACKEND = "backend"  # the three backends as radio buttons
    TEXT = "text"
    SECRET = "secret"  # typed hidden; kept in the keychain, never in settings.json
    SECONDS = "seconds"  # a number of seconds, its range from settingsrules.NUMBER_RANGES
    COUNT = "count"  # a whole number, its range from settingsrules.COUNT_RANGES
    FLAG = "flag"  # a check box
    FILE = "file"  # a path, with a Browse… button
    PROXY = "proxy"  # system / none / a proxy address


BACKEND_PAGE, BRANDING_PAGE = "Backend", "Branding and whitelists"
STATION_PAGE, CONNECTION_PAGE = "Station", "Connection"
PAGES = (BACKEND_PAGE, BRANDING_PAGE, STATION_PAGE, CONNECTION_PAGE)
REAL = ("production", "custom")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    page: str
    kind: Kind = Kind.TEXT
    meaning: str = ""  # what the field is for, one line under it
    placeholder: str = ""
    backends: tuple[str, ...] = ()  # enabled only with these backends (empty: always)


FIELDS: tuple[Field, ...] = (
    Field("backend", "Backend", BACKEND_PAGE, Kind.BACKEND,
          "Where sales go. The embedded sandbox needs no keys and sells nothing real."),
    Field("custom_partner_url", "Partner API address", BACKEND_PAGE,
          meaning="A staging host, or a sandbox run by a test team.",
          placeholder="https://partners.example/partners/v1", backends=("custom",)),
    Field("custom_oauth_url", "OAuth address", BACKEND_PAGE,
          meaning="Empty: /oauth on the Partner API's host.", placeholder="https://partners.example/oauth",
          backends=("custom",)),
    Field("custom_wallet_url", "Wallet address", BACKEND_PAGE,
          meaning="Empty: /wallet/v1 on the Partner API's host.", placeholder="https://partners.example/wallet/v1",
          backends=("custom",)),
    Field("api_key", "API key", BACKEND_PAGE, Kind.SECRET, "The partner's key; every call carries it.",
          backends=REAL),
    Field("oauth_client_id", "OAuth client id", BACKEND_PAGE,
          meaning="The app registered for member sign-in. Empty: no member sign-in.", backends=REAL),
    Field("client_secret", "Client secret", BACKEND_PAGE, Kind.SECRET, "Given with the client id.", backends=REAL),
    Field("redirect_uri", "Redirect URI", BACKEND_PAGE,
          meaning="Registered for the app; the sign-in window stops there and never loads it.",
          placeholder="http://localhost/oauth/callback", backends=REAL),
    Field("logo_url", "Partner logo URL", BRANDING_PAGE,
          meaning="Shown in the window's header and on receipts, and on the sign-in page when the account "
                  "whitelists it.", placeholder="https://partner.example/logo.png"),
    Field("captcha_domain", "Whitelisted captcha domain", BRANDING_PAGE,
          meaning="Captcha pages are shown as coming from this domain; it must be the one whitelisted for the "
                  "account.", placeholder="boxoffice.example"),
    Field("sandbox_whitelists_logo", "The sandbox's account whitelists this logo", BRANDING_PAGE, Kind.FLAG,
          "Off: the sign-in page leaves the logo out, as production does for a logo not whitelisted.",
          backends=("sandbox",)),
    Field("sandbox_whitelists_captcha_domain", "The sandbox's account whitelists this captcha domain", BRANDING_PAGE,
          Kind.FLAG, "Off: captchas fail as they do in production on a domain not whitelisted.",
          backends=("sandbox",)),
    Field("tracking_shared_id", "Affiliate shared id", BRANDING_PAGE,
          meaning="Sent with every order for the partner's affiliate reporting (Impact Radius). Empty: none.",
          placeholder="02a8127b-7a52"),
    Field("tracking_sub_id1", "Affiliate sub id 1", BRANDING_PAGE, meaning="Up to 32 characters, no spaces."),
    Field("tracking_sub_id2", "Affiliate sub id 2", BRANDING_PAGE, meaning="Up to 32 characters, no spaces."),
    Field("tracking_sub_id3", "Affiliate sub id 3", BRANDING_PAGE, meaning="Up to 32 characters, no spaces."),
    Field("station_name", "Station name", STATION_PAGE, meaning="Printed on receipts (“Box 3”).",
          placeholder="Box 3"),
    Field("station_user", "Cashier", STATION_PAGE, meaning="On receipts and in the journal."),
    Field("ca_bundle", "CA bundle", CONNECTION_PAGE, Kind.FILE,
          "A certificate file for a private certificate authority. Empty: the bundle Box Office ships.",
          placeholder="/etc/ssl/private-ca.pem"),
    Field("https_proxy", "HTTPS proxy", CONNECTION_PAGE, Kind.PROXY,
          "How https:// backends are reached. This computer (the sandbox) is never proxied."),
    Field("request_timeout_seconds", "Wait for an answer", CONNECTION_PAGE, Kind.SECONDS,
          "The longest one request may take."),
    Field("max_polling_seconds", "Wait for a busy service", CONNECTION_PAGE, Kind.SECONDS,
          "The longest the station waits in the service's queue before giving up."),
    Field("max_quota_wait_seconds", "Wait for the quota", CONNECTION_PAGE, Kind.SECONDS,
          "Longer waits for a quota window to reopen are said to the cashier instead."),
    Field("availability_cache_seconds", "Reuse a seat availability for", CONNECTION_PAGE, Kind.SECONDS,
          "Saves the hourly availability quota when the map is refreshed often. 0: always ask."),
    Field("availability_stations_per_key", "Stations sharing this API key", CONNECTION_PAGE, Kind.COUNT,
          "The key's hourly availability quota is shared by its stations; this one asks within its share."),
    Field("force_polling", "Ask the service to answer through polling (testers)", CONNECTION_PAGE, Kind.FLAG,
          "Sends X-TM-FORCE-POLLING on every call that may poll."),
)

BY_NAME = {f.name: f for f in FIELDS}


def field(name: str) -> Field:
    return BY_NAME[name]
