"""Writes of the data comparison: beneficiaries' keys, runs and their hits, clues, reviews and rule switches."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import require

from . import evidence as evidence_mod
from .capabilities import Capability
from .choices import HitReview, RunStatus
from .errors import RedflagsErrorCode
from .idkeys import id_keys
from .models import Hit, PersonKey, RegistryBatch, RuleSetting, Run
from .rules import RULES, RULES_BY_CODE, Rule

logger = logging.getLogger(__name__)
KEY_BATCH = 5000
CLUE_BATCH = 200  # hits made clues in one transaction
REASON_MAX = 300


# ---- beneficiaries' keys ------------------------------------------------------------------------------------
def person_keys_refresh(*, full: bool = False, since_member: int = 0, since_household: int = 0) -> int:
    """Key every household member and head not keyed yet (all again when `full`); returns how many were added.

    The people to key are found by one anti-join in the database; only their hashes are computed here. A run
    passes the previous run's watermarks (`since_member`, `since_household`: the largest ids it had seen), so
    only members and households added since are looked at (an index range, not every person of the city).
    """
    from sunshine.org.models import Household, HouseholdMember

    with transaction.atomic():
        if full:
            PersonKey.objects.all().delete()
            since_member = since_household = 0
        # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery larger than work_mem row by row (millions
        # of people squared); NOT EXISTS is an anti-join.
        people: dict[str, int] = {}
        members = (HouseholdMember.objects.filter(pk__gt=since_member)
                   .filter(~Exists(PersonKey.objects.filter(id_number=OuterRef("id_number"))))
                   .values_list("id_number", "household_id"))
        for number, household_id in members.iterator(chunk_size=KEY_BATCH * 4):
            people[number] = household_id
        heads = (Household.objects.filter(pk__gt=since_household)
                 .filter(~Exists(PersonKey.objects.filter(id_number=OuterRef("head_id_number"))))
                 .values_list("head_id_number", "id"))
        for number, household_id in heads.iterator(chunk_size=KEY_BATCH * 4):
            people.setdefault(number, household_id)
        numbers = list(people)
        added: set[str] = set()
        for start in range(0, len(numbers), KEY_BATCH):
            chunk = numbers[start:start + KEY_BATCH]
            keys = id_keys(chunk)
            added.update(keys)
            PersonKey.objects.bulk_create(
                [PersonKey(id_number=n, id_key=k, household_id=people[n]) for n, k in zip(chunk, keys, strict=True)],
                ignore_conflicts=True)
        _person_keys_mark_shared(added, everything=full)
        return len(numbers)


def _person_keys_mark_shared(added: set[str], *, everything: bool) -> None:
    """Mark `shared` the person keys whose id_key another one has too, looking only at the keys just added (or at
    every key after a full refresh)."""
    shared = PersonKey.objects.values("id_key").annotate(n=Count("id")).filter(n__gt=1).values("id_key")
    if everything:
        PersonKey.objects.filter(id_key__in=shared, shared=False).update(shared=True)
        return
    keys = sorted(added)
    for start in range(0, len(keys), KEY_BATCH):
        chunk = keys[start:start + KEY_BATCH]
        PersonKey.objects.filter(id_key__in=shared.filter(id_key__in=chunk), shared=False).update(shared=True)


# ---- rule switches ------------------------------------------------------------------------------------------
def rules_enabled(codes: list[str] | None = None) -> list[Rule]:
    off = set(RuleSetting.objects.filter(enabled=False).values_list("code", flat=True))
    chosen = [r for r in RULES if (codes is None or r.code in codes)]
    return [r for r in chosen if r.code not in off]


@transaction.atomic
def rule_set_enabled(*, actor, code: str, enabled: bool) -> RuleSetting:
    """Switch a rule on or off (its past hits stay); audited as a configuration change."""
    require(actor, Capability.CONFIGURE)
    if code not in RULES_BY_CODE:
        raise ApplicationError("规则不存在", code=RedflagsErrorCode.RULE_UNKNOWN)
    setting, _ = RuleSetting.objects.select_for_update().get_or_create(code=code)
    before = setting.enabled
    setting.enabled = bool(enabled)
    setting.changed_by = actor
    setting.changed_at = timezone.now()
    setting.save()
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, object_type="redflags.rule", object_id=code,
                 detail={"enabled_from": before, "enabled_to": setting.enabled})
    return setting


def rule_set_threshold(*, actor, code: str, year: int, name: str, value) -> None:
    """Change one of a rule's thresholds for a year (kept in core.plan, audited there)."""
    from sunshine.core.plan import plan_value_set

    require(actor, Capability.CONFIGURE)
    rule = RULES_BY_CODE.get(code)
    if rule is None or name not in rule.params:
        raise ApplicationError("规则或参数不存在", code=RedflagsErrorCode.RULE_UNKNOWN)
    plan_value_set(actor=actor, year=year, param=rule.params[name], value=value)


