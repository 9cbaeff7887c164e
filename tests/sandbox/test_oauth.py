"""The sandbox's OAuth provider, driven like a browser and a client would: pages, redirects, tokens."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

CLIENT = {"client_id": "sandbox-client", "client_secret": "sandbox-secret"}
REDIRECT = "http://localhost/oauth/callback"


@pytest.fixture
def oauth(fresh_sandbox):
    with httpx.Client(base_url=fresh_sandbox.oauth_base, timeout=30, follow_redirects=False) as http:
        yield http


def authorize_params(**extra) -> dict:
    params = {"client_id": "sandbox-client", "redirect_uri": REDIRECT, "response_type": "code",
              "scope": "all", "state": "st-8Kq2"}
    params.update(extra)
    return params


def pending_of(page: str) -> str:
    match = re.search(r'name="pending" value="([^"]+)"', page)
    assert match, "the page carries no sign-in form"
    return match.group(1)


def sign_in_and_consent(http: httpx.Client, decision: str = "allow", **extra) -> httpx.Response:
    """Walk the pages as a member would; return the provider's final answer (the redirect)."""
    page = http.get("/authorize", params=authorize_params(**extra))
    assert page.status_code == 200 and "Sign in" in page.text
    consent = http.post("/signin", data={"pending": pending_of(page.text), "email": "member@example.com",
                                         "password": "sandbox"})
    assert consent.status_code == 200 and "Allow access?" in consent.text
    assert "member@example.com" in consent.text
    return http.post("/consent", data={"pending": pending_of(consent.text), "decision": decision})


def code_from(redirect: httpx.Response, state: str = "st-8Kq2") -> str:
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [state]
    return query["code"][0]


def exchange(http: httpx.Client, code: str, **extra) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **CLIENT, **extra}
    return http.post("/token", data=form)


def vector_keys(vectors_dir, name: str) -> set[str]:
    return set(json.loads((vectors_dir / name).read_text()))


def test_full_sign_in_gives_tokens_shaped_like_the_documented_ones(oauth, vectors_dir):
    code = code_from(sign_in_and_consent(oauth))
    tokens = exchange(oauth, code)
    assert tokens.status_code == 200
    body = tokens.json()
    assert set(body) == vector_keys(vectors_dir, "oauth-token.response.json")
    assert body["expires_in"] == 3600 and body["token_type"] == "bearer"
    info = oauth.get(f"/info/{body['access_token']}")
    assert info.status_code == 200
    assert set(info.json()) == vector_keys(vectors_dir, "oauth-info.response.json")
    assert info.json()["email"] == "member@example.com"
    assert re.fullmatch(r"[0-9a-f]{64}", info.json()["user_id"])


def test_wrong_password_shows_the_sign_in_page_again_with_a_plain_error(oauth):
    page = oauth.get("/authorize", params=authorize_params())
    again = oauth.post("/signin", data={"pending": pending_of(page.text), "email": "member@example.com",
                                        "password": "not-it"})
    assert again.status_code == 200
    assert "The email address or password is not right." in again.text
    assert "Allow access?" not in again.text and "location" not in again.headers
    assert 'value="member@example.com"' in again.text  # the email stays filled in
    # The same page still works with the right password.
    consent = oauth.post("/signin", data={"pending": pending_of(again.text), "email": "member@example.com",
                                          "password": "sandbox"})
    assert "Allow access?" in consent.text


def test_the_sign_in_page_tells_a_tester_the_sandbox_account(oauth):
    """A tester clicking Sign in met an empty form and had to find the README for what to type; the
    sandbox's page (never the real one) names its member account under the form."""
    page = oauth.get("/authorize", params=authorize_params()).text
    note = re.search(r'<p id="sandbox-account"[^>]*>(.*?)</p>', page, re.S)
    assert note, "no account note on the sandbox's sign-in page"
    words = re.sub(r"<[^>]+>", "", note.group(1))
    assert "member@example.com" in words and "sandbox" in words.split("password", 1)[1]


