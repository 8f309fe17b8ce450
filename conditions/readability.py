"""Plain-language scores for content, the same ones the admin and the content tests use."""

import functools
import hashlib
import re
from dataclasses import dataclass

import textstat
from django.core.cache import cache

# Above these Flesch-Kincaid grades the text is flagged as hard to read.
SUMMARY_MAX_GRADE = 8
SECTION_MAX_GRADE = 10

_MARKDOWN_NOISE = re.compile(r"[#*_`>\[\]]|\(https?://[^)]*\)|^\s*[-+]\s+|^\s*\d+\.\s+", re.M)


def strip_markdown(text):
    """Markdown to the words a reader sees, so links and markup do not skew the score."""
    return _MARKDOWN_NOISE.sub("", text or "").strip()


@dataclass(frozen=True)
class Score:
    grade: float
    reading_ease: float

    def too_hard(self, max_grade):
        return self.grade > max_grade


def _cache_key(text):
    # Keyed by the text's hash: unchanged text is never scored twice, on any server.
    return "readability:v1:" + hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=8192)
def score(text):
    """Flesch-Kincaid grade and Flesch reading ease of a piece of (Markdown) text."""
    if not (text or "").strip():
        return None
    key = _cache_key(text)
    cached = cache.get(key)
    if cached is None:
        result = _compute_score(text)
        cache.set(key, _cached_form(result), timeout=None)
        return result
    return Score(*cached) if cached else None


def scores(texts):
    """{text: Score or None} for many texts, asking the shared cache once for all of them."""
    texts = {text for text in texts if (text or "").strip()}
    keys = {_cache_key(text): text for text in texts}
    found = cache.get_many(keys)
    results = {keys[key]: Score(*value) if value else None for key, value in found.items()}
    missing = texts - results.keys()
    computed = {text: _compute_score(text) for text in missing}
    cache.set_many(
        {_cache_key(text): _cached_form(result) for text, result in computed.items()},
        timeout=None,
    )
    return results | computed


def _compute_score(text):
    plain = strip_markdown(text)
    if not plain:
        return None
    # Items of a Markdown list are separate sentences for a reader.
    plain = re.sub(r"(?<![.!?:])\n+", ". ", plain)
    return Score(
        grade=round(textstat.flesch_kincaid_grade(plain), 1),
        reading_ease=round(textstat.flesch_reading_ease(plain), 1),
    )


def _cached_form(result):
    # An empty tuple, not None, stands for "no words to score", so it is cached too.
    return (result.grade, result.reading_ease) if result else ()
