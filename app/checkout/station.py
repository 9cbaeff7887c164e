"""The station: one object the window and the command line both drive.

``Station`` builds the ``PartnerClient`` from the stored settings and secrets, or from explicit
``BackendOverrides`` given on the command line, or starts the embedded sandbox when the backend is
"sandbox" — through the factory it was handed (the sandbox seam, see ``backends``: the core never
imports ``app.sandbox``). ``start()`` then writes into the journal any completed order an earlier
run could not write there (the backlog's spool, see ``app.storage.backlog``), runs start-up
recovery (carts a crashed run left held are deleted; see ``recovery``) and returns what it did.
While orders wait for the journal, the station retries writing them every few seconds, and once
more when it closes (``catchup``). ``new_sale()`` creates a ``CheckoutSession``. Its parts:
``counter`` (``counter.ServiceCounter``) asks the read-only questions (events, details, captcha,
orders, the seating chart, the event the cashier named); ``books`` (``books.StationBooks``) reads
the journal's orders and the shifts; ``members`` (``member.MemberDesk``) signs a member in and out
(``member`` is the one signed in; a backend switch signs them out). Availability goes through
``seats`` (its budget, the sale rule and the answer's age: ``availbudget``). ``close()`` stops
everything, abandoning the sales the abandon policy lets go (``CheckoutSession.can_abandon``).
Every method that talks to the network is async; the object belongs to one asyncio loop.

The settings panel drives ``test_connection``, ``apply_settings`` (the station moves onto new
settings without a restart; ``SaleStillOpen`` while a sale is unfinished), and ``settings_keeper``
(``stationsettings.SettingsKeeper``) gives the partner's logo.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from app.checkout.sandboxcontrols import SandboxControls
from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig
from app.partner.exchangelog import ExchangeLog
from app.partner.masking import Exchange
from app.partner.models import Availability, QuotaStatus
from app.partner.probe import ProbeReport
from app.partner.transport import preload_http_stack
from app.storage import StationStorage
from app.storage.journal import Journal
from app.storage.journalfaults import JournalError
from app.storage.runlock import RunLock
from app.storage.settings import Backend, Settings

from .availbudget import AvailabilityAnswer, AvailabilityBudget, AvailabilityDesk, BudgetFigures
from .backends import (
    BackendOverrides,
    Credentials,
    LocalSandbox,
    SandboxFactory,
    StationSetupError,
    overrides_for,
    partner_config,
    sandbox_whitelist,
)
from .books import StationBooks
from .catchup import JournalCatchUp
from .counter import ServiceCounter
from .holdclock import HoldClock
from .member import MemberDesk, SignedInMember
from .recovery import EMBEDDED, RecoverySummary, recover_open_carts, retire_client
from .session import CheckoutSession
from .settle import SettlePolicy
from .states import CheckoutState as S
from .stationsettings import SaleStillOpen, SettingsKeeper

log = logging.getLogger(__name__)
# From the reserve to the commit or delete: no availability is asked for meanwhile.
SALE_OPEN = frozenset({S.RESERVING, S.RESERVED, S.SHIPPING_CHOSEN, S.PAID, S.COMMITTING, S.COMMIT_IN_DOUBT})


class Station:
    """One box-office station: its storage, its backend, its sales (see the module docstring).

    ``storage`` defaults to the station folder (``BOXOFFICE_HOME`` or the platform's folders).
    ``overrides`` (command line) win over the stored settings; ``backend`` replaces the stored
    backend choice. ``sandbox`` is the factory for the embedded sandbox (the seam); every exchange with
    the service, masked, goes to ``exchanges`` (the session's ``ExchangeLog``: the request
    inspector's feed, once it records) and to ``on_exchange`` when given;
    ``settle_policy`` is how a commit in doubt is settled (``settle.SettlePolicy``)."""

    def __init__(
        self,
        storage: StationStorage | None = None,
        *,
        overrides: BackendOverrides | None = None,
        backend: Backend | None = None,
        force_polling: bool = False,
        on_exchange: Callable[[Exchange], None] | None = None,
        sandbox: SandboxFactory | None = None,
        settle_policy: SettlePolicy | None = None,
    ) -> None:
        self.storage = storage or StationStorage()
        self.overrides = overrides
        self._backend = backend
        self._force_polling = force_polling
        self._on_exchange = on_exchange
        self.seat_desk: AvailabilityDesk | None = None  # availability within its budget (``availbudget``)
        self.exchanges = ExchangeLog()
        self._sandbox_factory = sandbox
        self.settle_policy = settle_policy or SettlePolicy()
        self.sandbox: LocalSandbox | None = None
        self._local_sandbox_url = ""  # a sandbox running elsewhere (``for_sandbox``)
        self.client: PartnerClient | None = None
        self.run_lock: RunLock | None = None
        self.recovery: RecoverySummary = RecoverySummary()
        self.backend_id = ""  # where carts live: the Partner API URL, or "embedded"
        self._sessions: list[CheckoutSession] = []
        self._catch_up = JournalCatchUp(self.storage.backlog)
        self.members = MemberDesk(self._client, self.storage.secrets, lambda: self.settings.logo_url)
        self.counter = ServiceCounter(self._client, lambda: self.storage.journal)
        self.books = StationBooks(self.storage, self._catch_up, lambda: self.recovery)
        self.settings_keeper = SettingsKeeper(self.storage, sandbox, self._observe_exchange, self._recording)

    def _recording(self) -> bool:
        return self.exchanges.recording or self._on_exchange is not None

    def _observe_exchange(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        if self._on_exchange is not None:
            self._on_exchange(exchange)

    # ----- life cycle --------------------------------------------------------------------------
    @property
    def journal(self) -> Journal:
        return self.storage.journal

    @property
    def settings(self) -> Settings:
        return self.storage.settings

    @classmethod
    def for_sandbox(cls, sandbox: LocalSandbox, storage: StationStorage | None = None, **kwargs: Any) -> Station:
        """A station on an already running local sandbox (tests); ``close()`` leaves it running."""
        station = cls(storage, overrides=overrides_for(sandbox), **kwargs)
        # Only its address: the sandbox object itself (and the payments it holds, as a processor
        # would) must not become reachable from this station's sales.
        station._local_sandbox_url = sandbox.base_url
        return station

    def sandbox_controls(self) -> SandboxControls | None:
        """The tester's controls when sales go to a local sandbox (started here or handed in with
        ``for_sandbox``); None for production or a custom backend."""
        url = self.sandbox.base_url if self.sandbox is not None else self._local_sandbox_url
        if not url or self.client is None:
            return None
        return SandboxControls(url)

    @property
    def backend_label(self) -> str:
        """Where sales go, in words for the status bar."""
        if self.overrides is not None:
            return f"Partner API at {self.partner_config().partner_base_url}"
        if self.sandbox is not None:
            return f"Embedded sandbox at {self.sandbox.base_url}"
        if self.backend == "production":
            return "Production (Ticketmaster Partner API)"
        return f"Custom: {self.settings.custom_partner_url}"

    async def start(self, *, recover: bool = True) -> RecoverySummary:
        """Connect (starting the embedded sandbox if needed), then run start-up recovery."""
        await asyncio.to_thread(preload_http_stack)
        config = self.partner_config() if self._needs_no_sandbox() else None
        if config is None:
            await self._start_sandbox()
            config = self.partner_config()
        self._use(self._client_for(config))
        self.run_lock = RunLock(self.storage.paths.data_dir)
        self.backend_id = EMBEDDED if self.sandbox is not None else config.partner_base_url
        if recover:
            await self._catch_up.replay()
            await self._recover()
        # The shift the coming sales belong to (kept open across restarts until closed). A journal
        # that cannot be written says so by its own notice; sales still go on (see ``SaleRecord``).
        with contextlib.suppress(JournalError):
            self.books.current_shift()
        return self.recovery

    def _client_for(self, config: PartnerConfig) -> PartnerClient:
        try:
            config.check_security()
        except Exception as exc:
            raise StationSetupError(str(exc)) from None
        if not config.api_key:
            raise StationSetupError("No API key is set for this backend. Enter it in Settings.")
        return PartnerClient(config, on_exchange=self._observe_exchange, record_exchanges=self._recording)

    def _use(self, client: PartnerClient) -> None:
        """Talk through ``client`` from now on; availability goes through a desk of its own (its
        budget is this API key's: a new backend or key starts a new one)."""
        self.client = client
        self.seat_desk = AvailabilityDesk(
            lambda event_id: client.availability(event_id, fresh=True),
            AvailabilityBudget(self.settings.availability_stations_per_key),
            sale_open=self._sale_open, key_quota=lambda: client.quota.availability,
            max_age_seconds=self.settings.availability_cache_seconds,
        )

    async def _recover(self) -> None:
        assert self.client is not None and self.run_lock is not None
        self.recovery = await recover_open_carts(
            self.client, self.journal, self.run_lock, self.backend_id, sold=self.storage.backlog.source_accounts()
        )

    # ----- the settings panel ------------------------------------------------------------------
    @property
    def sale_open(self) -> bool:
        """Whether a sale is unfinished (reserving, holding a cart, paying, committing, in doubt)."""
        return any(not s.state.terminal for s in self._sessions)

    async def test_connection(self, settings: Settings, credentials: Credentials | None = None) -> ProbeReport:
        """Try ``settings`` with ``credentials`` (nothing is saved, no seat held); see ``connectiontest``."""
        return await self.settings_keeper.test_connection(settings, credentials, self.sandbox)

    async def apply_settings(self, settings: Settings, credentials: Credentials | None = None) -> bool:
        """Save ``settings`` (and ``credentials``: the keychain) and move onto them at once (see the
        module docstring). Nothing changes when the new backend cannot be set up. True when the
        station now talks to another backend or with other credentials; False when they were saved
        in place (no new connection was needed, so an open sale goes on)."""
        old_client, old_sandbox = self.client, self.sandbox
        sandbox = old_sandbox if settings.backend == "sandbox" else None
        if old_client is not None and self.overrides is None and (settings.backend != "sandbox" or sandbox is not None):
            try:
                same = old_client.config == partner_config(
                    settings, self.storage.secrets, overrides=None, backend=settings.backend, sandbox=sandbox,
                    force_polling=self._force_polling, credentials=credentials)
            except StationSetupError:
                same = False
            if same:  # a station name, a logo, a whitelist: no new connection, so no need to end a sale
                await self.settings_keeper.save(settings, credentials)
                self._whitelist()
                return False
        if self.sale_open:
            raise SaleStillOpen()
        started = None
        if settings.backend == "sandbox" and sandbox is None:
            if self._sandbox_factory is None:
                raise StationSetupError("The embedded sandbox is not available here. Choose another backend.")
            started = sandbox = self._sandbox_factory()
            await asyncio.to_thread(started.start)
        try:
            config = partner_config(settings, self.storage.secrets, overrides=None, backend=settings.backend,
                                    sandbox=sandbox, force_polling=self._force_polling, credentials=credentials)
            client = self._client_for(config)
            await self.settings_keeper.save(settings, credentials)
        except BaseException:
            if started is not None:
                await asyncio.to_thread(started.stop)
            raise
        self.overrides, self._backend = None, None  # from now on the station follows its settings
        self._use(client)
        self.sandbox = sandbox
        self.members.forget()  # the member signed in with the old backend's provider
        self.backend_id = EMBEDDED if sandbox is not None else config.partner_base_url
        self._sessions = [s for s in self._sessions if s.cleaning_up]
        if old_client is not None and old_client is not client:
            await retire_client(old_client, self.journal, self.run_lock.run_id if self.run_lock else None)
        if old_sandbox is not None and old_sandbox is not sandbox:
            await asyncio.to_thread(old_sandbox.stop)
        self._whitelist()
        if self.run_lock is not None:
            await self._recover()
        return True

    def _whitelist(self) -> None:
        """The embedded sandbox's account whitelists what the settings ask (see ``sandbox_whitelist``)."""
        if self.sandbox is not None and self.overrides is None:
            self.sandbox.whitelist(**sandbox_whitelist(self.settings))

    @property
    def orders_waiting_for_journal(self) -> int:
        """Completed orders the journal has not taken yet (kept in the spool or in memory)."""
        return self._catch_up.waiting

    def _needs_no_sandbox(self) -> bool:
        return self.overrides is not None or self.backend != "sandbox"

    @property
    def backend(self) -> Backend:
        return self._backend or self.settings.backend

    async def _start_sandbox(self) -> None:
        if self._sandbox_factory is None:
            raise StationSetupError("The embedded sandbox is not available here. Choose another backend in Settings.")
        sandbox = self._sandbox_factory()
        await asyncio.to_thread(sandbox.start)
        self.sandbox = sandbox
        await asyncio.to_thread(self._whitelist)  # a sandbox in a child process answers over HTTP

    def partner_config(self) -> PartnerConfig:
        """Where and how the client talks, from the overrides, the running sandbox or the settings."""
        return partner_config(self.settings, self.storage.secrets, overrides=self.overrides, backend=self.backend,
                              sandbox=self.sandbox, force_polling=self._force_polling)

    @property
    def member(self) -> SignedInMember | None:
        """The signed-in member (``members``: sign in and out), None when nobody is."""
        return self.members.current

    async def close(self) -> None:
        """Abandon unfinished sales (releasing their seats), close the client, stop the sandbox."""
        for session in list(self._sessions):
            if session.can_abandon:
                try:
                    await session.abandon()
                except Exception:
                    log.exception("abandoning a sale at close failed")
            await session.wait_for_cleanup()  # a cart deleted because its hold ran out
            session.flush_journal()  # a write still waiting for the sale's next request, before the journal closes
        self._sessions.clear()
        await self._catch_up.close()
        if self.client is not None:
            await retire_client(self.client, self.journal, self.run_lock.run_id if self.run_lock else None)
            self.client = None
        if self.sandbox is not None:
            await asyncio.to_thread(self.sandbox.stop)
            self.sandbox = None
        if self.run_lock is not None:
            self.run_lock.release()
            self.run_lock = None
        self.storage.close()

    async def __aenter__(self) -> Station:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ----- sales -------------------------------------------------------------------------------
    def new_sale(self, event_id: str, *, event_name: str = "", hide_row_seat: bool = False,
                 hold_clock: HoldClock | None = None) -> CheckoutSession:
        """A new sale on ``event_id``; ``hide_row_seat``: the event's ``locRowSeatRestrict`` (its
        availability says), so the journal keeps no row or seat of it from the reserve on;
        ``hold_clock`` counts its holds (a monotonic ``HoldClock`` by default)."""
        session = CheckoutSession(
            self._client(),
            self.journal,
            event_id,
            event_name=event_name,
            station_user=self.settings.station_user,
            run_id=self.run_lock.run_id if self.run_lock else "",
            backend=self.backend_id,
            backlog=self.storage.backlog,
            on_order_kept=self._catch_up.schedule,
            settle_policy=self.settle_policy,
            hold_clock=hold_clock,
            tracking=self.settings.tracking,
        )
        session.describe_event(station_name=self.settings.station_name, hide_row_seat=hide_row_seat)
        self._sessions = [s for s in self._sessions if not s.state.terminal or s.cleaning_up]
        self._sessions.append(session)
        return session

    def _client(self) -> PartnerClient:
        if self.client is None:
            raise StationSetupError("The station is not started.")
        return self.client

    # ----- availability (the rest of the read-only calls: ``counter``) ---------------------------
    async def seats(self, event_id: str, *, refresh: bool = False) -> AvailabilityAnswer:
        """The seats of ``event_id`` and when they were fetched, asked for only within the budget
        and never while a sale is between its reserve and its commit or delete (``availbudget``)."""
        desk = self.seat_desk
        if self.client is None or desk is None:
            raise StationSetupError("The station is not started.")
        return await desk.seats(event_id, refresh=refresh)

    async def availability(self, event_id: str) -> Availability:
        return (await self.seats(event_id)).availability

    def availability_budget(self) -> BudgetFigures | None:
        """This station's availability requests left this hour (None before the station started)."""
        return self.seat_desk.budget.figures() if self.seat_desk is not None else None

    def _sale_open(self) -> bool:
        """A sale of this station is between its reserve and its commit or delete."""
        return any(s.state in SALE_OPEN or s.cleaning_up or s.releasing for s in self._sessions)

    @property
    def quota(self) -> QuotaStatus:
        return self._client().quota
