"""The embedded sandbox as a station's backend: the factory the front ends hand to ``Station``.

``Station(sandbox=embedded_sandbox)`` lets a station whose backend is "sandbox" start the embedded
sandbox (``app.sandbox``) on a free loopback port; the core only knows the seam
(``app.checkout.backends.LocalSandbox``), never the sandbox itself. ``python -m app`` and
``python -m app.cli`` pass this factory; the sandbox's modules are imported only when it is called.
"""

from __future__ import annotations

from app.checkout.backends import LocalSandbox


def embedded_sandbox() -> LocalSandbox:
    """A not yet started embedded sandbox on 127.0.0.1 and a free port (``start()`` binds it)."""
    from app.sandbox import EmbeddedSandbox, SandboxConfig  # only when the sandbox is the backend

    return EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0))
