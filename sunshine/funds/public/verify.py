"""Live verification of a notice against the ledger (sunshine.funds.verification does the work)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from sunshine.core.masking import mask_text

from .. import verification
from ..choices import NoticeStatus
from .notices import PublicNotice, normalize_notice_code


@dataclass(frozen=True)
class PublicVerification:
    code: str
    found: bool
    ok: bool
    chain_ok: bool
    records_checked: int
    corrections: int
    problems: list[str]
    checked_at: dt.datetime
    notice_code: str = ""  # the notice's own (publication) code, to link its page

    @property
    def message(self) -> str:
        if not self.found:
            return gettext("没有这个核验码的公示。请核对纸质公告上的核验码。")
        if self.ok:
            return gettext("核验通过:公示内容与账本一致,公示后没有被改动。")
        return gettext("核验未通过:公示内容与账本记录不一致,请向监督电话反映。")


MAX_PROBLEMS_SHOWN = 20


def _verification(code: str) -> PublicVerification:
    result = verification.notice_verify(code)
    published = result.notice is not None and result.notice.status == NoticeStatus.PUBLISHED
    return PublicVerification(
        code=result.code, found=result.entry is not None and published, ok=result.ok and published,
        chain_ok=result.chain_ok, records_checked=result.records_checked, corrections=len(result.corrections),
        problems=[mask_text(str(m)) for m in result.mismatches[:MAX_PROBLEMS_SHOWN]] if result.entry else [],
        checked_at=timezone.now(), notice_code=result.notice.code if published else "",
    )


def notice_verify(*, notice: PublicNotice) -> PublicVerification:
    """Re-check a published notice now: the chain up to its entry, its records and its corrections."""
    return _verification(notice.code)


def notice_check_code(*, code: str) -> PublicVerification:
    """The check behind the "type the code from the bulletin board" page (a publication or a correction code)."""
    return _verification(normalize_notice_code(code))
