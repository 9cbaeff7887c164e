"""What the first sale needs and start-up does not, loaded on a worker thread while the window is idle.

The buyer's fields are checked with email-validator, phonenumbers and pycountry (``app.checkout
.buyerrules``, ``countries``). They are imported on first use, never at start-up; but "first use" was
the cashier typing the first buyer's email on the payment page, and the imports (and pycountry's
database) held the window for 20–40 ms there (``benchmarks/gui_stall.py``, py-spy). ``warm_up_later``
runs the same checks once on a daemon thread a moment after the events are listed: pure-Python work
the GUI thread can interrupt at every switch interval, done before anyone types.

It also imports ``cryptography`` (the first card payment encrypts with it) and the rooms the first
screen does not show — the sale pages (``app.gui.sale.flow``) and the orders window — which the main
window loads only when first needed, so the first reserve does not pay for them either. Importing is
all: no widget is made off the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading

log = logging.getLogger(__name__)
IDLE_DELAY_SECONDS = 1.5


def warm_up() -> None:
    """Run each lazily loaded buyer rule once (nothing is kept but the loaded modules and caches) and
    import the sale pages and the orders window."""
    from app.checkout import buyerrules, countries

    try:
        import cryptography.hazmat.primitives.asymmetric.padding
        import cryptography.x509  # noqa: F401  (the first card payment's encryption, app.partner.cardcrypto)

        import app.gui.orders.window
        import app.gui.sale.flow  # noqa: F401  (loaded for the first sale, nothing else)

        countries.country_names()
        countries.regions("US")
        buyerrules.email_error("name@example.com")
        buyerrules.phone_error("212-867-5309", "US")
    except Exception:  # a warm-up that fails costs nothing: the first real check will say what is wrong
        log.debug("warming up the buyer rules failed", exc_info=True)


def warm_up_later(delay: float = IDLE_DELAY_SECONDS) -> None:
    """Start ``warm_up`` on a daemon thread ``delay`` seconds from now (on the running loop)."""

    def start() -> None:
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    asyncio.get_running_loop().call_later(delay, start)
