"""Captcha models (partner-api.md 3.5): whether an event needs one and its site key (JSON), and the
page a person solves (HTML). The site key can change: it is read every time, never cached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.partner._models_base import flag, integer_or_none, mapping, text


@dataclass(frozen=True)
class CaptchaInfo:
    """``GET /captcha`` as JSON. The site key can change: read it every time, never cache it."""

    required: bool
    type: int | None
    site_key: str | None

    @classmethod
    def from_json(cls, data: Any, headers: Mapping[str, str] | None = None) -> CaptchaInfo:
        body = mapping(data)
        details = mapping(body.get("captcha_details"))
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        required = body.get("captcha_required")
        if required is None:
            required = lowered.get("x-tm-captcha-required")
        return cls(
            required=flag(required),
            type=integer_or_none(details.get("type")),
            site_key=text(details.get("site_key")) or lowered.get("x-tm-captcha-v2-sitekey"),
        )


@dataclass(frozen=True)
class CaptchaPage:
    """``GET /captcha`` as HTML, to be shown in a web view whose origin is the whitelisted domain."""

    html: str
    required: bool
    site_key: str | None
    stoken: str | None

    @classmethod
    def from_response(cls, html: str, headers: Mapping[str, str]) -> CaptchaPage:
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(
            html=html,
            required=flag(lowered.get("x-tm-captcha-required")),
            site_key=lowered.get("x-tm-captcha-v2-sitekey"),
            stoken=lowered.get("x-tm-captcha-v2-stoken"),
        )
