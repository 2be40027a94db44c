"""Test helpers for the machinery around the domains: Redis taken away, or the broker kept in memory."""
from __future__ import annotations

import contextlib


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_unreachable():
    """Run the block as production would with Redis down: the cache and the Celery broker point at a closed port
    and tasks go through the broker (not inline), so every promise made for a Redis failure can be checked."""
    from django.test import override_settings

    from sunshine.celery import app
    from sunshine.core import resilience, tasks

    url = f"redis://127.0.0.1:{closed_port()}/0"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    previous = app.conf.broker_url
    app.conf.broker_url = url
    app._after_fork()  # forget pooled broker connections
    resilience.cache_reset()
    tasks.broker_reset()
    try:
        with override_settings(CACHES=caches, SUNSHINE_TASKS_SYNC=False, SUNSHINE_EMBEDDED_TASKS=False):
            yield url
    finally:
        app.conf.broker_url = previous
        app._after_fork()
        resilience.cache_reset()
        tasks.broker_reset()


@contextlib.contextmanager
def broker_in_memory():
    """Run the block with the Celery broker in this process's memory (Redis "back"), tasks going through it; yields
    a function giving the number of messages waiting in a queue."""
    from django.test import override_settings

    from sunshine.celery import app
    from sunshine.core import tasks

    previous = app.conf.broker_url
    app.conf.broker_url = "memory://"
    app._after_fork()
    tasks.broker_reset()

    def waiting(queue: str) -> int:
        with app.connection_for_read() as conn:
            try:
                return conn.default_channel.queue_declare(queue, passive=True).message_count
            except Exception:  # never declared: nothing was sent to it
                return 0

    try:
        with override_settings(SUNSHINE_TASKS_SYNC=False, SUNSHINE_EMBEDDED_TASKS=False):
            yield waiting
    finally:
        with app.connection_for_write() as conn:
            for queue in ("sms", "imports", "default"):
                try:
                    conn.default_channel.queue_purge(queue)
                except Exception:
                    pass
        app.conf.broker_url = previous
        app._after_fork()
        tasks.broker_reset()
