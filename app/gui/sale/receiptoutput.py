"""Printing a receipt and saving it as PDF, with their dialogs: what the confirmation page and the
orders window (reprints) both offer.

Both dialogs start in the user's documents folder (else home) and suggest a file name safe on any
file system (``Receipt.file_name``); both are window-modal without a nested event loop (``open``,
never ``exec``), so the asyncio side of the window keeps running. ``say`` gets the sentence to show
after each step (saved, sent to the printer, could not…); ``closed`` is called when a dialog closes,
so the page can put the keyboard back on its main action.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.gui.sale.receipt import Receipt, save_receipt_pdf

log = logging.getLogger(__name__)


def receipt_folder() -> Path:
    """Where receipts are offered to go: the user's documents folder, else their home folder (never
    the folder the program happens to run in)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


class ReceiptOutput:
    """Print / save-as-PDF for the receipt ``receipt()`` answers (None: nothing to print yet)."""

    def __init__(self, parent: QWidget, receipt: Callable[[], Receipt | None], say: Callable[[str], None], *,
                 closed: Callable[[], None] | None = None, name: str = "") -> None:
        self._parent = parent
        self._receipt = receipt
        self._say = say
        self._closed = closed
        self._prefix = name  # object names of the dialogs: "<name>SaveReceiptDialog"…
        self.dialog: QDialog | None = None  # the print or save dialog while it is open
        self._printer = None  # kept alive as long as its print dialog

    def _name(self, base: str) -> str:
        return self._prefix + base[0].upper() + base[1:] if self._prefix else base

    def save_pdf(self, path: str) -> bool:
        receipt = self._receipt()
        if receipt is None:
            return False
        try:
            save_receipt_pdf(receipt, path)
        except OSError as exc:
            log.warning("saving the receipt failed: %s", exc)
            self._say(f"The receipt could not be saved there ({exc}). Choose another folder.")
            return False
        self._say(f"Receipt saved to {path}.")
        return True

    def ask_and_save_pdf(self) -> None:
        receipt = self._receipt()
        if receipt is None or self.dialog is not None:
            return
        dialog = QFileDialog(self._parent, "Save receipt as PDF", str(receipt_folder()), "PDF files (*.pdf)")
        dialog.setObjectName(self._name("saveReceiptDialog"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(receipt.file_name)
        dialog.fileSelected.connect(self.save_pdf)
        self._open(dialog)

    def print_receipt(self) -> None:
        """The print dialog; its "Print to File" suggests the same safe name in the same folder."""
        receipt = self._receipt()
        if receipt is None or self.dialog is not None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(receipt.title)
        # Left empty, the dialog would suggest "<current folder>/<document name>.pdf": the program's
        # folder, and a path that the "/" of the order number makes unwritable.
        printer.setOutputFileName(str(receipt_folder() / receipt.file_name))
        default = QPrinterInfo.defaultPrinter()
        if not default.isNull():
            printer.setPrinterName(default.printerName())  # a real printer stays the first choice
        self._printer = printer
        dialog = QPrintDialog(printer, self._parent)
        dialog.setObjectName(self._name("printReceiptDialog"))
        dialog.setWindowTitle("Print receipt")
        dialog.accepted.connect(lambda: self._print_on(printer))
        self._open(dialog)

    def _print_on(self, printer) -> None:
        from PySide6.QtPrintSupport import QPrinter

        from app.gui.sale.receipt import paint_on_printer

        receipt = self._receipt()
        if receipt is None:
            return
        if not paint_on_printer(receipt, printer):
            self._say("The printer could not start. Check it, or save the receipt as PDF instead.")
        elif printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            self._say(f"Receipt saved to {printer.outputFileName()}.")
        else:
            self._say("Receipt sent to the printer.")

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        QDialog.open(dialog)  # QPrintDialog.open() itself insists on a receiver and a slot

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if self._closed is not None:
            self._closed()
