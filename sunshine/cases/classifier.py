"""Suggest one of the 27 problem types (二、治理重点) for a report written in villagers' own words.

A multinomial naive Bayes model over jieba words (with a user dictionary of poverty-work terms), a few concept
tokens that put villagers' synonyms together (亲戚/小舅子/表弟 → kin, 拿走/扣/冒领 → taking money ...) and
character bigrams (which catch words jieba splits differently). Plain Python: no scikit-learn in the lock file,
and a few hundred short texts train in about a second.

Training data: the seed set shipped in data/seed_examples.jsonl, the plan's own text of each type, and every
staff confirmation or correction (cases.ClassifierExample). `retrain()` writes the model as JSON under var/;
`suggest()` reloads it when the file changes, and trains from the seed set in memory when there is none yet.
The held-out evaluation set lives in the tests and is never read here.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import re
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_PATH = DATA_DIR / "seed_examples.jsonl"
USER_DICT_PATH = DATA_DIR / "userdict.txt"
MODEL_FORMAT = 1
# Laplace smoothing and the score temperature were chosen by 5-fold cross-validation on the seed set alone
# (top-3 0.82); at temperature 2.5 the mean top score matches the top-1 accuracy, so staff see an honest figure.
SMOOTHING = 0.3
SCORE_TEMPERATURE = 2.5
BIGRAM_WEIGHT = 1.0
# A handler's label on a real report is worth more than a written example.
CORRECTION_WEIGHT = 2.0
# retrain_if_due() retrains once this many staff labels arrived since the model was trained.
RETRAIN_AFTER_LABELS = 20
DEFAULT_LIMIT = 5
MODEL_FILE_MODE = 0o640

STOPWORDS = frozenset(
    "的 了 是 我 我们 你 你们 他 她 他们 它 在 就 都 也 和 与 及 还 又 把 被 给 让 对 从 到 这 那 这个 那个 一 个 着 过 "
    "吗 呢 吧 啊 呀 嘛 说 有 没 没有 很 太 就是 什么 怎么 自己 人 上 里 下 来 去 要 会 能 可以 但是 可是 而且 因为 "
    "所以 一个 一些 些 才 再 还是 已经 不".split()
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# Villagers name one thing many ways; a shared concept token lets one example teach all the names.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "kin": ("亲戚", "亲属", "小舅子", "舅子", "表弟", "表哥", "弟弟", "哥哥", "老婆", "老丈人", "丈人", "儿子",
            "女儿", "侄子", "外甥", "家属", "家里人", "兄弟", "姐夫", "妹夫", "连襟", "亲家"),
    "money": ("钱", "款", "扶贫款", "资金", "扶贫资金", "补贴", "补助", "补助金", "低保金", "奖补", "专项资金", "经费"),
    "take": ("贪", "贪污", "拿走", "拿去", "扣", "克扣", "截留", "冒领", "挪用", "侵占", "私分", "中饱私囊", "腰包",
             "代领", "套取", "虚报"),
    "cadre": ("村干部", "干部", "村支书", "支书", "书记", "村主任", "村会计", "会计", "文书", "村两委"),
    "forms": ("表", "表格", "填表", "报表", "材料", "台账", "数据", "报数", "档案"),
    "inspect": ("检查", "督查", "考核", "巡察", "评估", "迎检", "检查组", "督查组", "巡察组", "考核组"),
    "ruined": ("死", "死了", "病死", "死光", "烂", "荒", "荒废", "坏", "倒", "塌", "生锈", "杂草"),
    "publicity": ("公示", "公开", "公示栏", "公开栏", "张贴", "贴出来", "公布", "透明"),
    "complaint": ("举报", "反映", "上访", "信访", "投诉", "告状"),
    "visit_ritual": ("走访", "签字", "签名", "拍照", "合影", "按手印"),
    "idle": ("闲置", "放着", "躺在", "没用", "不用", "收回", "滞留", "沉淀"),
}
_WORD_TO_CONCEPT = {word: concept for concept, words in CONCEPTS.items() for word in words}

_lock = threading.Lock()


@cache
def _tokenizer():
    """A jieba tokenizer of our own (the global one is left alone) with the poverty-work user dictionary."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba resets its logger to DEBUG on import, over our LOGGING setting
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICT_PATH))
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Words of `text` without punctuation and function words."""
    return list(_tokens(text or ""))


# A pure function of the text, and jieba is the slow part of intake: every report's duplicate check re-reads the
# recent reports of its village, and a data-comparison run submits many clues sharing one explanation. Bounded.
@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    words = []
    for word in _tokenizer().lcut(text):
        word = word.strip()
        if word and not _NON_WORD.fullmatch(word) and word not in STOPWORDS:
            words.append(word)
    return tuple(words)


def features(text: str) -> Counter:
    """The bag of features the model counts: words, concept tokens, character bigrams."""
    bag: Counter = Counter()
    for word in tokenize(text):
        bag["w:" + word] += 1
        concept = _WORD_TO_CONCEPT.get(word)
        if concept:
            bag["c:" + concept] += 1
    for run in _NON_WORD.split(text or ""):
        for i in range(len(run) - 1):
            bag["b:" + run[i:i + 2]] += BIGRAM_WEIGHT
    return bag


@dataclass(frozen=True)
class Example:
    text: str
    problem_type: int
    weight: float = 1.0


class Model:
    """Naive Bayes counts per problem type; scores are tempered posteriors that sum to 1 over the 27 types."""

    def __init__(self, *, doc_weights: dict[int, float], counts: dict[int, dict[str, float]], meta: dict):
        self.doc_weights = doc_weights
        self.counts = counts
        self.meta = meta
        self.vocabulary = set().union(*(c.keys() for c in counts.values())) if counts else set()
        total_docs = sum(doc_weights.values()) or 1.0
        size = len(self.vocabulary)
        self._log_prior = {n: math.log(w / total_docs) for n, w in doc_weights.items()}
        self._log_denominator = {n: math.log(sum(counts[n].values()) + SMOOTHING * size) for n in counts}

    def log_scores(self, text: str) -> dict[int, float]:
        bag = {f: v for f, v in features(text).items() if f in self.vocabulary}
        scores = {}
        for number, prior in self._log_prior.items():
            table, denominator = self.counts[number], self._log_denominator[number]
            scores[number] = prior + sum(v * (math.log(table.get(f, 0.0) + SMOOTHING) - denominator)
                                         for f, v in bag.items())
        return scores

    def rank(self, text: str) -> list[tuple[int, float]]:
        """Every problem type with its score, best first."""
        scores = self.log_scores(text)
        if not scores:
            return []
        top = max(scores.values())
        exp = {n: math.exp((s - top) / SCORE_TEMPERATURE) for n, s in scores.items()}
        total = sum(exp.values())
        return sorted(((n, e / total) for n, e in exp.items()), key=lambda pair: (-pair[1], pair[0]))

    def as_json(self) -> dict:
        return {"format": MODEL_FORMAT, "meta": self.meta,
                "types": {str(n): {"docs": self.doc_weights[n], "features": self.counts[n]}
                          for n in sorted(self.counts)}}

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unknown classifier model format {data.get('format')!r}")
        types = data["types"]
        return cls(doc_weights={int(n): float(t["docs"]) for n, t in types.items()},
                   counts={int(n): {f: float(v) for f, v in t["features"].items()} for n, t in types.items()},
                   meta=data.get("meta", {}))


def train(examples: Iterable[Example], *, meta: dict | None = None) -> Model:
    doc_weights: dict[int, float] = defaultdict(float)
    counts: dict[int, Counter] = defaultdict(Counter)
    for example in examples:
        if not example.text.strip():
            continue
        doc_weights[example.problem_type] += example.weight
        for feature, value in features(example.text).items():
            counts[example.problem_type][feature] += value * example.weight
    return Model(doc_weights=dict(doc_weights), counts={n: dict(c) for n, c in counts.items()}, meta=meta or {})


def seed_examples() -> list[Example]:
    """The shipped seed set plus the plan's own wording of each of the 27 types."""
    from sunshine.org.data.reference import PROBLEM_GROUPS

    examples = []
    with SEED_PATH.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                examples.append(Example(text=row["text"], problem_type=int(row["problem_type"])))
    for _group, _title, types in PROBLEM_GROUPS:
        examples += [Example(text=text, problem_type=number) for number, text in types]
    return examples


