"""Log files are readable only by their owner, also one left with looser permissions and each new
file after a rollover."""

from __future__ import annotations

import logging
import stat

from app.storage.logfiles import PrivateRotatingFileHandler


def test_log_files_are_0600_before_and_after_a_rollover(tmp_path):
    path = tmp_path / "boxoffice.log"
    path.write_text("old line\n")
    path.chmod(0o644)
    handler = PrivateRotatingFileHandler(path, maxBytes=200, backupCount=2, encoding="utf-8")
    logger = logging.getLogger("tests.logfiles")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for n in range(20):
            logger.info("line %d of the log, long enough to roll the file over soon", n)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3  # boxoffice.log, .1, .2
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
