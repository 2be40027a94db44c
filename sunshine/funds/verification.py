"""Checking the ledger (reads only): the chain of hashes, and every published record against its live row.

A printed notice can be checked against the platform (MISSION: "published disclosures cannot be changed
silently"): re-compute each entry's hash from its stored fields and its predecessor, then re-hash the current
content of every record the entry lists, from the live tables, and compare it with the hash committed then.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Model

from .canonical import (
    content_hash,
    notice_content,
    sha256_hex,
    short_code,
)
from .choices import LedgerKind, RecordType
from .models import (
    LedgerEntry,
    LedgerHead,
    Notice,
    ProjectEvent,
)
from .registry import record_kind, record_kind_or_none

GENESIS_HASH = "0" * 64
LONG_CODE_LENGTH = 13  # see services.ledger
FETCH_CHUNK = 2000

@dataclass(frozen=True)
class Mismatch:
    """One thing that does not match what the ledger committed to."""

    kind: str  # "chain", "entry", "notice", "record", "missing"
    seq: int | None
    code: str
    message: str
    record_type: str = ""
    record_id: int | None = None
    label: str = ""

    def __str__(self) -> str:
        where = f"账本第{self.seq}条(核验码 {self.code})" if self.seq else "账本"
        what = f" {self.label}" if self.label else ""
        return f"{where}{what}:{self.message}"


@dataclass
class LedgerReport:
    """The whole-ledger check of `sunshine verify_ledger`."""

    entries_checked: int = 0
    records_checked: int = 0
    problems: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Mismatch | None:
        return self.problems[0] if self.problems else None


@dataclass
class NoticeVerification:
    """The check of one printed notice by its short code (for the public portal)."""

    code: str
    entry: LedgerEntry | None
    notice: Notice | None
    chain_ok: bool
    records_checked: int
    mismatches: list[Mismatch]
    corrections: list[LedgerEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.entry is not None and self.chain_ok and not self.mismatches


def entry_hash_of(entry: LedgerEntry) -> str:
    from .services.ledger import entry_hash

    return entry_hash(seq=entry.seq, kind=entry.kind, prev_hash=entry.prev_hash, content_hash=entry.content_hash)


def check_entry_seal(entry: LedgerEntry, *, prev_hash: str, expected_seq: int) -> Mismatch | None:
    """The entry's own fields: sequence, link to its predecessor, payload hash, entry hash, code."""
    def bad(message: str) -> Mismatch:
        return Mismatch("chain", entry.seq, entry.code, message)

    if entry.seq != expected_seq:
        return bad(f"序号不连续(应为第{expected_seq}条)")
    if entry.prev_hash != prev_hash:
        return bad("与上一条的摘要不衔接,账本链已断开")
    if sha256_hex(entry.payload) != entry.content_hash:
        return bad("公示内容与记账时的摘要不符")
    digest = entry_hash_of(entry)
    if digest != entry.entry_hash:
        return bad("本条摘要与重新计算的结果不符")
    if entry.code not in (short_code(digest), short_code(digest, LONG_CODE_LENGTH)):
        return bad("核验码与摘要不符")
    return None


def record_label(record_type: str, record) -> str:
    name = str(record_kind(record_type).model._meta.verbose_name)
    if record is None:
        return name
    if record_type == "payment":
        detail = f"{record.payee_name} {record.fund_item} {record.amount}元"
    elif record_type == "transaction":
        detail = f"{record.occurred_on} {record.get_direction_display()} {record.amount}元 {record.purpose}"
    elif record_type == "allocation":
        detail = f"{record.document_number} {record.recipient_name} {record.amount}元"
    else:
        detail = record.name
    return f"{name} #{record.pk}({detail})"


def _fetch(model: type[Model], ids: list[int]) -> dict[int, Model]:
    found: dict[int, Model] = {}
    for start in range(0, len(ids), FETCH_CHUNK):
        found.update(model.objects.in_bulk(ids[start:start + FETCH_CHUNK]))
    return found


def _item_content(record_type: str, record, item: dict, events: dict[int, ProjectEvent]) -> dict:
    kind = record_kind(record_type)
    if kind.type == RecordType.PROJECT:
        return kind.content(record, [events[i] for i in item.get("events", []) if i in events])
    return kind.content(record)


def rehash_items(entry: LedgerEntry, items: Iterable[dict]) -> Iterator[Mismatch | int]:
    """Yield a Mismatch for every listed record whose live content no longer hashes to the committed value, and
    the number of records checked at the end."""
    by_type: dict[str, list[dict]] = {}
    for item in items:
        by_type.setdefault(item["type"], []).append(item)
    checked = 0
    for record_type, typed in by_type.items():
        kind = record_kind_or_none(record_type)
        model = kind.model if kind is not None else None
        if model is None:
            yield Mismatch("entry", entry.seq, entry.code, f"未知的记录类型“{record_type}”")
            continue
        records = _fetch(model, [i["id"] for i in typed])
        events: dict[int, ProjectEvent] = {}
        if record_type == "project":
            event_ids = [e for i in typed for e in i.get("events", [])]
            events = ProjectEvent.objects.in_bulk(event_ids) if event_ids else {}
        for item in typed:
            checked += 1
            record = records.get(item["id"])
            if record is None:
                yield Mismatch("missing", entry.seq, entry.code, "已公示的记录不存在(被删除)", record_type,
                               item["id"], record_label(record_type, None) + f" #{item['id']}")
                continue
            if record_type == "project" and any(e not in events for e in item.get("events", [])):
                yield Mismatch("missing", entry.seq, entry.code, "已公示的项目进展记录不存在(被删除)", record_type,
                               record.pk, record_label(record_type, record))
                continue
            if content_hash(_item_content(record_type, record, item, events)) != item["hash"]:
                yield Mismatch("record", entry.seq, entry.code, "当前数据与公示时的内容不一致(被改动)", record_type,
                               record.pk, record_label(record_type, record))
    yield checked


