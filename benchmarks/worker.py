"""What the database benchmarks share: their own PostgreSQL database, and a worker child process whose default
database is it (Django is set up once there, with the bench database as `default`), printing one JSON result line."""
from __future__ import annotations

import json
import os
import subprocess
import sys


def ensure_database(url: str) -> None:
    """CREATE DATABASE for `url` if it does not exist yet (benchmarks keep their data between runs)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_worker(module: str, *, url: str, prefix: str, args: tuple[str, ...] = ("--worker",)) -> dict:
    """Run `python -m <module> --worker` against the bench database and return the JSON after `prefix`."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "sunshine.settings.test",
           "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    proc = subprocess.run([sys.executable, "-m", module, *args], env=env, stdout=subprocess.PIPE, text=True,
                          check=True)
    for line in proc.stdout.splitlines():
        if line.startswith(prefix):
            return json.loads(line[len(prefix):])
    raise RuntimeError(f"{module} worker printed no result")
