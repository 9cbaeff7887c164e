"""The settings panel checks every field where it is typed, in plain words, and saves nothing while
any field is wrong: the file, the keychain and the running station stay as they were."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QTabWidget

from tests.gui.settings.settingskit import (
    choose_backend,
    marked_pages,
    open_dialog,
    open_with_keys,
    problem,
    said,
    save,
    type_field,
)
from tests.gui.windowkit import find

# (field, what is typed, words the sentence at the field must hold)
WRONG = [
    ("custom_partner_url", "partners.example/partners/v1", "https:// address"),  # no scheme: no URL
    ("custom_partner_url", "http://partners.example/partners/v1", "plain http:// only for this computer"),
    ("custom_partner_url", "", "must be filled in for a custom backend"),
    ("custom_oauth_url", "ftp://partners.example/oauth", "https:// address"),
    ("custom_wallet_url", "http://wallet.example/wallet/v1", "plain http:// only for this computer"),
    ("api_key", "", "must be filled in"),
    ("api_key", "two words", "one word, without spaces"),
    ("redirect_uri", "localhost/oauth/callback", "http(s) address"),
    ("redirect_uri", "http://localhost/oauth/callback#done", "without a # part"),
    ("logo_url", "http://cdn.example/logo.png", "such as https://partner.example/logo.png (plain http:// only for "
                                                "this computer)"),
    ("captcha_domain", "https://boxoffice.example/", "host name such as boxoffice.example"),
    ("captcha_domain", "box office", "host name"),
    ("station_name", "", "name of 1 to 64 characters"),
    ("ca_bundle", "/no/such/private-ca.pem", "certificate file that exists"),
    ("request_timeout_seconds", "0", "from 1 to 300 seconds"),
    ("max_polling_seconds", "9999", "from 1 to 3600 seconds"),
    ("availability_stations_per_key", "0", "whole number from 1 to 1000"),
    ("tracking_shared_id", "two words", "at most 32 letters, digits or punctuation (no spaces)"),
    ("tracking_sub_id2", "x" * 33, "at most 32 letters, digits or punctuation (no spaces)"),
]


@pytest.mark.parametrize("name, typed, words", WRONG, ids=[f"{n}={t!r}" for n, t, _ in WRONG])
def test_a_wrong_value_is_said_at_its_field_and_nothing_is_saved(panel_station, panel_window, keychain, home,
                                                                 qtbot, run, until, name, typed, words):
    window = panel_window(panel_station)
    settings_file = home / "config" / "settings.json"
    before_file, before_keys, before = settings_file.read_text(), dict(keychain.items), panel_station.settings

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, name, typed)
        shown = await until(lambda: problem(dialog, name), what=f"a sentence at {name}")
        assert words.lower() in shown.lower()
        assert shown[0].isupper() and shown.endswith((".", ")")), shown  # a sentence, not a rule's fragment
        pages = find(dialog, "settingsPages", QTabWidget)
        assert pages.tabText(pages.currentIndex()).endswith("•")  # the page is marked too

        save(qtbot, dialog)
        assert "Nothing was saved" in said(dialog, "settingsProblem")
        assert dialog.isVisible()
        assert problem(dialog, name) == shown  # still at the field, the typed value kept
        return dialog

    dialog = run(steps())
    assert settings_file.read_text() == before_file
    assert keychain.items == before_keys
    assert panel_station.settings == before
    dialog.close()


def test_fixing_the_field_clears_its_sentence_and_then_save_works(panel_station, panel_window, home, qtbot, run,
                                                                 until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "station_name", "")
        type_field(qtbot, dialog, "captcha_domain", "https://tickets.example")
        await until(lambda: problem(dialog, "station_name") and problem(dialog, "captcha_domain"))
        assert marked_pages(dialog) == ["Branding and whitelists", "Station"]  # the page not in front too
        save(qtbot, dialog)
        assert "2 fields need fixing" in said(dialog, "settingsProblem")
        type_field(qtbot, dialog, "station_name", "Box 3")
        await until(lambda: problem(dialog, "station_name") == "", what="the name accepted")
        assert problem(dialog, "captcha_domain")
        assert marked_pages(dialog) == ["Branding and whitelists"]
        type_field(qtbot, dialog, "captcha_domain", "tickets.example")
        await until(lambda: problem(dialog, "captcha_domain") == "", what="the domain accepted")
        assert marked_pages(dialog) == []
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, what="the panel closed after saving")

    run(steps())
    assert panel_station.settings.station_name == "Box 3"
    assert panel_station.settings.captcha_domain == "tickets.example"
    assert '"station_name": "Box 3"' in (home / "config" / "settings.json").read_text()


def test_a_field_not_used_by_the_chosen_backend_is_disabled_and_not_held_against_save(
        panel_station, panel_window, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", "not an address")
        await until(lambda: problem(dialog, "custom_partner_url"))
        choose_backend(qtbot, dialog, "sandbox")
        assert not find(dialog, "field_custom_partner_url").isEnabled()
        assert not find(dialog, "field_api_key").isEnabled()
        label = find(dialog, "problem_custom_partner_url", QLabel)
        assert not label.isVisibleTo(dialog) or not label.isEnabled()
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 60, what="saved on the embedded sandbox")

    run(steps())
    assert panel_station.settings.backend == "sandbox"
    assert panel_station.settings.custom_partner_url.endswith("/partners/v1")  # the saved value kept


def test_every_setting_has_its_field_in_the_panel():
    """A setting added to the core without a place in the panel would be settable only by hand."""
    import dataclasses

    from app.gui.settings.fields import FIELDS, SECRETS
    from app.storage import Settings

    assert {f.name for f in FIELDS} - set(SECRETS) == {f.name for f in dataclasses.fields(Settings)}

