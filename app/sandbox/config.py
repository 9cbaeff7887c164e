"""Sandbox configuration: the credentials it accepts and the scenario it starts with.

Everything a tester may want to change from the command line lives here; the defaults are the
documented sandbox credentials from the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    seed: int = 1
    api_key: str = "sandbox-api-key"
    # More partner keys the sandbox accepts (--extra-api-key): each has its own availability quota
    # and its own carts, as two partners' keys would upstream.
    extra_api_keys: tuple[str, ...] = ()
    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-secret"
    redirect_uris: tuple[str, ...] = ("http://localhost/oauth/callback",)
    member_email: str = "member@example.com"
    member_password: str = "sandbox"
    captcha_domains: tuple[str, ...] = ("boxoffice.example",)
    logo_hosts: tuple[str, ...] = ("boxoffice.example",)
    # Initial scenario values (same keys as POST /_sandbox/scenario); flags on the command line fill it.
    scenario: dict = field(default_factory=dict)
    # Print request lines to stdout (standalone runs); the embedded server stays quiet.
    access_log: bool = False
    # Where the sandbox remembers its orders, members and port from one run to the next
    # (``app.sandbox.memory``); None: it remembers nothing.
    state_file: str | None = None

    @property
    def api_keys(self) -> tuple[str, ...]:
        """Every partner key the Partner API, the captcha and the wallet service accept."""
        return (self.api_key, *(k for k in self.extra_api_keys if k != self.api_key))
