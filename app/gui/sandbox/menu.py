"""The Sandbox menu: every scenario setting of the local sandbox as a submenu of choices, each saying
in its status tip what it will do (``app.checkout.sandboxcontrols.CONTROLS``), plus Rotate the
captcha site key, Sandbox state… and Reset the sandbox… (asks first: it ends every held cart).

The menu exists only while the station sells against a local sandbox (``station.sandbox_controls()``);
``sync()`` shows or hides it as the backend changes. Opening it reads the sandbox's current scenario,
so the ticks show what the sandbox does now (a once-only choice clears itself after use). After a
change the status bar says what will happen; a refusal or a sandbox that does not answer is said
there too, in a sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from app.checkout.sandboxcontrols import CONTROLS, RESET_EFFECT, ROTATE_EFFECT, SandboxControlError
from app.gui.asyncutil import spawn
from app.gui.menus import make_action

MESSAGE_MS = 12_000


class SandboxMenu:
    """The Sandbox menu of one main window (``window.menus``, ``window.station``)."""

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        self.window = window
        self.menu = menu
        self._choices: dict[str, dict[Any, QAction]] = {}
        self._question: QMessageBox | None = None
        self._state_view = None
        for control in CONTROLS:
            sub = menu.addMenu(control.title)
            sub.setObjectName(f"menu_sandbox_{control.key}")
            group = QActionGroup(sub)
            group.setExclusive(True)
            actions: dict[Any, QAction] = {}
            for index, choice in enumerate(control.choices):
                action = make_action(window, f"sandbox_{control.key}_{index}", choice.label,
                                     lambda k=control.key, v=choice.value: self.choose(k, v), tip=choice.effect)
                action.setCheckable(True)
                action.setChecked(index == 0)
                group.addAction(action)
                sub.addAction(action)
                actions[choice.value] = action
            self._choices[control.key] = actions
        menu.addSeparator()
        self.rotate_action = make_action(window, "sandbox_rotate_site_key", "Rotate the captcha site key",
                                         self.rotate_site_key, tip=ROTATE_EFFECT)
        self.state_action = make_action(window, "sandbox_state", "Sandbox &state…", self.show_state,
                                        tip="Held carts, orders and seats sold in the sandbox now")
        self.reset_action = make_action(window, "sandbox_reset", "&Reset the sandbox…", self.ask_reset,
                                        tip=RESET_EFFECT)
        menu.addAction(self.rotate_action)
        menu.addAction(self.state_action)
        menu.addSeparator()
        menu.addAction(self.reset_action)
        menu.aboutToShow.connect(self.refresh)
        self.sync()

    # --- shown only for a local sandbox ---------------------------------------------------------
    def controls(self):
        station = getattr(self.window, "station", None)
        return station.sandbox_controls() if station is not None else None

    def sync(self) -> None:
        self.menu.menuAction().setVisible(self.controls() is not None)

    # --- the ticks follow the sandbox -----------------------------------------------------------
    def refresh(self) -> None:
        controls = self.controls()
        if controls is not None:
            spawn(self._refresh(controls), context="reading the sandbox scenario")

    async def _refresh(self, controls) -> None:
        try:
            scenario = await controls.scenario()
        except SandboxControlError as exc:
            self._say(str(exc))
            return
        self.show_scenario(scenario)

    def show_scenario(self, scenario: dict[str, Any]) -> None:
        for key, actions in self._choices.items():
            action = actions.get(scenario.get(key))
            if action is not None:
                action.setChecked(True)
            else:  # a value set elsewhere (curl, a flag) that the menu does not offer: tick nothing
                for entry in actions.values():
                    entry.setChecked(False)

    # --- actions -------------------------------------------------------------------------------------
    def choose(self, key: str, value: Any) -> None:
        controls = self.controls()
        if controls is not None:
            spawn(self._apply(controls.set(key, value)), context="changing the sandbox scenario")

    def rotate_site_key(self) -> None:
        controls = self.controls()
        if controls is not None:
            spawn(self._apply(controls.rotate_site_key()), context="rotating the sandbox site key")

    def ask_reset(self) -> None:
        if self._question is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Reset the sandbox?",
                          "Reset the sandbox?\n\n" + RESET_EFFECT, QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("sandboxResetQuestion")
        keep = box.addButton("Keep everything", QMessageBox.ButtonRole.RejectRole)
        reset = box.addButton("Reset", QMessageBox.ButtonRole.DestructiveRole)
        reset.setObjectName("sandboxResetButton")
        keep.setObjectName("sandboxKeepButton")
        box.setDefaultButton(keep)  # Enter keeps; resetting takes a deliberate choice
        box.setEscapeButton(keep)

        def answered(_result: int) -> None:
            chosen = box.clickedButton()
            self._question = None
            box.deleteLater()
            if chosen is reset:
                controls = self.controls()
                if controls is not None:
                    spawn(self._apply(controls.reset()), context="resetting the sandbox")

        box.finished.connect(answered)
        self._question = box
        box.open()

    async def _apply(self, change) -> None:
        try:
            effect = await change
        except SandboxControlError as exc:
            self._say(str(exc))
            return
        self._say(f"Sandbox: {effect}")
        if self._state_view is not None and self._state_view.isVisible():
            self._state_view.refresh()  # an open state view shows what the choice changed
        controls = self.controls()
        if controls is not None:
            await self._refresh(controls)

    def show_state(self) -> None:
        from app.gui.sandbox.state import SandboxStateView

        controls = self.controls()
        if controls is None:
            return
        if self._state_view is None:
            self._state_view = SandboxStateView(self.controls, self.window)
        self._state_view.show()
        self._state_view.raise_()
        self._state_view.refresh()

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)
