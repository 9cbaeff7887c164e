"""The station: one object the window and the command line both drive.

``Station`` builds the ``PartnerClient`` from the stored settings and secrets, or from explicit
``BackendOverrides`` given on the command line, or starts the embedded sandbox when the backend is
"sandbox" — through the factory it was handed (the sandbox seam, see ``backends``: the core never
imports ``app.sandbox``). ``start()`` then writes into the journal any completed order an earlier
run could not write there (the backlog's spool, see ``app.storage.backlog``), runs start-up
recovery (carts a crashed run left held are deleted; see ``recovery``) and returns what it did.
While orders wait for the journal, the station retries writing them every few seconds, and once
more when it closes (``catchup``). ``new_sale()`` creates a ``CheckoutSession``; the read-only calls (events,
details, captcha, orders) pass through; availability goes through ``seats`` (its budget, the
sale rule and the answer's age: ``availbudget``); ``find_event`` opens the event the cashier
named (``eventref``); ``seating_chart`` fetches a venue's chart picture (kept while the station
runs). ``close()`` stops everything, abandoning the sales the abandon policy lets go
(``CheckoutSession.can_abandon``). Every method that talks to the network is async; the object
belongs to one asyncio loop.

The settings panel drives three more: ``test_connection(settings, credentials)`` tries values that
are not saved yet (``connectiontest``: ``app.partner.probe``, with a temporary embedded sandbox when
the sandbox is asked for and none runs); ``apply_settings(settings, credentials)`` saves them (secrets to the keychain)
and moves the station onto them without a restart — a new client, the embedded sandbox started or
stopped, the sandbox account's whitelists set (``backends.sandbox_whitelist``), recovery run for
the new backend — refused with ``SaleStillOpen`` while a sale is not finished (changes that need
no new connection, such as the station's name or the logo, are saved at once); ``partner_logo``
gives the logo file (``logo``).

``members`` (``member.MemberDesk``) signs a member in and out; ``member`` is the one signed in. A
backend switch signs the member out (their tokens belong to the old provider).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.checkout.sandboxcontrols import SandboxControls
from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig
from app.partner.errors import NotFound
from app.partner.exchangelog import ExchangeLog
from app.partner.masking import Exchange
from app.partner.media import FetchedImage
from app.partner.models import (
    Availability,
    CaptchaInfo,
    CaptchaPage,
    EventDetails,
    EventSummary,
    Order,
    QuotaStatus,
    UnredeemedOrder,
)
from app.partner.probe import ProbeReport
from app.partner.transport import preload_http_stack
from app.storage import API_KEY, CLIENT_SECRET, StationStorage
from app.storage.journal import Journal, OrderRecord, Shift
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
from .catchup import JournalCatchUp
from .connectiontest import try_settings
from .eventref import EventNotFound, read_event_reference
from .holdclock import HoldClock
from .logo import cached_logo
from .member import MemberDesk, SignedInMember
from .recovery import EMBEDDED, RecoverySummary, recover_open_carts, retire_client
from .session import CheckoutSession
from .settle import SettlePolicy
from .states import CheckoutState as S

log = logging.getLogger(__name__)
PICTURES_KEPT = 16  # seating charts kept in memory (a few venues' worth)
# From the reserve to the commit or delete: no availability is asked for meanwhile.
SALE_OPEN = frozenset({S.RESERVING, S.RESERVED, S.SHIPPING_CHOSEN, S.PAID, S.COMMITTING, S.COMMIT_IN_DOUBT})


class SaleStillOpen(StationSetupError):
    """The backend cannot change while a sale is unfinished (its cart lives on the old one)."""

    def __init__(self) -> None:
        super().__init__("A sale is still open. Finish it or cancel it (releasing its seats) before changing the "
                         "backend or its credentials.")


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
        self._pictures: dict[str, FetchedImage] = {}  # seating charts by address, oldest first
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
            self.current_shift()
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
        return await try_settings(settings, credentials, secrets=self.storage.secrets, running=self.sandbox,
                                   factory=self._sandbox_factory, on_exchange=self._observe_exchange,
                                   record_exchanges=self._recording)

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
                await asyncio.to_thread(self._save, settings, credentials)
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
            await asyncio.to_thread(self._save, settings, credentials)
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

    def _save(self, settings: Settings, credentials: Credentials | None) -> None:
        secrets = ({API_KEY: credentials.api_key.strip(), CLIENT_SECRET: credentials.client_secret}
                   if credentials else {})
        try:
            self.storage.save_together(settings, secrets)
        except OSError as exc:
            raise StationSetupError(f"The settings could not be saved ({exc.strerror or exc}). Nothing was changed."
                                    ) from None

    def _whitelist(self) -> None:
        """The embedded sandbox's account whitelists what the settings ask (see ``sandbox_whitelist``)."""
        if self.sandbox is not None and self.overrides is None:
            self.sandbox.whitelist(**sandbox_whitelist(self.settings))

    async def partner_logo(self, formats: Iterable[str], url: str | None = None) -> Path | None:
        """The logo file for ``url`` (default: the settings' logo URL), None when there is none;
        ``logo.LogoProblem`` with a plain sentence when it cannot be had."""
        settings = self.settings
        url = (settings.logo_url if url is None else url).strip()
        if not url:
            return None
        return await cached_logo(url, self.storage.paths.logo_dir, formats=formats,
                                 timeout=settings.request_timeout_seconds, ca_bundle=settings.ca_bundle or None,
                                 https_proxy=settings.https_proxy)

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
        self._whitelist()

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
    def new_sale(self, event_id: str, *, event_name: str = "", hold_clock: HoldClock | None = None) -> CheckoutSession:
        """A new sale on ``event_id``; ``hold_clock`` counts its holds (a monotonic ``HoldClock`` by default)."""
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
        session.describe_event(station_name=self.settings.station_name)
        self._sessions = [s for s in self._sessions if not s.state.terminal or s.cleaning_up]
        self._sessions.append(session)
        return session

    def _client(self) -> PartnerClient:
        if self.client is None:
            raise StationSetupError("The station is not started.")
        return self.client

    # ----- pass-throughs -----------------------------------------------------------------------
    async def events(self) -> tuple[EventSummary, ...]:
        return await self._client().events()

    async def event_details(self, event_id: str) -> EventDetails:
        return await self._client().event_details(event_id)

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

    async def find_event(self, text: str) -> EventDetails:
        """The event ``text`` names (an id, a venue code with its host, a Ticketmaster address:
        ``eventref``), listed in ``/events`` or not. ``EventReferenceProblem`` when ``text`` names no
        event, ``EventNotFound`` when the service knows none by that name."""
        reference = read_event_reference(text)
        client = self._client()
        try:
            event_id = reference.event_id
            if event_id is None:
                event_id = await client.event_id_for(reference.event_code or "", reference.event_host or "")
            return await client.event_details(event_id)
        except NotFound:
            raise EventNotFound(f"The ticketing service knows no {reference.words()}. Check what was typed.") from None

    async def seating_chart(self, details: EventDetails) -> FetchedImage | None:
        """The venue's seating chart picture (None when the event names none); fetched once per
        address while the station runs. A picture that cannot be had raises the client's error."""
        chart = details.venue.seating_chart
        if chart is None:
            return None
        picture = self._pictures.get(chart.location)
        if picture is None:
            picture = await self._client().picture(chart.location)
            if len(self._pictures) >= PICTURES_KEPT:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[chart.location] = picture
        return picture

    async def captcha_info(self, event_id: str) -> CaptchaInfo:
        """Is a captcha required for this event, and its current site key (never cached)."""
        return await self._client().captcha(event_id)

    async def captcha_page(self, event_id: str) -> CaptchaPage:
        return await self._client().captcha_page(event_id)

    async def order(self, order_token: str) -> Order:
        return await self._client().order(order_token)

    async def unredeemed_orders(self, *, days_from_purchase: int | None = None,
                                days_before_event: int | None = None) -> tuple[UnredeemedOrder, ...]:
        return await self._client().unredeemed_orders(days_from_purchase=days_from_purchase,
                                                      days_before_event=days_before_event)

    async def delete_cart(self, event_id: str, cart_id: str) -> bool:
        """Release a cart by hand; False when the server holds no such cart (already gone)."""
        deleted = await self._client().delete_cart(event_id, cart_id)
        if deleted:
            self.journal.log_recovery(
                "cart_deleted", f"Cart deleted by hand for {event_id}.", event_id=event_id, cart_id=cart_id
            )
        return deleted

    def journal_orders(self, limit: int = 100) -> list[OrderRecord]:
        """The station's orders, newest first: those still waiting for the journal, then the journal's."""
        waiting = list(reversed(self.storage.backlog.pending()))
        return (waiting + self.journal.orders(limit))[:limit]

    # ----- shifts ------------------------------------------------------------------------------
    def current_shift(self) -> Shift:
        """The shift open now; one opens when none is (the first start, or after "Close shift")."""
        return self.journal.open_shift(station_name=self.settings.station_name, opened_by=self.settings.station_user)

    def shift_orders(self, shift: Shift) -> list[OrderRecord]:
        """A shift's orders, oldest first; for the open shift, with those still waiting for the journal."""
        orders = self.journal.orders_of_shift(shift.id)
        if shift.is_open:
            known = {o.order_token for o in orders if o.order_token}
            orders += [o for o in self.storage.backlog.pending()
                       if o.shift_id in (0, shift.id) and (not o.order_token or o.order_token not in known)]
        return orders

    def close_shift(self) -> tuple[Shift, list[OrderRecord], Shift]:
        """Close the shift open now and open the next: the closed shift, its orders, the new shift."""
        closing = self.current_shift()
        orders = self.shift_orders(closing)
        closed = self.journal.close_shift(closing.id)
        return closed, orders, self.current_shift()

    @property
    def quota(self) -> QuotaStatus:
        return self._client().quota

    @property
    def start_report(self) -> list[str]:
        """What this start did about the last run's unfinished business (carts released, commits
        settled, orders written that had waited for the journal), one sentence each."""
        return self._catch_up.notices + self.recovery.lines

    @property
    def notices(self) -> list[str]:
        """Plain sentences to show at start-up: storage notices, then what recovery did."""
        return self.storage.notices + self._catch_up.notices + self.recovery.lines
