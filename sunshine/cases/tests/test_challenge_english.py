from django.utils import translation

from sunshine.cases.challenge import challenge_new, challenge_verify


def test_an_english_page_asks_the_challenge_in_digits_and_accepts_the_answer(db):
    with translation.override("en"):
        challenge = challenge_new()
    assert challenge.question.startswith("What is ")
    a, op, b = challenge.question.removeprefix("What is ").rstrip("?").split(" ")
    answer = int(a) + int(b) if op == "plus" else int(a) - int(b)
    challenge_verify(token=challenge.token, answer=str(answer))  # raises if refused


def test_a_chinese_page_asks_in_chinese_words(db):
    with translation.override("zh-hans"):
        assert "等于几" in challenge_new().question
