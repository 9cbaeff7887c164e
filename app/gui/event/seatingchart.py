"""The venue's seating chart, shown where the seat map would be when no map can be shown.

``SeatingChartPanel`` (objectName ``seatingChartPanel``) says why there is no seat map (the venue
forbids one — ``seatLocationMapRestrict`` — or the inventory could not be drawn) and shows the
venue's seating chart picture under that sentence, scaled to fit and never enlarged. The picture
is fetched by the station (``ServiceCounter.seating_chart``: checked, size-limited, of a kind Qt draws);
here it is only decoded, on a worker thread, with a cap on the memory a decoded picture may take.
A chart that cannot be had is one more plain sentence; an event without one shows the sentence alone.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.gui.offthread import off_gui_thread
from app.partner.media import FetchedImage

MAX_DECODED_MB = 64  # a picture that would take more memory once decoded is refused


def decode_picture(picture: FetchedImage) -> QImage:
    """The picture as a QImage (null when Qt cannot read it or it would be too big); any thread."""
    buffer = QBuffer()
    buffer.setData(QByteArray(picture.data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, picture.kind.encode())
    reader.setAllocationLimit(MAX_DECODED_MB)
    reader.setAutoTransform(True)
    image = reader.read()
    buffer.close()
    return image


class _Picture(QLabel):
    """The chart's label: it scales its picture again whenever its own size changes."""

    def __init__(self, parent: QWidget, on_resize) -> None:
        super().__init__(parent)
        self._on_resize = on_resize

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._on_resize()


class SeatingChartPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatingChartPanel")
        self._image = QImage()
        self.note = QLabel(self)
        self.note.setObjectName("seatMapRestrictedNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture = _Picture(self, self._fit)
        self.picture.setObjectName("seatingChartImage")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumSize(QSize(120, 80))
        self.picture.hide()
        self.caption = QLabel(self)
        self.caption.setObjectName("seatingChartCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.caption.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        layout.addStretch(0)
        self._shown_for: object = None  # what the panel shows now: a newer show() supersedes a decode

    def text(self) -> str:
        return self.note.text()

    def show_note(self, sentence: str) -> None:
        """Why there is no seat map, without a chart (yet)."""
        self._shown_for = object()
        self.note.setText(sentence)
        self._set_image(QImage(), "")

    async def show_chart(self, sentence: str, picture: FetchedImage | None, *, name: str = "",
                         problem: str = "") -> None:
        """``sentence`` and, under it, the decoded ``picture`` (or why there is none)."""
        token = self._shown_for = object()
        self.note.setText(sentence)
        if picture is None:
            self._set_image(QImage(), problem and f"The venue's seating chart cannot be shown: {problem}")
            return
        image = await off_gui_thread(decode_picture, picture)
        if token is not self._shown_for:
            return  # another event (or a refresh) took the panel meanwhile
        if image.isNull():
            self._set_image(QImage(), "The venue's seating chart cannot be shown: the picture could not be read.")
            return
        self._set_image(image, f"Seating chart{': ' + name if name and name.lower() != 'seating chart' else ''}")

    def _set_image(self, image: QImage, caption: str) -> None:
        self._image = image
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))
        self.picture.setAccessibleName(caption or "")
        self.picture.setVisible(not image.isNull())
        self._fit()

    def shown_image(self) -> QImage:
        """The chart as decoded (a null image when none is shown)."""
        return QImage(self._image)

    def _fit(self) -> None:
        if self._image.isNull():
            self.picture.clear()
            return
        room = self.picture.contentsRect().size()
        size = self._image.size()
        if size.width() > room.width() or size.height() > room.height():
            size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        self.picture.setPixmap(QPixmap.fromImage(self._image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
