"""The settings panel's fields, built from the table in ``fields``: one page per group, one row per
field (its label, its editor, the line that says what it means, and its problem when there is one).

``SettingsForm.load(settings, secrets)`` fills the editors; ``values()`` gives what is typed, by
setting name (the form never decides whether a value is good: ``Settings.changed`` does, by the
core's rules); ``credentials()`` the two secrets; ``show_problems`` puts each rule's sentence under
its field and marks the pages that have one; ``focus(name)`` brings a field's page forward and puts
the cursor in it. Fields that do not apply to the chosen backend are disabled (their values kept).
``edited(name)`` is emitted on every change. Object names: ``field_<name>``, ``problem_<name>``,
``backend_<sandbox|production|custom>``, ``settingsPages``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.checkout.backends import Credentials
from app.storage.settings import Settings
from app.storage.settingsrules import sentence

from .fields import FIELDS, PAGES, SECRETS, Field, Kind

BACKEND_LABELS = (("sandbox", "Embedded sandbox"), ("production", "Ticketmaster production"), ("custom", "Custom"))
TYPEABLE_SECONDS = 99_999.0  # what a number box takes; the allowed range is the rule's
TYPEABLE_COUNT = 999_999
_PROXY_CHOICES = (("system", "The system's proxy"), ("none", "No proxy"), ("url", "This proxy:"))


def _note(text: str, role: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setProperty("settingsNote", role)  # the style sheet's selector
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ProxyEditor(QWidget):
    """``system``, ``none`` or a proxy address; ``value()`` is what the setting holds."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox(self)
        for value, text in _PROXY_CHOICES:
            self.choice.addItem(text, value)
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("http://proxy.example:3128")
        self.address.setAccessibleName("Proxy address")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choice)
        layout.addWidget(self.address, 1)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self.address.textEdited.connect(lambda _t: self.changed.emit())
        self._choice_changed()

    def _choice_changed(self, _index: int = 0) -> None:
        self.address.setEnabled(self.choice.currentData() == "url")
        self.changed.emit()

    def set_value(self, value: str) -> None:
        if value in ("system", "none"):
            self.choice.setCurrentIndex(self.choice.findData(value))
        else:
            self.choice.setCurrentIndex(self.choice.findData("url"))
            self.address.setText(value)

    def value(self) -> str:
        kind = self.choice.currentData()
        return self.address.text() if kind == "url" else str(kind)