def entry_items(payload: dict) -> list[dict]:
    """The records an entry commits to: a publication lists its items, a correction its old and new versions."""
    if payload.get("kind") == LedgerKind.CORRECT:
        return [payload["old"], payload["new"]]
    return list(payload.get("items", []))


def check_entry_content(entry: LedgerEntry, notices: dict[int, Notice] | None = None) -> tuple[list[Mismatch], int]:
    """Re-hash the notice and every record an entry lists, from the live tables."""
    problems: list[Mismatch] = []
    try:
        payload = json.loads(entry.payload)
    except ValueError:
        return [Mismatch("entry", entry.seq, entry.code, "公示内容无法解析")], 0
    if payload.get("kind") == LedgerKind.PUBLISH:
        notice = (notices or {}).get(entry.notice_id) or Notice.objects.filter(pk=entry.notice_id).first()
        if notice is None or content_hash(notice_content(notice)) != payload.get("notice_hash"):
            problems.append(Mismatch("notice", entry.seq, entry.code, "公示的标题、范围或日期与记账时不一致(被改动)",
                                     label=f"公示 #{entry.notice_id}"))
    checked = 0
    for outcome in rehash_items(entry, entry_items(payload)):
        if isinstance(outcome, int):
            checked = outcome
        else:
            problems.append(outcome)
    return problems, checked


def ledger_verify(*, progress: Callable[[int, int], None] | None = None, stop_at_first: bool = False) -> LedgerReport:
    """Re-compute the whole chain and re-hash every published record; problems in ledger order."""
    report = LedgerReport()
    total = LedgerEntry.objects.count()
    prev_hash, expected = GENESIS_HASH, 1
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=50):
        seal = check_entry_seal(entry, prev_hash=prev_hash, expected_seq=expected)
        if seal:
            report.problems.append(seal)
        problems, checked = check_entry_content(entry)
        report.problems += problems
        report.records_checked += checked
        report.entries_checked += 1
        prev_hash, expected = entry.entry_hash, entry.seq + 1
        if progress:
            progress(report.entries_checked, total)
        if stop_at_first and report.problems:
            return report
    head = LedgerHead.objects.filter(pk=1).first()
    if head is None or head.seq != expected - 1 or head.head_hash != prev_hash:
        report.problems.append(Mismatch("chain", None, "", "账本链头与最后一条记录不符(有记录被删除或链头被改动)"))
    return report


def notice_verify(code: str) -> NoticeVerification:
    """Check one notice by the short code printed on it: the chain up to its entry, the notice, and its records
    (and those of any correction entries added to it since)."""
    from .canonical import normalize_code

    code = normalize_code(code)
    entry = LedgerEntry.objects.select_related("notice").filter(code=code).first()
    if entry is None:
        return NoticeVerification(code=code, entry=None, notice=None, chain_ok=False, records_checked=0,
                                  mismatches=[Mismatch("missing", None, code, "没有这个核验码的公示")])
    mismatches: list[Mismatch] = []
    chain_ok = True
    prev_hash, expected = GENESIS_HASH, 1
    # Only the fields the seal needs; payloads of other notices are not read.
    seals = LedgerEntry.objects.filter(seq__lt=entry.seq).order_by("seq").only(
        "seq", "kind", "prev_hash", "content_hash", "entry_hash", "code")
    for earlier in seals.iterator(chunk_size=500):
        if (earlier.seq != expected or earlier.prev_hash != prev_hash
                or entry_hash_of(earlier) != earlier.entry_hash):
            chain_ok = False
            mismatches.append(Mismatch("chain", earlier.seq, earlier.code, "账本链在此之前已断开"))
            break
        prev_hash, expected = earlier.entry_hash, earlier.seq + 1
    seal = check_entry_seal(entry, prev_hash=prev_hash, expected_seq=expected)
    if seal:
        chain_ok = False
        mismatches.append(seal)
    problems, checked = check_entry_content(entry)
    mismatches += problems
    corrections = list(LedgerEntry.objects.filter(notice=entry.notice, kind=LedgerKind.CORRECT, seq__gt=entry.seq))
    for correction in corrections:
        problems, more = check_entry_content(correction)
        mismatches += problems
        checked += more
    return NoticeVerification(code=code, entry=entry, notice=entry.notice, chain_ok=chain_ok,
                              records_checked=checked, mismatches=mismatches, corrections=corrections)
