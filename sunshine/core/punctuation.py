"""Full-width punctuation in Chinese text (GB/T 15834): the checker the test runs and the fixer `sunshine
punctuation --fix` applies to templates, Python string literals and the translation catalogue's msgids.

A half-width , : ; ? ! ( ) is Chinese punctuation when it touches a Chinese character (or Chinese punctuation); a
pair of brackets is converted together when either side touches Chinese, so "(SHA-256)" inside a Chinese sentence
becomes "（SHA-256）" and never "（SHA-256)". Left alone: printf/format fields ("%(name)s", "{n}"), URLs, code,
raw strings (regular expressions), docstrings and comments (no one reads those on a page, an SMS or a PDF).
"""
from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
HALF = "".join(FULL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e“”‘’…—]")
# Characters before "(" that make it code, not prose: %(name)s, f(x), {a}(...), [0](...).
_CODE_BEFORE_PAREN = set("%_$[{")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _pairs(text: str) -> dict[int, int]:
    """Matching half-width brackets: open index → close index (unbalanced ones are left unpaired)."""
    stack, pairs = [], {}
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs[stack.pop()] = i
    return pairs


def spots(text: str) -> list[int]:
    """Indexes of half-width punctuation in `text` that belong to Chinese prose."""
    if not _CJK.search(text):
        return []
    found: set[int] = set()

    def near(i: int) -> bool:
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        return _is_cjk(before) or _is_cjk(after)

    for open_i, close_i in _pairs(text).items():
        before = text[open_i - 1] if open_i > 0 else ""
        if before in _CODE_BEFORE_PAREN or (before.isascii() and before.isalnum() and not near(open_i)):
            continue  # a call or a format field, not a bracket in prose
        if near(open_i) or near(close_i):
            found.update((open_i, close_i))
    for i, ch in enumerate(text):
        if ch in ",:;?!" and near(i):
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            # "http://", "12:30", "a?b=" are not prose; a colon before a format spec neither.
            if ch == ":" and (after == "/" or (before.isdigit() and after.isdigit())):
                continue
            if ch == "?" and after == "=" or before == "{":
                continue
            found.add(i)
    return sorted(found)


def to_fullwidth(text: str) -> str:
    chars = list(text)
    for i in spots(text):
        chars[i] = FULL[chars[i]]
    return "".join(chars)


# ---- where the text lives ----------------------------------------------------------------------------------------

_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_TRANSLATED = re.compile(r"""(\{%\s*(?:translate|trans)\s+)(["'])(.*?)\2""", re.S)
_BLOCK = re.compile(r"(\{%\s*blocktrans(?:late)?\b[^%]*%\})(.*?)(\{%\s*endblocktrans(?:late)?\s*%\})", re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Spot:
    path: str
    line: int
    text: str


def _template_segments(source: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans of a template that are prose: text between tags and the strings of translate tags."""
    for m in _TRANSLATED.finditer(source):
        yield m.start(3), m.end(3)
    for m in _BLOCK.finditer(source):
        yield m.start(2), m.end(2)
    last = 0
    code = [(m.start(), m.end()) for m in _TEMPLATE_CODE.finditer(source)]
    for start, end in [*code, (len(source), len(source))]:
        chunk_start, chunk_end = last, start
        last = end
        if chunk_end <= chunk_start:
            continue
        # inside the chunk: text outside HTML tags, and the quoted attribute values inside them (titles, labels)
        yield chunk_start, chunk_end


def _fix_spans(source: str, spans: list[tuple[int, int]]) -> str:
    chars = list(source)
    for start, end in spans:
        piece = source[start:end]
        for i in spots(piece):
            chars[start + i] = FULL[piece[i]]
    return "".join(chars)


def _template_spans(source: str) -> list[tuple[int, int]]:
    spans = []
    for start, end in _template_segments(source):
        piece = source[start:end]
        # Blocktranslate bodies keep {{ var }} placeholders: prose around them counts, the placeholders do not.
        for m in re.finditer(r"[^{}<>]+", piece):
            spans.append((start + m.start(), start + m.end()))
    return spans


def _python_spans(source: str) -> list[tuple[int, int]]:
    """Spans of string literals that hold text (not raw strings, not docstrings, not comments)."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    spans: list[tuple[int, int]] = []
    previous = None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for tok in tokens:
        kind = tok.type
        if kind == tokenize.STRING:
            prefix = re.match(r"[A-Za-z]*", tok.string).group(0).lower()
            is_doc = previous is None or previous.type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT) \
                or (previous.type == tokenize.OP and previous.string == ":")
            if "r" not in prefix and "b" not in prefix and not (is_doc and tok.string.lstrip(prefix)[:3] in ('"""', "'''")):
                start = offsets[tok.start[0] - 1] + tok.start[1]
                end = offsets[tok.end[0] - 1] + tok.end[1]
                quote = len(prefix) + (3 if tok.string[len(prefix):len(prefix) + 3] in ('"""', "'''") else 1)
                spans.append((start + quote, end - quote))
        elif kind == getattr(tokenize, "FSTRING_MIDDLE", -1):
            start = offsets[tok.start[0] - 1] + tok.start[1]
            spans.append((start, start + len(tok.string)))
        if kind not in (tokenize.NL, tokenize.COMMENT):
            previous = tok
    return spans


def _po_spans(source: str) -> list[tuple[int, int]]:
    """The msgid texts of a catalogue (and their continuation lines): the English msgstr keeps its own commas."""
    spans, in_msgid, offset = [], False, 0
    for line in source.splitlines(keepends=True):
        m = re.match(r'(msgid(?:_plural)?) "(.*)"\s*$', line)
        if m:
            in_msgid = True
            spans.append((offset + m.start(2), offset + m.end(2)))
        elif line.startswith('"') and in_msgid:
            body = line.rstrip("\n")
            spans.append((offset + 1, offset + len(body) - 1))
        else:
            in_msgid = False
        offset += len(line)
    return spans


def spans_for(path: Path, source: str) -> list[tuple[int, int]]:
    if path.suffix == ".py":
        return _python_spans(source)
    if path.suffix in (".html", ".txt"):
        return _template_spans(source)
    if path.suffix == ".po":
        return _po_spans(source)
    return []


def scan(path: Path) -> list[Spot]:
    source = path.read_text(encoding="utf-8")
    found = []
    for start, end in spans_for(path, source):
        piece = source[start:end]
        for i in spots(piece):
            line = source.count("\n", 0, start + i) + 1
            found.append(Spot(str(path), line, source.splitlines()[line - 1].strip()[:120]))
    return found


def fix(path: Path) -> int:
    source = path.read_text(encoding="utf-8")
    fixed = _fix_spans(source, spans_for(path, source))
    if fixed != source:
        path.write_text(fixed, encoding="utf-8")
    return sum(a != b for a, b in zip(source, fixed, strict=True))


# What the test scans and the command fixes: every template and every module of the project (tests included, so
# their expectations follow), never the migrations (history) nor the vendored files.
SKIP_PARTS = {"migrations", "vendor", "node_modules", "__pycache__", "locale"}


def project_files(root: Path, *, catalogue: bool = False) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if not path.is_file() or SKIP_PARTS & set(path.relative_to(root).parts):
            continue
        if path.suffix in (".py", ".html", ".txt"):
            yield path
    if catalogue:
        yield from sorted(root.glob("locale/*/LC_MESSAGES/*.po"))
