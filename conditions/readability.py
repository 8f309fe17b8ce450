"""Plain-language scores for content, the same ones the admin and the content tests use."""

import re
from dataclasses import dataclass

import textstat

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


def score(text):
    """Flesch-Kincaid grade and Flesch reading ease of a piece of (Markdown) text."""
    plain = strip_markdown(text)
    if not plain:
        return None
    # Items of a Markdown list are separate sentences for a reader.
    plain = re.sub(r"(?<![.!?:])\n+", ". ", plain)
    return Score(
        grade=round(textstat.flesch_kincaid_grade(plain), 1),
        reading_ease=round(textstat.flesch_reading_ease(plain), 1),
    )
