"""The partner's logo in the window's header (the right end of the main toolbar).

``PartnerLogo`` shows the logo file the core fetched and kept (``SettingsKeeper.partner_logo``), scaled to
the toolbar's height; its toolbar action is hidden while there is no logo (a widget on a toolbar is
shown and hidden through its action, as Qt asks). ``image`` is the decoded logo for the
receipts (None without one). Object name: ``partnerLogo``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

HEADER_LOGO_HEIGHT = 28


class PartnerLogo(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partnerLogo")
        self.setAccessibleName("Partner logo")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.image: QImage | None = None

    def show_file(self, path: Path | None) -> bool:
        """Show the logo at ``path`` (None: no logo). False when the file is no image Qt can read."""
        image = QImage(str(path)) if path is not None else QImage()
        if image.isNull():
            self.image = None
            self.clear()
            return path is None
        self.image = image
        pixmap = QPixmap.fromImage(image).scaledToHeight(HEADER_LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(pixmap)
        self.setFixedSize(pixmap.size())
        return True
