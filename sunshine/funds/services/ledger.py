"""Appends to the tamper-evident ledger: one SHA-256 chain, serialised on its single head row."""
from __future__ import annotations

from django.db import transaction

from ..canonical import canonical_json, sha256_hex, short_code
from ..choices import LedgerKind
from ..models import LedgerEntry, LedgerHead, Notice

# A longer code is taken only if the first 10 digits were already used (odds about 1 in 2^50 per entry).
LONG_CODE_LENGTH = 13


def entry_hash(*, seq: int, kind: str, prev_hash: str, content_hash: str) -> str:
    """What an entry commits to: its place in the chain, its kind, the previous entry and its content."""
    return sha256_hex(canonical_json({"seq": seq, "kind": kind, "prev": prev_hash, "content": content_hash}))


def ledger_append(*, kind: LedgerKind | str, notice: Notice, payload: dict) -> LedgerEntry:
    """Append one entry; the caller's transaction holds the head row's lock until it commits.

    select_for_update on the one head row makes concurrent publishes wait for each other on PostgreSQL, so two of
    them can never both extend the same head (a fork); on SQLite the IMMEDIATE transaction mode (settings) already
    serialises writers.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the transaction that publishes")
    head = LedgerHead.objects.select_for_update().get(pk=1)
    payload_text = canonical_json(payload)
    content = sha256_hex(payload_text)
    seq = head.seq + 1
    digest = entry_hash(seq=seq, kind=str(kind), prev_hash=head.head_hash, content_hash=content)
    code = short_code(digest)
    if LedgerEntry.objects.filter(code=code).exists():
        code = short_code(digest, LONG_CODE_LENGTH)
    entry = LedgerEntry.objects.create(
        seq=seq, kind=kind, notice=notice, payload=payload_text, content_hash=content, prev_hash=head.head_hash,
        entry_hash=digest, code=code,
    )
    head.seq = seq
    head.head_hash = digest
    head.save(update_fields=["seq", "head_hash", "updated_at"])
    return entry
