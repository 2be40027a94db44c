"""Project-wide pytest fixtures. Browser tests use Debian's Chromium (Playwright cannot download its own here)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def city(db):
    from sunshine.core.testing import build_mini_city

    return build_mini_city()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture
def login(client):
    """Log the Django test client in as one of the mini city's accounts: `login(city.accounts["township1"])`."""

    def _login(account):
        client.force_login(account)
        return client

    return _login
