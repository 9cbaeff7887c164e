"""The sandbox's shared state: one object that every handler and tester control reads.

``SandboxContext`` owns the clock, the scenario, the account's whitelists, the fixture events and
their inventory, carts, orders, quotas, polling, the request log and the captcha, OAuth and wallet
services. ``reset`` puts everything but the account back to the fixtures and the start-up
scenario; the RSA key and certificate are made once per process (generating them is the slow part)
and survive resets. With ``config.state_file`` the context also has a memory (``app.sandbox.memory``):
it takes back what the last run left, ``remember()`` writes the state down after every change the
services report, and a reset forgets it.
"""

from __future__ import annotations

import random
import threading

from .account import Whitelist
from .billing import MemberWallet
from .captcha import CaptchaService
from .carts import CartStore
from .clock import SandboxClock
from .config import SandboxConfig
from .fixtures import Event, build_events
from .inventory import Inventory
from .memory import SandboxMemory
from .oauth import OAuthService
from .orders import OrderBook
from .payment import PaymentProcessor
from .polling import PollingDesk
from .quota import Quotas
from .requestlog import RequestLog
from .scenario import Scenario
from .wallet import WalletService


class SandboxContext:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock()
        self.scenario = Scenario()
        self.log = RequestLog(echo=config.access_log)
        self.quotas = Quotas()
        self.payment = PaymentProcessor(config, self.clock)
        self.captcha = CaptchaService(config, self.clock)
        self.oauth = OAuthService(config, self.clock)
        self.wallet = WalletService(config, self.clock)
        self.whitelist = Whitelist(config)  # the account's captcha domains and logo hosts; kept over resets
        self.captcha.set_required_lookup(self.captcha_required)
        self.lock = threading.RLock()
        self.rng = random.Random(config.seed)
        self.memory = SandboxMemory.open(config.state_file) if config.state_file else None
        self.port = self.remembered_port = 0  # the one it listens on, once bound (``listening_on``)
        # _reset() applies the start-up scenario (command-line flags); a bad flag fails loudly here.
        self._reset()
        self.remembered_port = self._restore()
        self.oauth.tokens.on_change = self.remember  # only now: nothing of the start may overwrite the memory

    def reset(self) -> None:
        """Fixtures and the start-up scenario back; the memory, if any, forgets the past runs."""
        self._reset()
        self.remember()

    def _restore(self) -> int:
        """Take back what the last run left in the memory; answers the port it listened on (0: none)."""
        if self.memory is None:
            return 0
        saved = self.memory.load(self.config.seed)
        with self.lock:
            self.orders.restore(list(saved.get("orders", [])))
            self.oauth.tokens.restore_refresh(list(saved.get("refresh_tokens", [])))
            self.members.restore(dict(saved.get("billing", {})))
        port = saved.get("port")
        return port if isinstance(port, int) and 0 < port < 65536 else 0

    def listening_on(self, port: int) -> None:
        self.port = port
        self.remember()

    def remember(self) -> None:
        """Write the state down (orders, refresh tokens, saved billing methods, port) if there is a memory."""
        if self.memory is None:
            return
        with self.lock:
            data = {"seed": self.config.seed, "port": self.port or self.remembered_port,
                    "orders": self.orders.saved(), "refresh_tokens": self.oauth.tokens.saved_refresh(),
                    "billing": self.members.saved()}
        self.memory.save(data)

    def close(self) -> None:
        """Let go of the memory (another sandbox may take it)."""
        if self.memory is not None:
            self.memory.close()

    def _reset(self) -> None:
        with self.lock:
            self.clock.set_offset(0.0)
            self.scenario.reset()
            self.rng = random.Random(self.config.seed)
            self.events: dict[str, Event] = build_events(self.config.seed, self.clock.now())
            self.inventory = Inventory(self.events)
            self.carts = CartStore(self)
            self.orders = OrderBook(self)
            self.members = MemberWallet(self)
            self.polling = PollingDesk(self)
            self.quotas.reset()
            self.payment.reset()
            self.captcha.reset()
            self.oauth.reset()
            self.wallet.reset()
            self.log.clear()
            if self.config.scenario:
                self.apply_scenario(dict(self.config.scenario))

    def apply_scenario(self, changes) -> dict:
        """Validate all of ``changes`` first, then apply them; answers the resulting scenario."""
        validated = self.scenario.validate(changes)
        with self.lock:
            self.scenario.apply(validated)
            if "clock_offset_seconds" in validated:
                self.clock.set_offset(validated["clock_offset_seconds"])
            if "now" in validated:
                self.clock.set_now(validated["now"])
            if "token_lifetime" in validated:
                self.oauth.set_token_lifetime(validated["token_lifetime"])
            if validated.get("rotate_site_key"):
                self.captcha.rotate_site_key()
            if validated.get("revoke_member_tokens"):
                self.oauth.revoke_tokens()
        return self.scenario_view()

    def scenario_view(self) -> dict:
        view = self.scenario.snapshot()
        view["clock_offset_seconds"] = round(self.clock.offset_seconds, 3)
        view["now"] = self.clock.now().isoformat(timespec="seconds").replace("+00:00", "Z")
        view["site_key"] = self.captcha.site_key
        return view

    # ----- lookups the services share --------------------------------------------------------
    def event(self, event_id: str) -> Event | None:
        return self.events.get(event_id)

    def captcha_required(self, event_id: str) -> bool | None:
        event = self.events.get(event_id)
        if event is None:
            return None
        return event.captcha or bool(self.scenario.get("captcha_required"))
