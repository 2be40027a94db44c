"""Which cached public pages a funds write changes. Every public record hangs under one region (a payment, project
or account transaction under its village; an allocation or notice under its village, township or city); the write
that changes what is public there (a notice published, a published record corrected, a project's stage) replaces
that region's content version (core.versions). The portal caches a village page under its village's and its
township's versions, so a township-wide notice or allocation shows on every village page of the township at once.
"""
from __future__ import annotations

from sunshine.core.versions import bump_on_commit


def region_key(region_id: int) -> str:
    return f"region:{region_id}"


def village_page_keys(*, village_id: int, township_id: int | None) -> list[str]:
    return [region_key(village_id)] + ([region_key(township_id)] if township_id else [])


def public_content_changed(*, region_ids) -> None:
    """Called by the funds services inside their transaction; the versions change when it commits."""
    bump_on_commit([region_key(region_id) for region_id in sorted(set(region_ids)) if region_id])


def record_region_id(record) -> int | None:
    """The region a record is published under: its village (payments, projects, transactions) or region."""
    return getattr(record, "village_id", None) or getattr(record, "region_id", None)
