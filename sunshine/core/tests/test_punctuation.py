"""Full-width punctuation in Chinese text (GB/T 15834) on every page, SMS and PDF: the checker's rules on hand-made
strings, then a scan of every template and string literal of the project and of the SMS texts in the database."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sunshine.core import punctuation
from sunshine.core.punctuation import to_fullwidth


@pytest.mark.parametrize(("text", "expected"), [
    ("默认匿名,不用留姓名。", "默认匿名，不用留姓名。"),
    ("请算一算:三加五等于几?", "请算一算：三加五等于几？"),
    ("乡镇(街道)", "乡镇（街道）"),
    ("摘要(SHA-256),任何改动", "摘要（SHA-256），任何改动"),
    ("三(二)3: 每户", "三（二）3: 每户"),
    ("%(village)s 的补助", "%(village)s 的补助"),
    ("户主 %(head)s)", "户主 %(head)s)"),  # an unpaired bracket after a format field is left alone
    ("(户主 %(head)s)", "（户主 %(head)s）"),
    ("详见 http://x.cn/h/abc", "详见 http://x.cn/h/abc"),
    ("12:30 开会", "12:30 开会"),
    ("f(x) = 1, g(y) = 2", "f(x) = 1, g(y) = 2"),  # no Chinese: nothing to do
    ("Error: 请重试", "Error: 请重试"),  # a colon after Latin text, before a space: left alone
])
def test_half_width_punctuation_that_touches_chinese_becomes_full_width(text, expected):
    assert to_fullwidth(text) == expected


def test_code_raw_strings_docstrings_and_comments_are_left_alone(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('"""文档:不改。"""\nimport re\nPATTERN = re.compile(r"(.+?)(加|减)")  # 注释:不改\n'
                      'MESSAGE = "请重试,谢谢"\nF = f"共{n}条,请核对"\n', encoding="utf-8")
    assert punctuation.fix(source) == 2
    assert source.read_text(encoding="utf-8") == (
        '"""文档:不改。"""\nimport re\nPATTERN = re.compile(r"(.+?)(加|减)")  # 注释:不改\n'
        'MESSAGE = "请重试，谢谢"\nF = f"共{n}条，请核对"\n')


def test_a_template_changes_only_its_prose(tmp_path):
    template = tmp_path / "t.html"
    template.write_text('{% if a %}<a href="?x=1" title="说明:略">说明:略</a>{% translate "好的,谢谢" %}{% endif %}',
                        encoding="utf-8")
    punctuation.fix(template)
    assert template.read_text(encoding="utf-8") == (
        '{% if a %}<a href="?x=1" title="说明：略">说明：略</a>{% translate "好的，谢谢" %}{% endif %}')


def test_a_catalogue_keeps_its_english_punctuation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid "好的,谢谢"\nmsgstr "OK, thanks"\n\nmsgid ""\n"第一行,"\n"第二行"\nmsgstr "One, two"\n',
                  encoding="utf-8")
    punctuation.fix(po)
    assert po.read_text(encoding="utf-8") == (
        'msgid "好的，谢谢"\nmsgstr "OK, thanks"\n\nmsgid ""\n"第一行，"\n"第二行"\nmsgstr "One, two"\n')


def test_every_template_and_string_of_the_project_uses_full_width_punctuation():
    root = Path(settings.BASE_DIR)
    found = [f"{Path(s.path).relative_to(root)}:{s.line}: {s.text}"
             for path in punctuation.project_files(root) for s in punctuation.scan(path)]
    assert found == [], f"{len(found)} places; run `sunshine punctuation --fix`:\n" + "\n".join(found[:40])


def test_every_sms_text_uses_full_width_punctuation(db):
    from sunshine.notify.models import SmsTemplate

    bodies = {t.code: t.body for t in SmsTemplate.objects.all()}
    assert bodies
    assert {code: body for code, body in bodies.items() if punctuation.spots(body)} == {}
