"""The sale rules live in the Qt-free core: importing them, or the whole command line, pulls in no
Qt and nothing of the window, and the libraries behind the buyer rules wait until first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ("sellability", "niterun", "cardrules", "buyerrules", "countries", "paymentform", "quantities", "delivery",
         "seatlabels", "seats")


def loaded_after(statement: str) -> set[str]:
    script = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return set(done.stdout.split())


def test_the_rules_and_the_cli_import_no_qt_and_nothing_of_the_window():
    modules = loaded_after("import app.cli, app.cli_buy, app.cli_buyargs; "
                           + "; ".join(f"import app.checkout.{m}" for m in RULES))
    assert not {m for m in modules if m.split(".")[0] in ("PySide6", "shiboken6", "qasync")}
    assert not {m for m in modules if m.startswith("app.gui")}


def test_the_buyer_rules_libraries_are_imported_on_first_use_only():
    heavy = {"pycountry", "email_validator", "phonenumbers"}
    assert not heavy & loaded_after("import app.cli; import app.checkout.paymentform")
    used = loaded_after("from app.checkout import buyerrules as b; b.email_error('a@example.com'); "
                        "b.phone_error('212 867 5309', 'US'); b.country_error('US')")
    assert heavy <= used
