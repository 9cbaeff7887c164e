"""The settings panel (File → Settings…, Preferences on macOS; Ctrl+,; the toolbar's Settings; every
"Check settings…"): ``controller`` wires it into the window, ``dialog`` is the panel, ``form`` and
``fields`` its fields (one table entry per setting), ``header`` the partner logo in the window's
header. Every rule and every network call is the core's (``app.storage.settingsrules``,
``app.checkout.station``, ``app.partner.probe``, ``app.checkout.logo``)."""
