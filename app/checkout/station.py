"""The station: one object the window and the command line both drive.

``Station`` builds the ``PartnerClient`` from the stored settings and secrets (or from explicit
``BackendOverrides`` given on the command line), or starts the embedded sandbox on a free
loopback port when the backend is "sandbox". ``start()`` then writes into the journal any
completed order an earlier run could not write there (the backlog's spool, see
``app.storage.backlog``), runs start-up recovery (carts a crashed run left held are deleted; see
``recovery``) and returns what it did. While orders wait for the journal, the station retries
writing them every few seconds, and once more when it closes. ``new_sale()``
creates a ``CheckoutSession``; the read-only calls (events, details, availability, captcha,
orders) pass through. ``close()`` stops everything. Every method that talks to the network is
async; the object belongs to one asyncio loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig
from app.partner.transport import preload_http_stack
from app.storage import API_KEY, CLIENT_SECRET, StationStorage
from app.storage.journal import OrderRecord
from app.storage.journalfaults import JournalError
from app.storage.runlock import RunLock

from .recovery import EMBEDDED, RecoverySummary, recover_open_carts, release_abandoned
from .session import CheckoutSession

log = logging.getLogger(__name__)
CATCH_UP_SECONDS = 2.0  # between tries to write kept orders into the journal


class StationSetupError(Exception):
    """The station cannot reach a backend as configured; ``str()`` says what to fix."""


@dataclass(frozen=True)
class BackendOverrides:
    """Backend given explicitly (command line), instead of the stored settings.

    ``base_url`` may be the server root (``http://127.0.0.1:8765``) or the Partner API base
    (``…/partners/v1``); OAuth and wallet URLs default to ``/oauth`` and ``/wallet/v1`` beside it.
    """

    base_url: str
    api_key: str
    oauth_url: str = ""
    wallet_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""

    def endpoints(self) -> tuple[str, str, str]:
        url = self.base_url.rstrip("/")
        if "/partners/" in urlsplit(url).path + "/":
            root = url.split("/partners/", 1)[0]
            partner = url
        else:
            root, partner = url, url + "/partners/v1"
        return (
            partner,
            (self.oauth_url or root + "/oauth").rstrip("/"),
            (self.wallet_url or root + "/wallet/v1").rstrip("/"),
        )


class Station:
    def __init__(
        self,
        storage: StationStorage | None = None,
        *,
        overrides: BackendOverrides | None = None,
        backend: str | None = None,
        force_polling: bool = False,
        on_exchange=None,
        sandbox_config=None,
    ) -> None:
        """``overrides`` (command line) wins over the stored settings; ``backend`` replaces the
        stored backend choice ("sandbox" makes the command line start the embedded sandbox)."""
        self.storage = storage or StationStorage()
        self.overrides = overrides
        self._backend = backend
        self._force_polling = force_polling
        self._on_exchange = on_exchange
        self._sandbox_config = sandbox_config
        self.sandbox = None
        self.client: PartnerClient | None = None
        self.run_lock: RunLock | None = None
        self.recovery: RecoverySummary = RecoverySummary()
        self.backend_id = ""  # where carts live: the Partner API URL, or "embedded"
        self._sessions: list[CheckoutSession] = []
        self._catch_up_task: asyncio.Task | None = None
        self._backlog_notices: list[str] = []

    # ----- life cycle --------------------------------------------------------------------------
    @property
    def journal(self):
        return self.storage.journal

    @property
    def settings(self):
        return self.storage.settings

    @classmethod
    def for_sandbox(cls, sandbox, storage: StationStorage | None = None, **kwargs) -> Station:
        """A station on an already running ``EmbeddedSandbox`` (tests); ``close()`` leaves it running."""
        return cls(
            storage,
            overrides=BackendOverrides(
                base_url=sandbox.base_url,
                api_key=sandbox.config.api_key,
                client_id=sandbox.config.client_id,
                client_secret=sandbox.config.client_secret,
                redirect_uri=sandbox.config.redirect_uris[0],
            ),
            **kwargs,
        )

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
        try:
            config.check_security()
        except Exception as exc:
            raise StationSetupError(str(exc)) from None
        if not config.api_key:
            raise StationSetupError("No API key is set for this backend. Enter it in Settings.")
        self.client = PartnerClient(config, on_exchange=self._on_exchange)
        self.run_lock = RunLock(self.storage.paths.data_dir)
        self.backend_id = EMBEDDED if self.sandbox is not None else config.partner_base_url
        if recover:
            await self._replay_backlog()
            self.recovery = await recover_open_carts(
                self.client, self.journal, self.run_lock, self.backend_id, sold=self.storage.backlog.source_accounts()
            )
        return self.recovery

    async def _replay_backlog(self) -> None:
        """Orders an earlier run could not write to the journal go there now (or wait on)."""
        backlog = self.storage.backlog
        written = await asyncio.to_thread(backlog.flush)
        left = len(backlog)
        if written:
            self._backlog_notices.append(
                f"{written} sale{'s' if written != 1 else ''} that could not be written to the journal when "
                f"{'they were' if written != 1 else 'it was'} made {'are' if written != 1 else 'is'} now in it."
            )
        if left:
            self._backlog_notices.append(
                f"{left} completed sale{'s' if left != 1 else ''} still wait{'' if left != 1 else 's'} to be written "
                "to the journal; the station keeps trying."
            )
            self._schedule_catch_up()

    def _schedule_catch_up(self) -> None:
        """Retry writing kept orders into the journal every few seconds until none is left."""
        if self._catch_up_task is None or self._catch_up_task.done():
            self._catch_up_task = asyncio.get_running_loop().create_task(self._catch_up())

    async def _catch_up(self) -> None:
        backlog = self.storage.backlog
        while len(backlog):
            await asyncio.sleep(CATCH_UP_SECONDS)
            await asyncio.to_thread(backlog.flush)

    @property
    def orders_waiting_for_journal(self) -> int:
        """Completed orders the journal has not taken yet (kept in the spool or in memory)."""
        return len(self.storage.backlog)

    def _needs_no_sandbox(self) -> bool:
        return self.overrides is not None or self.backend != "sandbox"

    @property
    def backend(self) -> str:
        return self._backend or self.settings.backend

    async def _start_sandbox(self) -> None:
        from app.sandbox import EmbeddedSandbox, SandboxConfig  # only when the sandbox is the backend

        config = self._sandbox_config or SandboxConfig(host="127.0.0.1", port=0)
        self.sandbox = EmbeddedSandbox(config)
        await asyncio.to_thread(self.sandbox.start)

    def partner_config(self) -> PartnerConfig:
        settings = self.settings
        common = dict(
            ca_bundle=settings.ca_bundle or None,
            https_proxy=settings.https_proxy,
            timeout=settings.request_timeout_seconds,
            max_polling_seconds=settings.max_polling_seconds,
            availability_cache_seconds=settings.availability_cache_seconds,
            max_quota_wait_seconds=settings.max_quota_wait_seconds,
            force_polling=self._force_polling or settings.force_polling,
        )
        if self.overrides is not None:
            o = self.overrides
            partner, oauth, wallet = o.endpoints()
            return PartnerConfig(
                partner_base_url=partner,
                api_key=o.api_key,
                oauth_base_url=oauth,
                wallet_base_url=wallet,
                client_id=o.client_id or settings.oauth_client_id,
                client_secret=o.client_secret,
                redirect_uri=o.redirect_uri or settings.redirect_uri,
                **common,
            )
        if self.backend == "sandbox":
            if self.sandbox is None:
                raise StationSetupError("The embedded sandbox is not running.")
            return PartnerConfig.for_sandbox(self.sandbox.base_url, **common)
        try:
            endpoints = dataclasses.replace(settings, backend=self.backend).endpoints()
        except ValueError as exc:
            raise StationSetupError(str(exc)) from None
        secrets = self.storage.secrets
        return PartnerConfig(
            partner_base_url=endpoints.partner_base_url,
            api_key=secrets.get(API_KEY) or "",
            oauth_base_url=endpoints.oauth_base_url,
            wallet_base_url=endpoints.wallet_base_url,
            client_id=settings.oauth_client_id,
            client_secret=secrets.get(CLIENT_SECRET) or "",
            redirect_uri=settings.redirect_uri,
            **common,
        )

    async def close(self) -> None:
        """Abandon unfinished sales (releasing their seats), close the client, stop the sandbox."""
        for session in list(self._sessions):
            if not session.state.terminal and session.state.value not in ("committing", "commit_in_doubt"):
                try:
                    await session.abandon()
                except Exception:
                    log.exception("abandoning a sale at close failed")
            await session.wait_for_cleanup()  # a cart deleted because its hold ran out
        self._sessions.clear()
        if self._catch_up_task is not None:
            self._catch_up_task.cancel()
            await asyncio.gather(self._catch_up_task, return_exceptions=True)
            self._catch_up_task = None
        if len(self.storage.backlog):
            await asyncio.to_thread(self.storage.backlog.flush)  # one last try; the spool waits for the next start
        if self.client is not None:
            if self.run_lock is not None:
                try:
                    await release_abandoned(self.client, self.journal, self.run_lock.run_id)
                except JournalError as exc:  # the next start's recovery deletes them instead
                    log.warning("abandoned carts could not be read from the journal at close (%s)", exc.kind)
            await self.client.aclose()
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

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # ----- sales -------------------------------------------------------------------------------
    def new_sale(self, event_id: str, *, event_name: str = "") -> CheckoutSession:
        session = CheckoutSession(
            self._client(),
            self.journal,
            event_id,
            event_name=event_name,
            station_user=self.settings.station_user,
            run_id=self.run_lock.run_id if self.run_lock else "",
            backend=self.backend_id,
            backlog=self.storage.backlog,
            on_order_kept=self._schedule_catch_up,
        )
        self._sessions = [s for s in self._sessions if not s.state.terminal or s.cleaning_up]
        self._sessions.append(session)
        return session

    def _client(self) -> PartnerClient:
        if self.client is None:
            raise StationSetupError("The station is not started.")
        return self.client

    # ----- pass-throughs -----------------------------------------------------------------------
    async def events(self):
        return await self._client().events()

    async def event_details(self, event_id: str):
        return await self._client().event_details(event_id)

    async def availability(self, event_id: str):
        return await self._client().availability(event_id)

    async def captcha_info(self, event_id: str):
        """Is a captcha required for this event, and its current site key (never cached)."""
        return await self._client().captcha(event_id)

    async def captcha_page(self, event_id: str):
        return await self._client().captcha_page(event_id)

    async def order(self, order_token: str):
        return await self._client().order(order_token)

    async def unredeemed_orders(self, **query):
        return await self._client().unredeemed_orders(**query)

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

    @property
    def quota(self):
        return self._client().quota

    @property
    def notices(self) -> list[str]:
        """Plain sentences to show at start-up: storage notices, then what recovery did."""
        return self.storage.notices + self._backlog_notices + self.recovery.lines
