"""``python -m app.sandbox`` / ``boxoffice-sandbox``: run the sandbox in the foreground.

Prints ``Sandbox listening on http://HOST:PORT`` and the credentials it accepts, then serves until
interrupted. Every scenario key of ``POST /_sandbox/scenario`` has a flag.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys

from .config import SandboxConfig
from .context import SandboxContext
from .errors import SandboxError
from .runner import bind_for, make_server, url_for


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boxoffice-sandbox", description="Run the Box Office Partner API sandbox.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one (default 8765)")
    parser.add_argument("--seed", type=int, default=1, help="fixture seed (default 1)")
    parser.add_argument("--access-log", action="store_true", help="print one line per request")
    parser.add_argument("--state-file", metavar="PATH",
                        help="remember orders, members' sign-ins and saved cards, and the port, in this file "
                             "from one run to the next (default: remember nothing)")
    creds = parser.add_argument_group("credentials")
    creds.add_argument("--api-key", default="sandbox-api-key")
    creds.add_argument("--extra-api-key", action="append", metavar="KEY",
                       help="another partner key to accept, with its own availability quota and carts (repeatable)")
    creds.add_argument("--client-id", default="sandbox-client")
    creds.add_argument("--client-secret", default="sandbox-secret")
    creds.add_argument("--redirect-uri", action="append", help="registered OAuth redirect URI (repeatable)")
    creds.add_argument("--member-email", default="member@example.com")
    creds.add_argument("--member-password", default="sandbox")
    creds.add_argument("--captcha-domain", action="append", help="whitelisted captcha domain (repeatable)")
    creds.add_argument("--logo-host", action="append", help="whitelisted logo host (repeatable)")
    scen = parser.add_argument_group("scenario (same keys as POST /_sandbox/scenario)")
    scen.add_argument("--force-polling-rounds", type=int, metavar="N")
    scen.add_argument("--polling-wait", type=int, metavar="SECONDS")
    scen.add_argument("--auto-polling", action="store_true", default=None)
    scen.add_argument("--latency-ms", type=int, metavar="MS")
    scen.add_argument("--transient-error-rate", type=float, metavar="RATE")
    scen.add_argument("--niterun", action="store_true", default=None)
    scen.add_argument("--quota-events-per-minute", type=int, metavar="N")
    scen.add_argument("--quota-availability-per-hour", type=int, metavar="N")
    scen.add_argument("--captcha-required", action="store_true", default=None)
    scen.add_argument("--next-payment-decline", type=int, choices=(20122, 20129, 20152))
    scen.add_argument("--hold-time", type=int, metavar="SECONDS")
    scen.add_argument("--token-lifetime", type=int, metavar="SECONDS")
    scen.add_argument("--rotate-site-key", action="store_true", default=None)
    scen.add_argument("--commit-fault", choices=("drop", "502", "504"))
    scen.add_argument("--required-payment-fields", metavar="A,B,C", help="comma-separated payment field names")
    scen.add_argument("--clock-offset-seconds", type=float, metavar="SECONDS")
    scen.add_argument("--now", metavar="ISO-8601", help="set the sandbox clock, e.g. 2026-12-01T05:30:00Z")
    scen.add_argument("--restrict-flags", metavar="JSON", type=json.loads,
                      help='per-event display flags, e.g. {"000051048D991EE7": {"locRowSeatRestrict": true}}')
    return parser


SCENARIO_FLAGS = ("force_polling_rounds", "polling_wait", "auto_polling", "latency_ms", "transient_error_rate",
                  "niterun", "quota_events_per_minute", "quota_availability_per_hour", "captcha_required",
                  "next_payment_decline", "hold_time", "token_lifetime", "rotate_site_key", "commit_fault",
                  "required_payment_fields", "clock_offset_seconds", "now", "restrict_flags")


def config_from(args: argparse.Namespace) -> SandboxConfig:
    scenario = {}
    for key in SCENARIO_FLAGS:
        value = getattr(args, key)
        if value is not None:
            if key == "required_payment_fields":
                value = [v.strip() for v in value.split(",") if v.strip()]
            scenario[key] = value
    config = SandboxConfig(host=args.host, port=args.port, seed=args.seed, api_key=args.api_key,
                           client_id=args.client_id, client_secret=args.client_secret,
                           member_email=args.member_email, member_password=args.member_password,
                           scenario=scenario, access_log=args.access_log, state_file=args.state_file)
    if args.extra_api_key:
        config.extra_api_keys = tuple(args.extra_api_key)
    if args.redirect_uri:
        config.redirect_uris = tuple(args.redirect_uri)
    if args.captcha_domain:
        config.captcha_domains = tuple(args.captcha_domain)
    if args.logo_host:
        config.logo_hosts = tuple(args.logo_host)
    return config


def banner(config: SandboxConfig, base_url: str) -> str:
    lines = [f"Sandbox listening on {base_url}",
             f"  Partner API   {base_url}/partners/v1   apikey={', '.join(config.api_keys)}",
             f"  OAuth         {base_url}/oauth   client_id={config.client_id} client_secret={config.client_secret}",
             f"                redirect URI(s): {', '.join(config.redirect_uris)}",
             f"  Member        {config.member_email} / {config.member_password}",
             f"  Wallet        {base_url}/wallet/v1   apiKey={', '.join(config.api_keys)}",
             f"  Captcha domain(s): {', '.join(config.captcha_domains)}   logo host(s): {', '.join(config.logo_hosts)}",
             "  Test card     DISCOVER 6011993200001006 CVV 123 (20122: 4000000000000002, 20129: 4000000000009995)",
             f"  Controls      {base_url}/_sandbox/state  /_sandbox/log  /_sandbox/scenario  /_sandbox/reset"]
    if config.scenario:
        lines.append(f"  Scenario      {json.dumps(config.scenario)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = config_from(args)
    try:
        context = SandboxContext(config)
    except SandboxError as exc:
        print(f"boxoffice-sandbox: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_for(config, context)
    except OSError as exc:
        print(f"boxoffice-sandbox: cannot listen on {config.host}:{config.port}: {exc.strerror}", file=sys.stderr)
        context.close()
        return 2
    base_url = url_for(config.host, sock.getsockname()[1])
    server = make_server(config, sock, context)
    print(banner(config, base_url), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(sockets=[sock]))
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