# ---- runs ---------------------------------------------------------------------------------------------------
def _registries_summary() -> list[dict]:
    latest = (RegistryBatch.objects.values("kind").annotate(last=Max("id")).values_list("last", flat=True))
    return [{"kind": b.kind, "source": b.source, "data_date": b.data_date.isoformat(), "rows": b.rows,
             "batch": b.pk}
            for b in RegistryBatch.objects.filter(pk__in=list(latest)).order_by("kind")]


def run_start(*, engine: str, full: bool, actor=None, codes: list[str] | None = None,
              today: dt.date | None = None) -> tuple[Run, dict, list[Rule]]:
    """Open a run: key new beneficiaries, fix the watermarks and the parameters, record them as the inputs."""
    from sunshine.funds.models import HouseholdPayment
    from sunshine.org.models import Household, HouseholdMember

    from .engine import FULL_RUN_DATE, run_parameters

    if actor is not None:
        require(actor, Capability.RUN)
    today = today or timezone.localdate()
    previous = Run.objects.filter(status=RunStatus.SUCCEEDED).order_by("-id").first()
    incremental = previous is not None and not full
    # Members and households are numbered as they are added: the watermarks are read before keying, so one added
    # meanwhile is keyed now or by the next run (one whose transaction commits out of its number's order is keyed
    # by the next full run).
    member_upto = HouseholdMember.objects.aggregate(m=Max("id"))["m"] or 0
    household_upto = Household.objects.aggregate(m=Max("id"))["m"] or 0
    keyed = person_keys_refresh(
        full=full, since_member=int(previous.inputs.get("member_upto", 0)) if incremental else 0,
        since_household=int(previous.inputs.get("household_upto", 0)) if incremental else 0)
    since_payment = previous.upto_payment if incremental else 0
    since_batch = previous.upto_batch if incremental else 0
    prev_overdue = (dt.date.fromisoformat(previous.inputs.get("overdue_before", FULL_RUN_DATE.isoformat()))
                    if incremental else FULL_RUN_DATE)
    values = run_parameters(today=today, since_payment=since_payment, since_batch=since_batch,
                            prev_overdue_before=prev_overdue)
    rules = rules_enabled(codes)
    run = Run.objects.create(
        engine=engine, full=not incremental, started_by=actor if getattr(actor, "is_authenticated", False) else None,
        since_payment=since_payment, since_batch=since_batch,
        upto_payment=HouseholdPayment.objects.aggregate(m=Max("id"))["m"] or 0,
        upto_batch=RegistryBatch.objects.aggregate(m=Max("id"))["m"] or 0,
        inputs={"today": today.isoformat(), "rules": [r.code for r in rules], "people_keyed": keyed,
                "member_upto": member_upto, "household_upto": household_upto,
                "parameters": {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in values.items()},
                "overdue_before": values["overdue_before"].isoformat(), "registries": _registries_summary()},
    )
    # The rules read payments up to the watermark only as far as their own snapshot goes; a payment arriving
    # during the run has a larger id than upto_payment and is seen by the next run.
    return run, values, rules


