"""Stable serialisations the ledger and the importers hash.

Canonical JSON: UTF-8, keys sorted, no whitespace (``separators=(",", ":")``), ``ensure_ascii=False``; every value
is a string, an integer or null: money as a string with exactly two decimals ("1200.00"), dates as ISO 8601
("2026-05-01"), UUIDs as 32 lowercase hex digits, foreign keys as the referenced row's integer id. A record's
content is what a notice publishes about it (its identity, version chain and every field it states); columns the
platform itself maintains (`is_current`, `published_at`, `import_job`, `created_at`, and a project's lifecycle
columns, which are copies of its events' facts) are left out, so a correction or a project stage never breaks an
old hash.

Natural keys: the SHA-256 of the natural-key fields joined by U+001F (a separator no cell contains), truncated to
128 bits and used as a UUID, so a fact imported twice conflicts in a unique index instead of being duplicated.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal

UNIT_SEPARATOR = "\x1f"
# Crockford's base32: no I, L, O or U, so a code copied from a bulletin board by hand is hard to get wrong.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: unique among a city's notices by a wide margin, short enough to type from a photo
_CODE_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def natural_key_hex(*parts: object) -> str:
    """32 hex digits naming the fact stated by `parts` (already normalised strings/ints)."""
    joined = UNIT_SEPARATOR.join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def natural_key(*parts: object) -> uuid.UUID:
    return uuid.UUID(hex=natural_key_hex(*parts))


def version_key(lineage: uuid.UUID, version: int) -> uuid.UUID:
    """The natural key of a correction version: derived from the record's lineage, so versions never collide."""
    return natural_key("version", lineage.hex, version)


# ---- natural keys of the four record types -------------------------------------------------------------------

def payment_natural_key_bytes(*, household_id: int, fund_item: str, period: str, amount: str, paid_on: str,
                              bank_card: str) -> bytes:
    """Household + item + period + amount + paid date + card: the same payment listed twice is one payment.
    natural_key_hex("payment", …) as its 16 bytes, spelt out: an import computes a million (no generic join)."""
    text = f"payment\x1f{household_id}\x1f{fund_item}\x1f{period}\x1f{amount}\x1f{paid_on}\x1f{bank_card}"
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def payment_natural_key_hex(*, household_id: int, fund_item: str, period: str, amount: str, paid_on: str,
                            bank_card: str) -> str:
    """The same key as 32 hex digits (hand entry): one definition, so a payment entered by hand and then found in
    a bank list is one payment."""
    return payment_natural_key_bytes(household_id=household_id, fund_item=fund_item, period=period, amount=amount,
                                     paid_on=paid_on, bank_card=bank_card).hex()


def transaction_natural_key_hex(*, account_id: int, occurred_on: str, voucher_number: str, direction: str,
                                amount: str, balance: str | None, counterparty: str, purpose: str) -> str:
    return natural_key_hex("transaction", account_id, occurred_on, voucher_number, direction, amount,
                           balance or "", counterparty, purpose)


def allocation_natural_key_hex(*, level: str, document_number: str, fund_type: str, recipient_kind: str,
                               region_id: int, project_id: int | None, amount: str, allocated_on: str) -> str:
    return natural_key_hex("allocation", level, document_number, fund_type, recipient_kind, region_id,
                           project_id or "", amount, allocated_on)


def project_natural_key_hex(*, code: str, village_id: int, name: str, budget: str) -> str:
    """A project code names a project; without one, the village + name + budget do."""
    if code:
        return natural_key_hex("project", code)
    return natural_key_hex("project", "", village_id, name, budget)


# ---- record content ------------------------------------------------------------------------------------------

def _version_fields(record) -> dict:
    return {
        "id": record.pk,
        "lineage": record.lineage.hex,
        "version": record.version,
        "supersedes": record.supersedes_id,
        "correction_reason": record.correction_reason,
    }


def allocation_content(a) -> dict:
    return {
        "type": "allocation", **_version_fields(a),
        "level": a.level, "document_number": a.document_number, "fund_type": a.fund_type,
        "amount": money(a.amount), "recipient_kind": a.recipient_kind, "recipient_name": a.recipient_name,
        "region": a.region_id, "project": a.project_id, "allocated_on": day(a.allocated_on), "purpose": a.purpose,
    }


def project_content(p, events: list | None = None) -> dict:
    """The project's arrangement plus the lifecycle events that existed when it was published.

    Approval, filing, tender, start, acceptance and maintenance are facts of events (ProjectEvent.facts), not of
    the row: a project published at application stage keeps its hash while it moves on.
    """
    return {
        "type": "project", **_version_fields(p),
        "code": p.code, "name": p.name, "village": p.village_id, "project_type": p.project_type,
        "budget": money(p.budget), "content": p.content,
        "events": [event_content(e) for e in (events or [])],
    }


def event_content(e) -> dict:
    return {"id": e.pk, "from": e.from_status, "to": e.to_status, "on": day(e.on_date), "note": e.note,
            "facts": e.facts}


def payment_content(p) -> dict:
    return {
        "type": "payment", **_version_fields(p),
        "household": p.household_id, "village": p.village_id, "payee_name": p.payee_name,
        "payee_id_number": p.payee_id_number, "fund_item": p.fund_item, "amount": money(p.amount),
        "period": p.period, "paid_on": day(p.paid_on), "bank_card": p.bank_card, "allocation": p.allocation_id,
    }


def transaction_content(t) -> dict:
    return {
        "type": "transaction", **_version_fields(t),
        "account": t.account_id, "village": t.village_id, "occurred_on": day(t.occurred_on),
        "voucher_number": t.voucher_number, "direction": t.direction, "amount": money(t.amount),
        "balance": money(t.balance), "counterparty": t.counterparty, "purpose": t.purpose,
    }


def notice_content(n) -> dict:
    """What a notice itself states: its scope, title, text and dates (the records are listed beside it)."""
    return {
        "id": n.pk, "kind": n.kind, "title": n.title, "scope_region": n.scope_region_id, "intro": n.intro,
        "starts_on": day(n.starts_on), "period_days": n.period_days, "issuer": n.issuer,
        "contact_phone": n.contact_phone,
    }


def content_hash(content: dict) -> str:
    return sha256_hex(canonical_json(content))


# ---- short codes ---------------------------------------------------------------------------------------------

def short_code(entry_hash: str, length: int = CODE_LENGTH) -> str:
    """The first `length` Crockford base32 digits of a SHA-256 hex digest."""
    bits = bin(int(entry_hash, 16))[2:].zfill(256)
    return "".join(CROCKFORD[int(bits[i:i + 5], 2)] for i in range(0, length * 5, 5))


def normalize_code(text: str) -> str:
    """What a person typed ('ab3k-9xq2 mz', with O for 0) as the stored code."""
    return (text or "").strip().upper().translate(_CODE_FOLD)


def format_code(code: str) -> str:
    """'AB3K9XQ2MZ' → 'AB3K9-XQ2MZ' for printing."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 8 else code


def spending_natural_key_hex(*, project_id: int, allocation_id: int, payee: str, contract_number: str,
                             invoice_number: str, paid_on: str, amount: str) -> str:
    """A project's payment to a payee under a contract and an invoice, on a date, of an amount, from an allocation:
    the same line in two spending lists is one spending."""
    return natural_key_hex("spending", project_id, allocation_id, payee, contract_number, invoice_number, paid_on,
                           amount)
