"""Text as search sees it: normalised words, and the words of a query that carry its meaning."""

import re
import unicodedata

# The longest query accepted: the search page's form, the condition FilterSet (so the HTML
# list and the API alike) and the templates' search inputs all use this one number.
MAX_QUERY_LENGTH = 200

# Words people type around what they mean; ignored unless they are all there is.
STOP_WORDS = frozenset(
    [
        # Question and filler words: "can lupus cause numb feet", "what is cidp".
        "a",
        "about",
        "am",
        "an",
        "and",
        "any",
        "are",
        "be",
        "been",
        "can",
        "cause",
        "caused",
        "causes",
        "causing",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "gets",
        "getting",
        "got",
        "had",
        "has",
        "have",
        "having",
        "how",
        "i",
        "if",
        "im",
        "in",
        "is",
        "it",
        "its",
        "me",
        "mean",
        "means",
        "meaning",
        "my",
        "of",
        "on",
        "or",
        "should",
        "so",
        "tell",
        "that",
        "the",
        "there",
        "this",
        "to",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        # The people a question is about: "my mum has lupus".
        "boyfriend",
        "brother",
        "child",
        "children",
        "dad",
        "daughter",
        "father",
        "friend",
        "girlfriend",
        "husband",
        "mom",
        "mother",
        "mum",
        "partner",
        "sister",
        "son",
        "wife",
    ]
)

MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def normalise(text):
    """Lower case, accents removed, punctuation turned to spaces: "Sjögren's" → "sjogren s"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in without_accents.lower()).split())


def markdown_words(text):
    """The normalised words of a Markdown text, without the addresses its links point to."""
    return normalise(MARKDOWN_LINK_TARGET.sub("]", text)).split()


def query_words(query):
    words = normalise(query).split()
    meaningful = [word for word in words if word not in STOP_WORDS and len(word) > 1]
    return meaningful or words
