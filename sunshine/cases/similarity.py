"""Likely duplicate reports: same target, same place, similar words, within a time window.

Several villagers often report the same matter, and one villager reports it again when nothing happens (重复举报,
二(二)10). Staff should see those side by side instead of handling each as new: intake links every pair scoring
at least conf SIMILARITY_THRESHOLD, and staff can merge them (services.report_mark_duplicate).

The score mixes four signals, each in [0, 1]:
- words: the better of two cosines, over character bigrams (robust to jieba splitting differently) and over
  jieba words with the classifier's concept tokens (拿走/贪/冒领 are one concept): two villagers rarely use the
  same words for the same thing, but share names, places, nouns and concepts;
- topic: cosine of the two reports' problem-type suggestions (stored at intake), which tells "the same person,
  another matter" (低保 to relatives vs. road money taken) from "the same matter in other words";
- target: the same person or unit reported (1), different ones (0), not said in one of them (neutral 0.5);
- place: the same village (1), the same township (0.5), another township (0), not said (neutral 0.5).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone

from sunshine.org.choices import RegionLevel

TEXT_WEIGHT = 0.4
TOPIC_WEIGHT = 0.2
TARGET_WEIGHT = 0.2
PLACE_WEIGHT = 0.2
NEUTRAL = 0.5
# A matter reported again within a year is the same matter; older reports are history, not duplicates.
WINDOW = dt.timedelta(days=365)
# Compared per new report: the most recent candidates only, so intake stays fast in a busy year.
MAX_CANDIDATES = 400
MAX_RESULTS = 10
# Scores below this are noise; intake links from conf SIMILARITY_THRESHOLD (0.6) up.
MIN_SCORE = 0.35
# Word features of a long report come from its beginning: enough to compare, and jieba stays fast.
MAX_WORD_CHARS = 1000
# Two accounts of one matter share some characters (names, places, nouns); below this bigram cosine the word
# comparison (jieba, the slow part at intake) is skipped.
WORD_CHECK_FLOOR = 0.1

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TITLES = re.compile(r"(书记|支书|村主任|主任|会计|文书|村长|镇长|乡长|队长|干部|同志|老板)$")


def bigrams(text: str) -> Counter:
    return Counter(dict(_bigrams(text or "")))


def words(text: str) -> Counter:
    """jieba words of the text with the classifier's concept tokens (synonyms counted together)."""
    return Counter(dict(_words((text or "")[:MAX_WORD_CHARS])))


# Pure functions of the text, remembered (bounded) because each report is compared with the same recent reports
# of its village; callers get a fresh Counter, so none can change the remembered answer.
@lru_cache(maxsize=4096)
def _bigrams(text: str) -> tuple[tuple[str, int], ...]:
    folded = unicodedata.normalize("NFKC", text).lower()
    grams: Counter = Counter()
    for run in _NON_WORD.split(folded):
        if len(run) == 1:
            grams[run] += 1
        for i in range(len(run) - 1):
            grams[run[i:i + 2]] += 1
    return tuple(grams.items())


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, int], ...]:
    from .classifier import CONCEPTS, tokenize

    concept_of = {w: c for c, ws in CONCEPTS.items() for w in ws}
    bag: Counter = Counter()
    for word in tokenize(text):
        bag["w:" + word] += 1
        if word in concept_of:
            bag["c:" + concept_of[word]] += 1
    return tuple(bag.items())


def cosine(va: dict, vb: dict) -> float:
    if not va or not vb:
        return 0.0
    dot = sum(v * vb.get(k, 0) for k, v in va.items())
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def text_similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same words): the better of the bigram and the word cosine."""
    return max(cosine(bigrams(a), bigrams(b)), cosine(words(a), words(b)))


def topic_similarity(a, b) -> float:
    """Cosine of the reports' stored problem-type suggestions; NEUTRAL when either has none."""
    sa = {int(n): float(s) for n, s in (a.suggestions or [])}
    sb = {int(n): float(s) for n, s in (b.suggestions or [])}
    if not sa or not sb:
        return NEUTRAL
    return cosine(sa, sb)