class FileEditor(QWidget):
    """A path typed or chosen with Browse… (a non-blocking file dialog)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"field_{name}")
        self.browse = QPushButton("Browse…", self)
        self.browse.setObjectName(f"browse_{name}")
        self.browse.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Choose the CA bundle", self.edit.text() or "",
                             "Certificates (*.pem *.crt *.cer);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: (self.edit.setText(path), self.edit.textEdited.emit(path)))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()


class SettingsForm(QWidget):
    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("settingsPages")
        self._page_forms: dict[str, QFormLayout] = {}
        for title in PAGES:
            page = QWidget(self.pages)
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            self._page_forms[title] = form
            self.pages.addTab(page, title)
        self.editors: dict[str, QWidget] = {}
        self._rows: dict[str, tuple[QLabel, QWidget, QLabel]] = {}
        self.problems: dict[str, QLabel] = {}
        self.backend_buttons = QButtonGroup(self)
        for f in FIELDS:
            self._add(f)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.backend_buttons.idToggled.connect(lambda _i, on: on and self._backend_changed())

    # --- building ---------------------------------------------------------------------------------
    def _add(self, f: Field) -> None:
        form = self._page_forms[f.page]
        page = form.parentWidget()
        editor, focus = self._editor(f, page)
        focus.setAccessibleName(f.label)
        label = QLabel(f.label + ":", page) if f.kind is not Kind.FLAG else QLabel("", page)
        label.setBuddy(focus)
        meaning = _note(f.meaning, "meaning", page)
        problem = _note("", "problem", page)
        problem.setObjectName(f"problem_{f.name}")
        problem.hide()
        box = QWidget(page)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 2)
        column.setSpacing(1)
        column.addWidget(editor)
        column.addWidget(meaning)
        column.addWidget(problem)
        form.addRow(label, box)
        self.editors[f.name] = focus
        self._rows[f.name] = (label, box, meaning)
        self.problems[f.name] = problem
        focus.setToolTip(f.meaning)

    def _editor(self, f: Field, page: QWidget) -> tuple[QWidget, QWidget]:
        """(the widget placed in the row, the one that takes the focus and the value)."""
        name = f.name
        if f.kind is Kind.BACKEND:
            row = QWidget(page)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            first: QRadioButton | None = None
            for index, (value, text) in enumerate(BACKEND_LABELS):
                button = QRadioButton(text, row)
                button.setObjectName(f"backend_{value}")
                button.setProperty("backend", value)
                self.backend_buttons.addButton(button, index)
                line.addWidget(button)
                first = first or button
            line.addStretch(1)
            assert first is not None
            return row, first
        if f.kind is Kind.FLAG:
            check = QCheckBox(f.label, page)
            check.setObjectName(f"field_{name}")
            check.toggled.connect(lambda _on: self.edited.emit(name))
            return check, check
        if f.kind is Kind.SECONDS:
            # The box takes any number a person may type; the rule (NUMBER_RANGES) says at the field
            # when it is out of range, rather than the box silently putting back the old value.
            spin = QDoubleSpinBox(page)
            spin.setObjectName(f"field_{name}")
            spin.setRange(0.0, TYPEABLE_SECONDS)
            spin.setDecimals(1)
            spin.setSuffix(" s")
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a number, not a line
            spin.valueChanged.connect(lambda _v: self.edited.emit(name))
            return spin, spin
        if f.kind is Kind.COUNT:
            count = QSpinBox(page)
            count.setObjectName(f"field_{name}")
            count.setRange(0, TYPEABLE_COUNT)  # as for seconds: the rule (COUNT_RANGES) says the range
            count.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            count.valueChanged.connect(lambda _v: self.edited.emit(name))
            return count, count
        if f.kind is Kind.PROXY:
            proxy = ProxyEditor(page)
            proxy.setObjectName(f"field_{name}")
            proxy.changed.connect(lambda: self.edited.emit(name))
            return proxy, proxy
        if f.kind is Kind.FILE:
            chooser = FileEditor(name, page)
            chooser.edit.setPlaceholderText(f.placeholder)
            chooser.edit.textEdited.connect(lambda _t: self.edited.emit(name))
            return chooser, chooser.edit
        edit = QLineEdit(page)
        edit.setObjectName(f"field_{name}")
        edit.setPlaceholderText(f.placeholder)
        edit.setClearButtonEnabled(True)
        if f.kind is Kind.SECRET:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        edit.textEdited.connect(lambda _t: self.edited.emit(name))
        return edit, edit

    # --- values -----------------------------------------------------------------------------------
    def load(self, settings: Settings, secrets: dict[str, str]) -> None:
        values = {**settings.to_json(), **{name: secrets.get(name, "") for name in SECRETS}}
        for f in FIELDS:
            if f.name not in values:
                continue
            self._set(f, values[f.name])
        self._backend_changed()
        self.show_problems({})

    def _set(self, f: Field, value: Any) -> None:
        widget = self.editors[f.name]
        widget.blockSignals(True)
        try:
            if f.kind is Kind.BACKEND:
                for button in self.backend_buttons.buttons():
                    button.setChecked(button.property("backend") == value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, (QDoubleSpinBox, QSpinBox)):
                widget.setValue(value)
            elif isinstance(widget, ProxyEditor):
                widget.set_value(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))
        finally:
            widget.blockSignals(False)

    def backend(self) -> str:
        checked = self.backend_buttons.checkedButton()
        return str(checked.property("backend")) if checked is not None else "sandbox"

    def values(self) -> dict[str, Any]:
        """What is typed, by setting name (secrets apart: ``credentials``)."""
        found: dict[str, Any] = {}
        for f in FIELDS:
            if f.name in SECRETS:
                continue
            widget = self.editors[f.name]
            if f.kind is Kind.BACKEND:
                found[f.name] = self.backend()
            elif isinstance(widget, QCheckBox):
                found[f.name] = widget.isChecked()
            elif isinstance(widget, (QDoubleSpinBox, QSpinBox, ProxyEditor)):
                found[f.name] = widget.value()
            elif isinstance(widget, QLineEdit):
                found[f.name] = widget.text()
        return found

    def credentials(self) -> Credentials:
        api_key, secret = (self.editors[name] for name in SECRETS)
        assert isinstance(api_key, QLineEdit) and isinstance(secret, QLineEdit)
        return Credentials(api_key=api_key.text().strip(), client_secret=secret.text())

    # --- problems and focus -----------------------------------------------------------------------
    def show_problems(self, problems: dict[str, str], *, only: set[str] | None = None) -> None:
        """Each problem's sentence under its field (``only``: just these fields; the others' notes
        are cleared); a page that has one gets a "•" in its tab."""
        for name, label in self.problems.items():
            rule = problems.get(name) if only is None or name in only else None
            label.setText(sentence(rule) if rule and rule.startswith("must") else (rule or ""))
            label.setVisible(bool(rule))
            self.editors[name].setAccessibleDescription(label.text())
        self._mark_pages()

    def _mark_pages(self) -> None:
        for index, title in enumerate(PAGES):
            # isHidden, not isVisibleTo: a page not in front is hidden, and its tab is the one to mark.
            marked = any(not self.problems[f.name].isHidden() for f in FIELDS if f.page == title)
            self.pages.setTabText(index, f"{title} •" if marked else title)

    def set_problem(self, name: str, text: str) -> None:
        """A sentence at one field that is not a rule (what Test connection found)."""
        label = self.problems[name]
        label.setText(text)
        label.setVisible(bool(text))
        self.editors[name].setAccessibleDescription(text)
        self._mark_pages()

    def focus(self, name: str) -> None:
        if name == "backend" and self.backend() == "custom":
            name = "custom_partner_url"
        if name not in self.editors:
            name = "backend"
        self.pages.setCurrentIndex(PAGES.index(next(f.page for f in FIELDS if f.name == name)))
        widget = self.editors[name]
        if name == "backend" and self.backend_buttons.checkedButton() is not None:
            widget = self.backend_buttons.checkedButton()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def _backend_changed(self) -> None:
        backend = self.backend()
        for f in FIELDS:
            enabled = not f.backends or backend in f.backends
            label, box, _meaning = self._rows[f.name]
            label.setEnabled(enabled)
            box.setEnabled(enabled)
        self.edited.emit("backend")
