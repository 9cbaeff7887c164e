"""What a person's browser does on the sandbox's own pages, over plain HTTP: solve the captcha,
sign the documented member in. Kept once here for every test room (the window tests do the same
through a real QtWebEngine view, in ``tests.gui.windowkit``)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

API_KEY = "sandbox-api-key"
CLIENT_ID, CLIENT_SECRET = "sandbox-client", "sandbox-secret"
REDIRECT_URI = "http://localhost/oauth/callback"
MEMBER_EMAIL, MEMBER_PASSWORD = "member@example.com", "sandbox"
_PENDING = re.compile(r'name="pending" value="([^"]+)"')


def solve_captcha(base_url: str, event_id: str, domain: str = "boxoffice.example") -> str:
    """A real captcha token: read the sum on the page, post the answer from the whitelisted origin.

    ``base_url`` is the sandbox's root (``http://127.0.0.1:PORT``).
    """
    with httpx.Client(base_url=base_url.rstrip("/") + "/partners/v1", timeout=30) as http:
        page = http.get("/captcha", params={"apikey": API_KEY, "event_id": event_id}, headers={"Accept": "text/html"})
        page.raise_for_status()
        a, b = map(int, re.search(r'id="question">\s*(\d+)\s*\+\s*(\d+)', page.text).groups())
        answer = http.post("/captcha/solve", headers={"Origin": f"https://{domain}"}, json={
            "challenge": page.headers["X-TM-CAPTCHA-V2-STOKEN"], "answer": str(a + b),
            "site_key": page.headers["X-TM-CAPTCHA-V2-SITEKEY"], "hostname": domain})
        answer.raise_for_status()
        return answer.json()["token"]


def browser_sign_in(authorize_url: str, decision: str = "allow") -> str:
    """The member signs in and answers the consent page; returns the URL the provider redirects to."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        page = browser.get(authorize_url)
        pending = _PENDING.search(page.text).group(1)
        consent = browser.post(str(page.url.join("signin")),
                               data={"pending": pending, "email": MEMBER_EMAIL, "password": MEMBER_PASSWORD})
        pending = _PENDING.search(consent.text).group(1)
        answer = browser.post(str(page.url.join("consent")), data={"pending": pending, "decision": decision})
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]


def member_access_token(base_url: str) -> str:
    """Sign the member in through the OAuth pages and exchange the code: an access token."""
    return member_tokens(base_url)["access_token"]


def member_tokens(base_url: str) -> dict:
    """Sign the member in through the OAuth pages and exchange the code: the token answer."""
    oauth = base_url.rstrip("/") + "/oauth"
    query = urlencode({"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "response_type": "code",
                       "scope": "all", "state": "test"})
    callback = browser_sign_in(f"{oauth}/authorize?{query}")
    code = parse_qs(urlsplit(callback).query)["code"][0]
    tokens = httpx.post(f"{oauth}/token", timeout=30, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    tokens.raise_for_status()
    return tokens.json()