def _person_key(name: str) -> str:
    """"王建国", "王建国书记" and "王 建国" name the same person; a title is dropped when a name remains."""
    key = _NON_WORD.sub("", unicodedata.normalize("NFKC", name or ""))
    bare = _TITLES.sub("", key)
    return bare if len(bare) >= 2 else key  # "王书记" stays whole: "王" alone would match every 王


def target_match(a, b) -> float:
    """1 the same person or unit, 0 clearly different ones, NEUTRAL when one report does not say."""
    if a.about_unit_id and b.about_unit_id:
        if a.about_unit_id == b.about_unit_id:
            return 1.0
        if not (a.about_person_name and b.about_person_name):
            return 0.0
    pa, pb = _person_key(a.about_person_name), _person_key(b.about_person_name)
    if pa and pb:
        return 1.0 if (pa == pb or (min(len(pa), len(pb)) >= 2 and (pa in pb or pb in pa))) else 0.0
    return NEUTRAL


def _ancestor_path(region, level: int) -> str | None:
    """The path of `region`'s ancestor at `level` (its own path when it is that level), from the path codes."""
    if region is None or region.level < level:
        return None
    parts = region.path.strip("/").split("/")
    return "/".join(parts[:level]) + "/"


def place_match(a, b) -> float:
    if a.region_id is None or b.region_id is None:
        return NEUTRAL
    village_a, village_b = _ancestor_path(a.region, RegionLevel.VILLAGE), _ancestor_path(b.region, RegionLevel.VILLAGE)
    if village_a and village_a == village_b:
        return 1.0
    if _ancestor_path(a.region, RegionLevel.TOWNSHIP) == _ancestor_path(b.region, RegionLevel.TOWNSHIP):
        return 0.5
    return 0.0


def pair_score(a, b, *, text_a: tuple[Counter, Counter] | None = None) -> float:
    """The weighted score of two reports, 0 to 1; `text_a` is a's (bigrams, words) when comparing many."""
    grams_a, words_a = text_a if text_a is not None else (bigrams(a.text), words(a.text))
    text = cosine(grams_a, bigrams(b.text))
    if text >= WORD_CHECK_FLOOR:
        text = max(text, cosine(words_a, words(b.text)))
    return (TEXT_WEIGHT * text + TOPIC_WEIGHT * topic_similarity(a, b) + TARGET_WEIGHT * target_match(a, b)
            + PLACE_WEIGHT * place_match(a, b))


def _candidates(report):
    from .models import Report

    since = (report.created_at or timezone.now()) - WINDOW
    qs = Report.objects.filter(created_at__gte=since).exclude(pk=report.pk).select_related("region")
    near = Q()
    township = _ancestor_path(report.region, RegionLevel.TOWNSHIP) if report.region_id else None
    if township:
        near |= Q(region__path__startswith=township)
    if report.about_unit_id:
        near |= Q(about_unit_id=report.about_unit_id)
    if report.about_person_name:
        near |= Q(about_person_name__contains=_person_key(report.about_person_name) or report.about_person_name)
    if near:
        # Reports that say nothing about place or target can still be the same matter.
        near |= Q(region__isnull=True, about_unit__isnull=True, about_person_name="")
        qs = qs.filter(near)
    return qs.only("id", "text", "region", "about_unit", "about_person_name", "suggestions", "created_at").order_by(
        "-created_at")[:MAX_CANDIDATES]


def find_similar(report) -> list[tuple[object, float]]:
    """Earlier reports that are likely the same matter as `report`, as (report, score), best first."""
    text = (bigrams(report.text), words(report.text))
    scored = [(other, round(pair_score(report, other, text_a=text), 4)) for other in _candidates(report)]
    scored = [(other, score) for other, score in scored if score >= MIN_SCORE]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:MAX_RESULTS]