def staff_examples() -> tuple[list[Example], dict]:
    """Staff confirmations and corrections (cases.ClassifierExample) with a summary for the model's metadata."""
    from .models import ClassifierExample

    rows = list(ClassifierExample.objects.values_list("text", "problem_type__number", "updated_at"))
    examples = [Example(text=text, problem_type=number, weight=CORRECTION_WEIGHT) for text, number, _ in rows]
    latest = max((updated for _, _, updated in rows), default=None)
    return examples, {"staff_examples": len(rows), "latest_label_at": latest.isoformat() if latest else None}


def model_path() -> Path:
    configured = getattr(settings, "SUNSHINE_CLASSIFIER_PATH", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "classifier" / "problem-types.json"


def _write_atomically(path: Path, data: dict) -> None:
    """Readers in other processes see the old file or the new one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".classifier-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        # Word counts from real reports: readable by the server's group (a command may run as another user of
        # it), never by everyone.
        os.chmod(tmp, MODEL_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def retrain(*, save: bool = True) -> Model:
    """Train on the seed set plus every staff label, persist the model and make suggest() use it."""
    seed = seed_examples()
    staff, summary = staff_examples()
    meta = {"trained_at": timezone.now().isoformat(), "seed_examples": len(seed), **summary}
    model = train(seed + staff, meta=meta)
    if save:
        path = model_path()
        _write_atomically(path, model.as_json())
        with _lock:
            _state.update(model=model, path=str(path), mtime=path.stat().st_mtime_ns)
        logger.info("classifier retrained on %d seed and %d staff examples", len(seed), len(staff))
    return model


def retrain_if_due(*, after: int = RETRAIN_AFTER_LABELS) -> bool:
    """Retrain when `after` staff labels were added or changed since the persisted model was trained."""
    from .models import ClassifierExample

    trained_at = None
    path = model_path()
    if path.exists():
        try:
            trained_at = dt.datetime.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["meta"]["trained_at"])
        except (ValueError, KeyError, TypeError):
            trained_at = None
    labels = ClassifierExample.objects.all()
    if trained_at is not None:
        labels = labels.filter(updated_at__gt=trained_at)
    if labels.count() < after:
        return False
    retrain()
    return True


_state: dict = {"model": None, "path": None, "mtime": None}


def current_model() -> Model:
    """The persisted model (reloaded when another process retrained it), else one trained on the seed set."""
    path = model_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = None
    with _lock:
        if _state["model"] is not None and _state["path"] == str(path) and _state["mtime"] == mtime:
            return _state["model"]
    if mtime is not None:
        try:
            model = Model.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            logger.error("classifier model %s unreadable (%s); using the seed set", path, exc)
            model = _seed_model()
    else:
        model = _seed_model()
    with _lock:
        _state.update(model=model, path=str(path), mtime=mtime)
    return model


@cache
def _seed_model() -> Model:
    return train(seed_examples(), meta={"trained_at": None, "seed_examples": "shipped", "staff_examples": 0})


def suggest(text: str, *, limit: int = DEFAULT_LIMIT) -> list[tuple[int, float]]:
    """The most likely problem types for `text` as (type number, score), best first; [] for an empty text."""
    if not (text or "").strip():
        return []
    return current_model().rank(text)[:limit]
