"""Plain-language scores for content, the same ones the admin and the content tests use."""

import hashlib
import re
import threading
from dataclasses import dataclass

import textstat
from django.core.cache import cache

from .markdown import markdown_to_text

# textstat keeps its language in a module global: switching it and scoring happen under one
# lock, so a Spanish score never runs with English rules (or the other way) in another thread.
_textstat_lock = threading.Lock()

# Above these Flesch-Kincaid grades the text is flagged as hard to read.
SUMMARY_MAX_GRADE = 8
SECTION_MAX_GRADE = 10
# Symptom descriptions and "when to get help" are read in a hurry; definitions by anyone.
HELP_MAX_GRADE = 8
GLOSSARY_MAX_GRADE = 6


@dataclass(frozen=True)
class Score:
    grade: float
    reading_ease: float

    def too_hard(self, max_grade):
        return self.grade > max_grade


# Scores are kept per process (this dict) and for every server (the shared cache), keyed by
# the text's hash, so unchanged text is never scored twice and a 1,000-row changelist stays fast.
_LOCAL_LIMIT = 20_000
_local = {}


def _cache_key(text):
    return "readability:v2:" + hashlib.sha256(text.encode()).hexdigest()


def _remember(key, result):
    if len(_local) >= _LOCAL_LIMIT:
        _local.clear()
    _local[key] = result


def describe_too_hard(hard):
    """Texts above their limit, as (label, grade, limit), in an editor's words."""
    return "; ".join(f"{label} (grade {grade:g}, limit {limit})" for label, grade, limit in hard)


def score(text):
    """Flesch-Kincaid grade and Flesch reading ease of a piece of (Markdown) text."""
    return scores([text]).get(text)


def scores(texts):
    """{text: Score or None} for many texts, asking the shared cache once for all of them."""
    keys = {_cache_key(text): text for text in texts if (text or "").strip()}
    results = {text: _local[key] for key, text in keys.items() if key in _local}
    wanted = [key for key in keys if key not in _local]
    for key, value in cache.get_many(wanted).items():
        results[keys[key]] = Score(*value) if value else None
        _remember(key, results[keys[key]])
    computed = {}
    for key in wanted:
        text = keys[key]
        if text not in results:
            computed[key] = results[text] = _compute_score(text)
            _remember(key, results[text])
    if computed:
        cache.set_many({key: _cached_form(result) for key, result in computed.items()}, None)
    return results


def _plain_sentences(text):
    # The words a reader sees: markup and link targets do not skew the score.
    plain = markdown_to_text(text)
    # Items of a Markdown list are separate sentences for a reader.
    return re.sub(r"(?<![.!?:])\n+", ". ", plain) if plain else ""


def _compute_score(text):
    plain = _plain_sentences(text)
    if not plain:
        return None
    with _textstat_lock:  # never while another thread has textstat set to Spanish
        return Score(
            grade=round(textstat.flesch_kincaid_grade(plain), 1),
            reading_ease=round(textstat.flesch_reading_ease(plain), 1),
        )


def _cached_form(result):
    # An empty tuple, not None, stands for "no words to score", so it is cached too.
    return (result.grade, result.reading_ease) if result else ()


# --- Spanish: Szigriszt-Pazos on the INFLESZ scale (higher is easier; 55-65 normal) --------

SUMMARY_MIN_INFLESZ = 65
SECTION_MIN_INFLESZ = 55
# The translated prose held to the INFLESZ minimums: summaries 65, the other texts 55.
INFLESZ_MINIMUMS = {
    "summary": SUMMARY_MIN_INFLESZ,
    **dict.fromkeys(
        [
            "overview",
            "nerve_effects",
            "symptoms_text",
            "diagnosis",
            "treatment",
            "urgent_help",
            "living_with",
            "explanation",
            "description",
            "definition",
        ],
        SECTION_MIN_INFLESZ,
    ),
}


def inflesz(text):
    """The Szigriszt-Pazos (INFLESZ) score of a Spanish (Markdown) text, or None if empty."""
    if not (text or "").strip():
        return None
    key = "inflesz:v1:" + hashlib.sha256(text.encode()).hexdigest()
    if key in _local:
        return _local[key]
    found = cache.get(key)
    if found is None:
        plain = _plain_sentences(text)
        if plain:
            with _textstat_lock:
                textstat.set_lang("es")
                try:
                    found = round(textstat.szigriszt_pazos(plain), 1)
                finally:
                    textstat.set_lang("en_US")
        cache.set(key, found if found is not None else "", None)
    result = found if found != "" else None
    _remember(key, result)
    return result


def inflesz_scores(item, language):
    """(field, score, minimum) for each scored translated text of `item` that is written."""
    found = []
    for field, minimum in INFLESZ_MINIMUMS.items():
        text = getattr(item, f"{field}_{language}", None)
        result = inflesz(text) if text else None
        if result is not None:
            found.append((field, result, minimum))
    return found


def too_hard_in(item, language):
    """(field, score, minimum) of each translated text below its INFLESZ minimum."""
    if language != "es":
        return []
    return [entry for entry in inflesz_scores(item, language) if entry[1] < entry[2]]


def describe_too_hard_in(hard):
    return "; ".join(
        f"{field.replace('_', ' ')} (INFLESZ {value:g}, at least {minimum})"
        for field, value, minimum in hard
    )
