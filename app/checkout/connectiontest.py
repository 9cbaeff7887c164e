"""Test connection for settings that are not saved yet: the configuration they would give, tried
with ``app.partner.probe`` (nothing saved, no seat held, nobody signed in).

``try_settings(settings, credentials, secrets=…, running=…, factory=…)`` builds the client
configuration the station would use (``backends.partner_config``, the typed ``credentials`` instead
of the stored ones) and probes it. For the embedded sandbox it uses the one running (``running``),
or starts a temporary one from ``factory`` for the test and stops it afterwards — a station on
another backend can try the sandbox without switching. A configuration that cannot be built is a
``ProbeReport`` with its sentence, never an exception. Its exchanges go to ``on_exchange`` (the
request inspector's feed) while ``record_exchanges()`` says so, as the station's own client's do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.partner.probe import ProbeReport, probe
from app.partner.transport import ExchangeObserver
from app.storage.secrets import SecretStore
from app.storage.settings import Settings

from .backends import Credentials, LocalSandbox, SandboxFactory, StationSetupError, partner_config

NO_SANDBOX = "The embedded sandbox is not available here. Choose another backend."


async def try_settings(settings: Settings, credentials: Credentials | None, *, secrets: SecretStore,
                        running: LocalSandbox | None, factory: SandboxFactory | None,
                        on_exchange: ExchangeObserver | None = None,
                        record_exchanges: Callable[[], bool] | None = None) -> ProbeReport:
    """What Test connection found for ``settings`` (see the module docstring)."""
    temporary: LocalSandbox | None = None
    sandbox = None
    if settings.backend == "sandbox":
        sandbox = running
        if sandbox is None:
            if factory is None:
                return ProbeReport(False, NO_SANDBOX)
            temporary = sandbox = factory()
            await asyncio.to_thread(temporary.start)
    try:
        try:
            config = partner_config(settings, secrets, overrides=None, backend=settings.backend, sandbox=sandbox,
                                    credentials=credentials)
        except StationSetupError as exc:
            return ProbeReport(False, str(exc), problem="partner")
        if not config.api_key:
            return ProbeReport(False, "No API key is set for this backend.", problem="api_key")
        return await probe(config, on_exchange=on_exchange, record_exchanges=record_exchanges)
    finally:
        if temporary is not None:
            await asyncio.to_thread(temporary.stop)
