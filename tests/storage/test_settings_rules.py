"""One set of rules for the settings: the file's loader and the settings panel say the same thing."""

from __future__ import annotations

import json

import pytest

from app.storage import Settings, SettingsFile
from app.storage.settingsrules import check_api_key, is_secure_url, sentence


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("custom_partner_url", "http://partners.example/partners/v1", "https://"),
        ("custom_partner_url", "partners.example", "https://"),
        ("custom_oauth_url", "ftp://oauth.example", "https://"),
        ("custom_wallet_url", "https://[::1", "https://"),
        ("logo_url", "http://cdn.example/logo.png", "https://"),
        ("redirect_uri", "", "http(s) address"),
        ("redirect_uri", "http://localhost/cb#frag", "without a # part"),
        ("redirect_uri", "localhost/oauth/callback", "http(s) address"),
        ("captcha_domain", "https://boxoffice.example", "host name"),
        ("captcha_domain", "boxoffice.example/captcha", "host name"),
        ("station_name", "", "1 to 64 characters"),
        ("station_user", "x" * 65, "1 to 64 characters"),
        ("ca_bundle", "/no/such/ca.pem", "certificate file that exists"),
        ("https_proxy", "sometimes", "proxy address"),
        ("request_timeout_seconds", 0.5, "from 1 to 300 seconds"),
        ("backend", "mainframe", "“sandbox”, “production” or “custom”"),
    ],
)
def test_each_field_gets_a_plain_rule(name, value, words):
    settings, problems = Settings().changed({name: value})
    assert settings is None
    assert set(problems) == {name}
    assert words in problems[name] and problems[name].startswith("must be")
    assert sentence(problems[name]).startswith("Must be") and sentence(problems[name]).endswith(".")


@pytest.mark.parametrize("url, secure", [
    ("https://partners.example/partners/v1", True),
    ("http://127.0.0.1:8765/partners/v1", True),
    ("http://localhost:9/oauth", True),
    ("http://[::1]:9/", True),
    ("http://partners.example/", False),
    ("http://127.0.0.1.example/", False),
])
def test_plain_http_only_for_this_computer(url, secure):
    assert is_secure_url(url) is secure


def test_a_custom_backend_needs_its_partner_address_and_an_api_key():
    _, problems = Settings().changed({"backend": "custom", "custom_partner_url": ""}, api_key="")
    assert set(problems) == {"custom_partner_url", "api_key"}
    assert "custom backend" in problems["custom_partner_url"]
    assert "API key" in problems["api_key"]
    assert check_api_key("  ", "production") is not None
    assert check_api_key("two words", "production") == "must be one word, without spaces"
    assert check_api_key("", "sandbox") is None  # the embedded sandbox brings its own


def test_good_values_make_new_settings_and_text_is_trimmed(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings, problems = Settings().changed({
        "backend": "custom", "custom_partner_url": " https://partners.example/partners/v1 ",
        "logo_url": "https://cdn.example/logo.png", "captcha_domain": "tickets.example.org",
        "ca_bundle": str(ca), "station_name": "Box 3", "request_timeout_seconds": 30,
    }, api_key="k-1")
    assert problems == {}
    assert settings is not None
    assert settings.custom_partner_url == "https://partners.example/partners/v1"
    assert settings.request_timeout_seconds == 30.0 and settings.station_name == "Box 3"


def test_the_file_is_loaded_by_the_same_rules_as_the_panel(tmp_path):
    """An http:// backend address on another computer is refused by the panel, and on load too."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"backend": "custom", "custom_partner_url": "http://partners.example/partners/v1"}))
    file = SettingsFile(path)
    loaded = file.load()
    assert loaded.custom_partner_url == ""
    (notice,) = file.notices
    _, problems = Settings().changed({"custom_partner_url": "http://partners.example/partners/v1"})
    assert problems["custom_partner_url"] in notice