def hits_record(*, run: Run, rule: Rule, rows: list[dict]) -> list[Hit]:
    """Keep a rule's hits that are new (by subject key); a hit found again in a later run adds nothing."""
    keys = [row["subject_key"] for row in rows]
    known: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        known |= set(Hit.objects.filter(subject_key__in=keys[start:start + KEY_BATCH])
                     .values_list("subject_key", flat=True))
    fresh, seen = [], set()
    for row in rows:
        key = row["subject_key"]
        if key in known or key in seen:
            continue
        seen.add(key)
        fresh.append(Hit(rule_code=rule.code, subject_key=key[:200], run=run, village_id=row["region_id"],
                         household_id=row["household_id"], ref_table=row["ref_table"] or "",
                         ref_id=row["ref_id"], amount=row["amount"], event_date=_date(row["event_date"]),
                         note=str(row["note"] or "")[:300]))
    with transaction.atomic():
        Hit.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    counts = run.counts
    counts[rule.code] = {"found": len(rows), "new": len(fresh)}
    Run.objects.filter(pk=run.pk).update(counts=counts)
    return fresh


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def run_fail(*, run: Run, message: str) -> None:
    Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(), message=message[:2000])


def run_finish(*, run: Run, make_clues: bool = True) -> Run:
    """Close the run; then every hit still without a clue gets one (each in its own transaction)."""
    run.refresh_from_db()
    if make_clues:
        clues = hits_make_clues()
        run.counts = {**run.counts, "_clues": clues}
    run.status = RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "counts", "updated_at"])
    return run


def hits_make_clues(*, limit: int | None = None) -> int:
    """Turn hits without a clue into clues at the report desk; returns how many were made.

    In batches of CLUE_BATCH hits, one transaction each (a failing hit is rolled back alone, to its savepoint, and
    logged; it gets its clue on the next run). Every hit still goes through the report desk's one intake; what the
    intake derives from a text alone (its words, for the classifier and the duplicate check) is remembered by the
    case desk itself (`cases.classifier.tokenize`, `cases.similarity.bigrams`/`words`), so a run's clues, which
    share their rule's explanation, do not re-read it.
    """
    pending = list(Hit.objects.filter(report__isnull=True).order_by("id").values_list("pk", flat=True))
    if limit:
        pending = pending[:limit]
    made = 0
    for start in range(0, len(pending), CLUE_BATCH):
        made += _clues_batch(pending[start:start + CLUE_BATCH])
    return made


def _clues_batch(hit_ids: list[int]) -> int:
    made = 0
    with transaction.atomic():
        hits = (Hit.objects.select_for_update(of=("self",)).select_related("village")
                .filter(pk__in=hit_ids, report__isnull=True).order_by("id"))
        for hit in hits:
            try:
                with transaction.atomic():
                    _clue_submit(hit)
                made += 1
            except ApplicationError:
                logger.exception("red-flag hit %s could not become a clue", hit.pk)
    return made




@transaction.atomic
def hit_clue_create(*, hit_id: int) -> bool:
    """Submit one hit through the report desk's one intake (channel 大数据比对), with its evidence and the rule's
    explanation; the hit keeps the report, so it is never submitted twice."""
    hit = Hit.objects.select_for_update(of=("self",)).select_related("village").get(pk=hit_id)
    if hit.report_id is not None:
        return False
    _clue_submit(hit)
    return True