@pytest.mark.parametrize("params, words", [
    ({"redirect_uri": "https://attacker.example/cb"}, "not registered"),
    ({"redirect_uri": "http://localhost/oauth/callback/extra"}, "not registered"),
    ({"client_id": "someone-else"}, "not known"),
])
def test_unregistered_redirect_or_unknown_client_gets_an_error_page_never_a_redirect(oauth, params, words):
    answer = oauth.get("/authorize", params=authorize_params(**params))
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/html")
    assert words in answer.text
    assert 'name="pending"' not in answer.text


def test_logo_is_shown_only_from_a_whitelisted_host(oauth):
    good = "https://boxoffice.example/img/logo.png"
    shown = oauth.get("/authorize", params=authorize_params(logo_url=good))
    assert f'id="partner-logo" class="logo" src="{good}"' in shown.text
    bad = "https://cdn.elsewhere.example/logo.png"
    hidden = oauth.get("/authorize", params=authorize_params(logo_url=bad))
    assert "partner-logo" not in hidden.text and bad not in hidden.text
    sneaky = "https://boxoffice.example.attacker.example/logo.png"
    assert "partner-logo" not in oauth.get("/authorize", params=authorize_params(logo_url=sneaky)).text
    assert "partner-logo" not in oauth.get("/authorize", params=authorize_params()).text


def test_member_who_denies_is_sent_back_with_access_denied(oauth):
    answer = sign_in_and_consent(oauth, decision="deny")
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["st-8Kq2"] and "code" not in query


def test_code_is_single_use_and_a_replay_revokes_what_it_gave(oauth):
    code = code_from(sign_in_and_consent(oauth))
    first = exchange(oauth, code)
    assert first.status_code == 200
    replay = exchange(oauth, code)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert set(replay.json()) == {"error", "error_description"}
    assert oauth.get(f"/info/{first.json()['access_token']}").status_code == 401


def test_code_is_bound_to_its_redirect_uri(oauth):
    code = code_from(sign_in_and_consent(oauth))
    answer = exchange(oauth, code, redirect_uri="http://localhost/other")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_code_expires_after_a_minute(oauth, sandbox_control):
    code = code_from(sign_in_and_consent(oauth))
    sandbox_control.advance_clock(61)
    answer = exchange(oauth, code)
    assert answer.status_code == 400 and "expired" in answer.json()["error_description"]


def test_pkce_code_needs_the_matching_verifier(oauth):
    verifier = "v" * 20 + "Xy-._~" + "9" * 30
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    without = exchange(oauth, code_from(sign_in_and_consent(oauth, **pkce)))
    assert without.status_code == 400 and without.json()["error"] == "invalid_grant"
    wrong = exchange(oauth, code_from(sign_in_and_consent(oauth, **pkce)), code_verifier="w" * 50)
    assert wrong.status_code == 400
    right = exchange(oauth, code_from(sign_in_and_consent(oauth, **pkce)), code_verifier=verifier)
    assert right.status_code == 200 and right.json()["access_token"]


def test_client_must_authenticate(oauth):
    code = code_from(sign_in_and_consent(oauth))
    wrong = exchange(oauth, code, client_secret="guess")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    # HTTP Basic works as well as form fields.
    basic = oauth.post("/token", data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
                       auth=("sandbox-client", "sandbox-secret"))
    assert basic.status_code == 200


