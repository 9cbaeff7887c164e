"""Settings file and station folders: BOXOFFICE_HOME, atomic saves, corrupt files kept aside."""

from __future__ import annotations

import dataclasses
import json
import stat

import pytest

from app.storage import Settings, SettingsFile, StationPaths, StationStorage, station_paths
from app.storage.settings import tracking_problem


def test_boxoffice_home_puts_everything_under_one_folder(tmp_path):
    paths = station_paths({"BOXOFFICE_HOME": str(tmp_path / "station")})
    assert paths.settings_file == tmp_path / "station" / "config" / "settings.json"
    assert paths.journal_file == tmp_path / "station" / "data" / "journal.sqlite3"
    assert paths.log_dir == tmp_path / "station" / "logs"


def test_without_boxoffice_home_platform_folders_are_used():
    paths = station_paths({})
    assert "boxoffice" in str(paths.config_dir)
    assert "boxoffice" in str(paths.data_dir)


def test_settings_round_trip(tmp_path):
    store = StationStorage(StationPaths.under(tmp_path))
    changed = dataclasses.replace(store.settings, backend="custom", custom_partner_url="https://partner.test/partners/v1",
                                  station_user="till-3", availability_cache_seconds=2.5)
    store.save_settings(changed)

    again = StationStorage(StationPaths.under(tmp_path))
    assert again.settings == changed
    assert [n for n in again.notices if "settings" in n] == []
    mode = stat.S_IMODE((tmp_path / "config" / "settings.json").stat().st_mode)
    assert mode == 0o600
    leftovers = [p.name for p in (tmp_path / "config").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_custom_backend_derives_oauth_and_wallet_urls():
    settings = Settings(backend="custom", custom_partner_url="https://partner.test/partners/v1/")
    endpoints = settings.endpoints()
    assert endpoints.partner_base_url == "https://partner.test/partners/v1"
    assert endpoints.oauth_base_url == "https://partner.test/oauth"
    assert endpoints.wallet_base_url == "https://partner.test/wallet/v1"


def test_sandbox_backend_needs_the_running_sandbox():
    with pytest.raises(ValueError, match="sandbox is not running"):
        Settings().endpoints()
    assert Settings().endpoints("http://127.0.0.1:9/").partner_base_url == "http://127.0.0.1:9/partners/v1"


def test_corrupt_settings_file_is_kept_aside_and_defaults_are_used(tmp_path):
    paths = StationPaths.under(tmp_path).ensure()
    paths.settings_file.write_text("{ this is not json", encoding="utf-8")
    file = SettingsFile(paths.settings_file)

    assert file.load() == Settings()
    assert len(file.notices) == 1 and "could not be read" in file.notices[0]
    backups = [p for p in paths.config_dir.iterdir() if p.name.startswith("settings.json.corrupt-")]
    assert len(backups) == 1 and backups[0].read_text() == "{ this is not json"


def test_values_of_the_wrong_type_fall_back_to_defaults_with_a_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"backend": "mainframe", "station_user": "till-1",
                                "availability_cache_seconds": "fast", "unknown": 1}))
    file = SettingsFile(path)
    settings = file.load()
    assert settings.backend == "sandbox"
    assert settings.station_user == "till-1"
    assert settings.availability_cache_seconds == Settings().availability_cache_seconds
    assert len(file.notices) == 2


@pytest.mark.parametrize("domain, url", [("boxoffice.example", "https://boxoffice.example/captcha"),
                                         (" BoxOffice.Example ", "https://boxoffice.example/captcha"),
                                         ("localhost", "https://localhost/captcha")])
def test_captcha_page_url_is_built_from_the_whitelisted_domain(domain, url):
    assert Settings(captcha_domain=domain).captcha_page_url == url


@pytest.mark.parametrize("domain", ["", "   ", "https://boxoffice.example", "boxoffice.example/captcha",
                                    "box office.example", "-bad.example", "a" * 64 + ".example", "évènement.fr"])
def test_a_blank_or_malformed_captcha_domain_says_so_plainly(domain):
    with pytest.raises(ValueError) as refused:
        _ = Settings(captcha_domain=domain).captcha_page_url
    assert str(refused.value) == ("The whitelisted captcha domain in Settings is missing or not a host name, "
                                  "so the captcha cannot be shown.")


@pytest.mark.parametrize(
    "name, value",
    [
        ("request_timeout_seconds", float("nan")),
        ("request_timeout_seconds", 0),
        ("request_timeout_seconds", -5),
        ("request_timeout_seconds", float("inf")),
        ("request_timeout_seconds", True),
        ("max_polling_seconds", 0.5),
        ("availability_cache_seconds", -1),
        ("max_quota_wait_seconds", 1e9),
        ("force_polling", "yes"),
        ("custom_partner_url", "ftp://partner.example"),
        ("custom_partner_url", "http://[::1"),
        ("redirect_uri", ""),
        ("captcha_domain", "not a host"),
        ("station_user", ""),
        ("station_user", "x" * 65),
        ("station_name", " "),
        ("logo_url", "javascript:alert(1)"),
        ("https_proxy", "sometimes"),
        ("ca_bundle", 42),
        ("backend", None),
        ("availability_stations_per_key", 0),
        ("availability_stations_per_key", 2.5),
        ("availability_stations_per_key", True),
        ("availability_stations_per_key", "3"),
        ("tracking_shared_id", "x" * 33),
        ("tracking_sub_id1", "two words"),
        ("tracking_sub_id2", "tab\there"),
        ("tracking_sub_id3", "café"),
        ("tracking_sub_id3", 7),
    ],
)
def test_every_setting_is_checked_on_load_with_a_plain_notice_and_its_default(tmp_path, name, value):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({name: value, "station_user": "till-2"} if name != "station_user" else {name: value}))
    file = SettingsFile(path)
    settings = file.load()
    assert getattr(settings, name) == getattr(Settings(), name)
    (notice,) = file.notices
    assert f"“{name}”" in notice and "the default" in notice and "must be" in notice
    assert path.exists()  # the file is kept; only the bad value is replaced


def test_sound_values_are_kept(tmp_path):
    path = tmp_path / "settings.json"
    values = {
        "request_timeout_seconds": 1,
        "max_polling_seconds": 3600,
        "availability_cache_seconds": 0,
        "https_proxy": "http://proxy.example:3128",
        "custom_partner_url": "https://partner.test/partners/v1",
        "captcha_domain": "tickets.example.org",
        "force_polling": True,
        "availability_stations_per_key": 3,
        "tracking_shared_id": "02a8127b-7a52",
        "tracking_sub_id1": "x" * 32,
    }
    path.write_text(json.dumps(values))
    file = SettingsFile(path)
    settings = file.load()
    assert file.notices == []
    assert {k: getattr(settings, k) for k in values} == values


def test_the_commit_tracking_object_holds_only_the_values_set():
    assert Settings().tracking == {}
    settings = Settings(tracking_shared_id=" 02a8127b-7a52 ", tracking_sub_id2="till-3")
    assert settings.tracking == {"shared_id": "02a8127b-7a52", "sub_id2": "till-3"}


@pytest.mark.parametrize("value, problem", [
    ("", None), ("02a8127b-7a52", None), ("a" * 32, None), ("box/3:main_desk", None),
    ("a" * 33, "At most 32 characters (this has 33)."),
    ("box 3", "Letters, digits and punctuation only: no spaces or other characters."),
    ("Zürich", "Letters, digits and punctuation only: no spaces or other characters."),
])
def test_a_tracking_value_is_checked_with_a_sentence_for_its_field(value, problem):
    assert tracking_problem(value) == problem
