"""The embedded Ticketmaster Partner API sandbox: a real HTTP server speaking the Partner API,
its OAuth, captcha and wallet services on loopback, with tester controls under ``/_sandbox/``.

``EmbeddedSandbox(SandboxConfig(port=0)).start()`` runs it on a background thread;
``python -m app.sandbox`` runs it in the foreground.
"""

from .config import SandboxConfig
from .runner import EmbeddedSandbox

__all__ = ["EmbeddedSandbox", "SandboxConfig"]
