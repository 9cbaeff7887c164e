"""The station's log files, readable only by their owner (0600) like the settings and secrets.

``PrivateRotatingFileHandler`` is a ``RotatingFileHandler`` whose every file — the first one, one
that existed with looser permissions, and each new one after a rollover — is created or tightened
to 0600. What goes into it is masked by ``app.partner.masking.MaskingFilter`` (secrets, card data,
personal data), installed by whoever configures logging.
"""

from __future__ import annotations

import contextlib
import io
import os
from logging.handlers import RotatingFileHandler


class PrivateRotatingFileHandler(RotatingFileHandler):
    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)  # a file left by an older version may be readable by others
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
