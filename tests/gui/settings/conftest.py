"""Settings-panel test set-up on top of tests/gui/conftest.py: a window on a station of its own.

``panel_station`` is a real ``Station`` in a folder of the test's own (``home``), its keychain the
in-memory ``MemoryKeychain`` (the one true edge), started on the session's live sandbox reached as a
*custom* backend with its real credentials typed in once — so the panel opens on a backend with an
API key, as a partner's station would. ``sandbox_station`` starts on the embedded sandbox instead
(a second real sandbox server on its own port, the one ``python -m app`` embeds, its clock at a
daytime hour: ``tests.conftest.daytime_embedded_sandbox``).
``panel_window(station)`` shows a ``MainWindow`` on either and shuts it down afterwards.
"""

from __future__ import annotations

import pytest

from app.checkout.station import Station
from app.storage import API_KEY, CLIENT_SECRET
from tests.conftest import daytime_embedded_sandbox
from tests.settingskit import SANDBOX_KEY, SANDBOX_SECRET, MemoryKeychain, custom_settings, storage_at


@pytest.fixture
def keychain():
    return MemoryKeychain()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "station"


@pytest.fixture
def panel_station(fresh_sandbox, home, keychain, qloop):
    storage = storage_at(home, keychain)
    storage.save_settings(custom_settings(fresh_sandbox.base_url))
    storage.secrets.set(API_KEY, SANDBOX_KEY)
    storage.secrets.set(CLIENT_SECRET, SANDBOX_SECRET)
    station = Station(storage, sandbox=daytime_embedded_sandbox)
    qloop.run(station.start())
    yield station
    qloop.run(station.close())


@pytest.fixture
def sandbox_station(fresh_sandbox, home, keychain, qloop):
    station = Station(storage_at(home, keychain), sandbox=daytime_embedded_sandbox)
    qloop.run(station.start())
    yield station
    qloop.run(station.close())


@pytest.fixture
def panel_window(qloop):
    """``panel_window(station, size=(1280, 800), load=True)`` → a shown MainWindow, its events
    loaded (``load=False``: the test starts the loading itself, e.g. when it is meant to fail)."""
    import shiboken6

    from app.gui.mainwindow import MainWindow
    from tests.gui.windowkit import AFTERNOON

    windows = []

    def factory(station, size=(1280, 800), load=True):
        window = MainWindow(station, clock=lambda: AFTERNOON)
        window.resize(*size)
        window.show()
        window.activateWindow()
        windows.append(window)
        if load:
            qloop.run(window.load_events())
        return window

    yield factory
    for window in windows:
        if shiboken6.isValid(window):
            if window.isVisible():
                qloop.run(window.shutdown())
            shiboken6.delete(window)
