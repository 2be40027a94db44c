"""A small arithmetic question on the public report form: stops scripted floods, costs an honest villager a second.

No third-party captcha: village and government intranets are often offline, and the portal loads no outside
code. The question is in Chinese words ("七加五等于几？"); the answer may be typed in digits or words. The form
carries a signed token with a keyed hash of the answer (the answer itself is not readable in it), valid for 30
minutes and usable once, right or wrong, so a script cannot try every answer with one question.
"""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError
from sunshine.core.ratelimit import first_use

SALT = "sunshine.cases.challenge"
MAX_AGE_SECONDS = 30 * 60
HONEYPOT_FIELD = "website"
DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {**{ch: i for i, ch in enumerate(DIGITS)}, "两": 2, "〇": 0}
_random = secrets.SystemRandom()


class ChallengeFailed(ApplicationError):
    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def chinese_number(n: int) -> str:
    """0–99 in Chinese words: 7 → 七, 12 → 十二, 20 → 二十, 35 → 三十五."""
    if not 0 <= n <= 99:
        raise ValueError(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def parse_answer(text: str) -> int | None:
    """An answer typed as 12, １２, 十二 or 一十二; None for anything else."""
    value = unicodedata.normalize("NFKC", text or "").strip().rstrip("。.")
    if value.isdigit():
        return int(value) if len(value) <= 3 else None
    if not value or any(ch not in _DIGIT_VALUES and ch != "十" for ch in value):
        return None
    if value.count("十") > 1:
        return None
    if "十" not in value:
        return _DIGIT_VALUES[value] if len(value) == 1 else None
    tens_text, _, ones_text = value.partition("十")
    if len(tens_text) > 1 or len(ones_text) > 1:
        return None
    tens = _DIGIT_VALUES[tens_text] if tens_text else 1
    ones = _DIGIT_VALUES[ones_text] if ones_text else 0
    return tens * 10 + ones


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT + ".answer", f"{nonce}:{answer}").hexdigest()[:24]


def challenge_new() -> Challenge:
    a, b = _random.randint(2, 9), _random.randint(1, 9)
    english = get_language() == "en"  # villagers read Chinese number words; an English page gets digits
    if _random.random() < 0.5:
        a, b = max(a, b), min(a, b)
        question = f"What is {a} minus {b}?" if english else f"{chinese_number(a)}减{chinese_number(b)}等于几？"
        answer = a - b
    else:
        question = f"What is {a} plus {b}?" if english else f"{chinese_number(a)}加{chinese_number(b)}等于几？"
        answer = a + b
    nonce = secrets.token_urlsafe(12)
    token = TimestampSigner(salt=SALT).sign(f"{nonce}.{_digest(nonce, answer)}")
    return Challenge(question=question, token=token)


def challenge_verify(*, token: str, answer: str) -> None:
    """Accept the right answer to an unexpired, unused question; otherwise raise ChallengeFailed saying why."""
    if not token:
        raise ChallengeFailed("请回答验证题后再提交", code=CasesErrorCode.CHALLENGE_MISSING)
    try:
        value = TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise ChallengeFailed("验证题已过期（30分钟内有效），请回答下面的新题目后再提交",
                              code=CasesErrorCode.CHALLENGE_EXPIRED) from None
    except BadSignature:
        raise ChallengeFailed("验证题无效，请回答下面的新题目后再提交", code=CasesErrorCode.CHALLENGE_INVALID) from None
    nonce, _, digest = value.partition(".")
    # One use, right or wrong: the cache (the database while it is down) remembers the question until the token
    # would have expired anyway.
    if not first_use("challenge-used", nonce, seconds=MAX_AGE_SECONDS + 60):
        raise ChallengeFailed("这道验证题已经用过了，请回答下面的新题目后再提交", code=CasesErrorCode.CHALLENGE_USED)
    number = parse_answer(answer)
    if number is None or not constant_time_compare(_digest(nonce, number), digest):
        raise ChallengeFailed("验证题的答案不对，请算一算下面的新题目后再提交", code=CasesErrorCode.CHALLENGE_WRONG)


def honeypot_tripped(data) -> bool:
    """The hidden field only a form-filling script fills in."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