def _clue_submit(hit: Hit) -> None:
    """The hit (locked by the caller, without a report yet) as a report through the one intake."""
    from sunshine.cases.choices import Channel
    from sunshine.cases.services import report_submit

    rule = RULES_BY_CODE[hit.rule_code]
    if not hit.evidence:
        hit.evidence = evidence_mod.build(hit)
    lines = [f"【大数据比对 {rule.code} {rule.title}】", rule.explanation, "比对依据："]
    lines += [f"- {item['label']}:{item['value']}" for item in hit.evidence]
    region = hit.village if hit.village is not None and hit.village.level in (2, 3, 4) else None
    report, _code = report_submit(channel=Channel.REDFLAG, text="\n".join(lines), region=region,
                                  problem_type_number=rule.problem_type, about_type="redflags.hit",
                                  about_id=hit.pk)
    hit.report = report
    hit.save(update_fields=["report", "evidence", "updated_at"])


# ---- review -------------------------------------------------------------------------------------------------
@transaction.atomic
def hit_review(*, hit: Hit, actor, verdict: str, reason: str) -> Hit:
    """A reviewer marks a hit confirmed (属实) or a false positive (误报), with a reason; the rule's precision
    counts it. A reviewed hit may be reviewed again (a later finding), and each review is audited."""
    require(actor, Capability.REVIEW)
    if verdict not in (HitReview.CONFIRMED, HitReview.FALSE_POSITIVE):
        raise ApplicationError("请选择“属实”或“误报”", code=RedflagsErrorCode.VERDICT)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写核实理由", code=RedflagsErrorCode.REASON_REQUIRED)
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"理由不能超过{REASON_MAX}字", code=RedflagsErrorCode.REASON_REQUIRED)
    locked = Hit.objects.select_for_update().get(pk=hit.pk)
    before = locked.review
    locked.review, locked.review_reason = verdict, reason
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    try:
        locked.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
    except IntegrityError as exc:  # pragma: no cover - the checks above keep the constraint
        raise ApplicationError("核实结果无效", code=RedflagsErrorCode.VERDICT) from exc
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=locked,
                 detail={"review_from": before, "review_to": verdict, "rule": locked.rule_code})
    return locked


@transaction.atomic
def run_async(*, actor, full: bool = False) -> None:
    """Queue a run as a background task (after commit: Celery in production, in-process in embedded mode)."""
    from sunshine.core.tasks import enqueue

    from .tasks import redflags_run_task

    require(actor, Capability.RUN)
    if Run.objects.filter(status=RunStatus.RUNNING, created_at__gte=timezone.now() - dt.timedelta(hours=2)).exists():
        raise ApplicationError("已有比对正在运行，请稍后再试", code=RedflagsErrorCode.RUN_IN_PROGRESS)
    enqueue(redflags_run_task, actor.pk, full)


# ---- registries ---------------------------------------------------------------------------------------------
@transaction.atomic
def registry_import_start(*, actor, kind: str, uploaded, source: str, data_date: str):
    """Store an uploaded registry file and queue its import (core's one job runner); returns the job."""
    from sunshine.core.importjobs import import_job_from_upload
    from sunshine.core.tasks import enqueue

    from .registries import JOB_KIND_PREFIX, SPECS
    from .tasks import registry_import_task

    require(actor, Capability.IMPORT)
    if kind not in SPECS:
        raise ApplicationError("名册类型无效", code=RedflagsErrorCode.REGISTRY_KIND)
    if not (source or "").strip():
        raise ApplicationError("请填写数据来源（提供单位）", code=RedflagsErrorCode.SOURCE_REQUIRED)
    try:
        date = dt.date.fromisoformat((data_date or "").strip())
    except ValueError:
        raise ApplicationError("请填写数据日期（如 2026-03-31）", code=RedflagsErrorCode.DATA_DATE) from None
    if date > timezone.localdate():
        raise ApplicationError("数据日期不能晚于今天", code=RedflagsErrorCode.DATA_DATE)
    job = import_job_from_upload(uploaded=uploaded, kind=JOB_KIND_PREFIX + kind, actor=actor,
                                 options={"source": source.strip()[:120], "data_date": date.isoformat()})
    enqueue(registry_import_task, job.pk)
    return job
