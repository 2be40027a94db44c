"""The arithmetic question on the public form: right once within 30 minutes, or a clear message why not."""
from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache

from sunshine.cases import challenge
from sunshine.cases.challenge import ChallengeFailed, challenge_new, challenge_verify

QUESTION = re.compile(r"^(.+?)(加|减)(.+?)等于几？$")


def solve(question: str) -> int:
    a, op, b = QUESTION.match(question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    return a + b if op == "加" else a - b


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.mark.parametrize(("typed", "value"), [
    ("12", 12), ("１２", 12), (" 7 ", 7), ("七", 7), ("十", 10), ("十二", 12), ("一十二", 12), ("二十", 20),
    ("两", 2), ("零", 0), ("12。", 12),
])
def test_answers_may_be_typed_in_digits_or_chinese_words(typed, value):
    assert challenge.parse_answer(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "十十", "一二", "12345", "三十二十"])
def test_nonsense_answers_are_not_numbers(typed):
    assert challenge.parse_answer(typed) is None


def test_chinese_numbers_read_as_people_write_them():
    assert [challenge.chinese_number(n) for n in (0, 7, 10, 12, 20, 35)] == ["零", "七", "十", "十二", "二十", "三十五"]


def test_the_question_is_in_chinese_words_and_its_answer_is_not_readable_in_the_token():
    for _ in range(30):
        c = challenge_new()
        assert QUESTION.match(c.question) and not re.search(r"\d", c.question)
        assert 0 <= solve(c.question) <= 18
        nonce, digest = c.token.rsplit(":", 2)[0].split(".")  # signed "nonce.keyed-hash", nothing else
        assert re.fullmatch(r"[0-9a-f]{24}", digest) and len(nonce) >= 16


def test_the_right_answer_passes_once():
    c = challenge_new()
    challenge_verify(token=c.token, answer=str(solve(c.question)))
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=c.token, answer=str(solve(c.question)))
    assert exc.value.code == "challenge_used" and "用过" in exc.value.message


def test_a_wrong_answer_uses_up_the_question():
    c = challenge_new()
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=c.token, answer=str(solve(c.question) + 1))
    assert exc.value.code == "challenge_wrong" and "答案不对" in exc.value.message
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=c.token, answer=str(solve(c.question)))
    assert exc.value.code == "challenge_used"


def test_an_answer_in_words_is_accepted_and_a_wrong_one_in_words_is_not():
    c = challenge_new()
    words = challenge.chinese_number(solve(c.question))
    assert words and not any(ch.isdigit() for ch in words)
    assert challenge_verify(token=c.token, answer=words) is None  # accepted: nothing raised
    other = challenge_new()
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=other.token, answer=challenge.chinese_number(solve(other.question) + 1))
    assert exc.value.code == "challenge_wrong"


def test_an_expired_question_says_so(monkeypatch):
    c = challenge_new()
    later = time.time() + challenge.MAX_AGE_SECONDS + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=c.token, answer=str(solve(c.question)))
    assert exc.value.code == "challenge_expired" and "过期" in exc.value.message


def test_a_tampered_or_missing_token_is_refused():
    c = challenge_new()
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token=c.token[:-2] + "xx", answer=str(solve(c.question)))
    assert exc.value.code == "challenge_invalid"
    with pytest.raises(ChallengeFailed) as exc:
        challenge_verify(token="", answer="3")
    assert exc.value.code == "challenge_missing"


def test_the_honeypot_catches_only_a_filled_hidden_field():
    assert challenge.honeypot_tripped({challenge.HONEYPOT_FIELD: "http://spam.example"})
    assert not challenge.honeypot_tripped({challenge.HONEYPOT_FIELD: "  "})
    assert not challenge.honeypot_tripped({})
