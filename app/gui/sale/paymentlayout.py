"""How the payment page lays its groups out: two columns (the way of paying and the buyer | the
billing address) when they fit side by side, else one under the other, in a scroll area; and one
label width for every group so the fields line up down the page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFormLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.gui.sale.billing import FieldGroup


class TwoColumns(QScrollArea):
    """A scroll area whose body holds a left and a right column of groups (``body`` is their parent)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget(self)
        self.columns = QHBoxLayout(self.body)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.left, self.right = QVBoxLayout(), QVBoxLayout()
        self.columns.addLayout(self.left, 1)
        self.columns.addLayout(self.right, 1)
        self._left: tuple[QWidget, ...] = ()
        self._right: tuple[QWidget, ...] = ()

    def fill(self, left: Sequence[QWidget], right: Sequence[QWidget]) -> None:
        self._left, self._right = tuple(left), tuple(right)
        for column, widgets in ((self.left, left), (self.right, right)):
            for widget in widgets:
                column.addWidget(widget)
            column.addStretch(1)
        self.setWidget(self.body)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Side by side when the widest group of each column fits the width, else stacked."""
        def widest(widgets: Iterable[QWidget]) -> int:
            return max((w.minimumSizeHint().width() for w in widgets), default=0)

        needed = widest(self._left) + widest(self._right) + self.columns.spacing() + 8
        wide = self.viewport().width() >= needed
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)
            self.columns.setStretch(0, 1 if wide else 0)
            self.columns.setStretch(1, 1)


def align_labels(groups: Iterable[FieldGroup]) -> None:
    """One label width for every group, so the fields line up down the page."""
    labels = [group.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
              for group in groups for row in range(group.form.rowCount())
              if group.form.itemAt(row, QFormLayout.ItemRole.LabelRole) is not None]
    labels = [label for label in labels if label is not None]
    width = max((label.fontMetrics().horizontalAdvance(t) for label in labels
                 for t in (label.text(), "Province:", "Postal code:")), default=0) + 6
    for label in labels:
        label.setMinimumWidth(width)
        if isinstance(label, QLabel):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
