"""One-time sign-in links for the managers' web page (no Starlette here: the bot uses it too)."""

from __future__ import annotations

import secrets

from bot.config import DEFAULT_WEB_PORT, Settings
from bot.store.web import WebRepository

SIGN_IN_PATH = "/signin/"


def new_secret() -> str:
    """A random, URL-safe secret for a link or a session (256 bits)."""
    return secrets.token_urlsafe(32)


def public_base_url(settings: Settings) -> str:
    """The address managers open: WEB_PUBLIC_URL, or the local host and port."""
    if settings.web_public_url:
        return settings.web_public_url.rstrip("/")
    host = "127.0.0.1" if settings.web_host in ("0.0.0.0", "::", "") else settings.web_host  # noqa: S104
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.web_port or DEFAULT_WEB_PORT}"


async def new_sign_in_link(web: WebRepository, manager_id: int, base_url: str) -> str:
    """A link that signs this manager in once, within ten minutes; only its hash is stored."""
    token = new_secret()
    await web.add_sign_in_link(token, manager_id)
    return f"{base_url.rstrip('/')}{SIGN_IN_PATH}{token}"