@pytest.mark.parametrize("form, error", [
    ({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
    ({}, "invalid_request"),
    ({"grant_type": "authorization_code"}, "invalid_request"),
    ({"grant_type": "authorization_code", "code": "made-up", "redirect_uri": REDIRECT}, "invalid_grant"),
    ({"grant_type": "refresh_token", "refresh_token": "made-up"}, "invalid_grant"),
])
def test_token_endpoint_errors_use_the_standard_oauth_shape(oauth, form, error):
    answer = oauth.post("/token", data={**form, **CLIENT})
    assert answer.status_code == 400
    assert answer.json()["error"] == error and answer.json()["error_description"]


def test_token_endpoint_refuses_a_json_body(oauth):
    answer = oauth.post("/token", json={"grant_type": "refresh_token", **CLIENT})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_expired_access_token_is_refused_by_info_and_refresh_gives_a_new_one(oauth, sandbox_control, vectors_dir):
    sandbox_control.scenario(token_lifetime=1)
    tokens = exchange(oauth, code_from(sign_in_and_consent(oauth))).json()
    assert tokens["expires_in"] == 1
    sandbox_control.advance_clock(2)  # the sandbox clock moves past the token's life
    info = oauth.get(f"/info/{tokens['access_token']}")
    assert info.status_code == 401
    assert info.json()["error"]["message"] == "No valid access token found"
    assert set(info.json()["error"]) == {"message", "code", "http_code", "severity"}
    sandbox_control.scenario(token_lifetime=3600)
    renewed = oauth.post("/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                                         **CLIENT})
    assert renewed.status_code == 200
    assert set(renewed.json()) == vector_keys(vectors_dir, "oauth-refresh.response.json")
    assert renewed.json()["access_token"] != tokens["access_token"]
    assert oauth.get(f"/info/{renewed.json()['access_token']}").json()["email"] == "member@example.com"


def test_unknown_access_token_is_refused(oauth):
    answer = oauth.get("/info/not-a-token")
    assert answer.status_code == 401 and answer.json()["error"]["message"] == "No valid access token found"


def test_unsupported_response_type_is_reported_to_the_registered_redirect(oauth):
    answer = oauth.get("/authorize", params=authorize_params(response_type="token"))
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["unsupported_response_type"] and query["state"] == ["st-8Kq2"]


# ----- in a real web engine, as the app's sign-in view will use it ----------------------------------

def test_sign_in_pages_work_in_a_web_engine_and_end_in_the_redirect(qtbot, fresh_sandbox):
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    class SignInPage(QWebEnginePage):
        def __init__(self, profile):
            super().__init__(profile)
            self.redirects: list[str] = []

        def acceptNavigationRequest(self, url, navigation_type, is_main_frame):
            if url.toString().startswith(REDIRECT):
                self.redirects.append(url.toString())
                return False
            return super().acceptNavigationRequest(url, navigation_type, is_main_frame)

    def run_js(code: str):
        results = []
        page.runJavaScript(code, 0, results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=10_000)
        return results[0]

    profile = QWebEngineProfile()  # off the record: nothing survives the sign-in
    page = SignInPage(profile)
    try:
        url = QUrl(fresh_sandbox.oauth_base + "/authorize")
        url.setQuery(urlencode(authorize_params()))
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(url)
        assert run_js("document.title") == "Sign in"
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            run_js("document.getElementById('email').value = 'member@example.com';"
                   "document.getElementById('password').value = 'sandbox';"
                   "document.getElementById('sign-in').click(); true")
        assert run_js("document.title") == "Allow access"
        run_js("document.getElementById('allow').click(); true")
        qtbot.waitUntil(lambda: bool(page.redirects), timeout=15_000)
    finally:
        page.deleteLater()
        qtbot.wait(50)
        profile.deleteLater()
    query = parse_qs(urlsplit(page.redirects[0]).query)
    assert query["state"] == ["st-8Kq2"]
    with httpx.Client(base_url=fresh_sandbox.oauth_base, timeout=30) as http:
        assert exchange(http, query["code"][0]).status_code == 200


def test_tokens_never_reach_the_request_log(oauth, sandbox_control):
    tokens = exchange(oauth, code_from(sign_in_and_consent(oauth))).json()
    assert oauth.get(f"/info/{tokens['access_token']}").status_code == 200
    logged = json.dumps(sandbox_control.log(limit=50))
    assert "/oauth/info/" in logged
    assert tokens["access_token"] not in logged and tokens["refresh_token"] not in logged


def test_revoking_member_tokens_ends_every_sign_in(oauth, sandbox_control):
    tokens = exchange(oauth, code_from(sign_in_and_consent(oauth))).json()
    assert oauth.get(f"/info/{tokens['access_token']}").status_code == 200
    sandbox_control.scenario(revoke_member_tokens=True)
    assert oauth.get(f"/info/{tokens['access_token']}").status_code != 200
    renewal = oauth.post("/token", data={**CLIENT, "grant_type": "refresh_token",
                                         "refresh_token": tokens["refresh_token"]})
    assert renewal.status_code == 400 and renewal.json()["error"] == "invalid_grant"
    assert "revoke_member_tokens" not in sandbox_control.scenario()  # an action, not a setting
