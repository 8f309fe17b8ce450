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

# The same for Spanish queries ("síntomas de la neuropatía"): both lists apply to every query,
# as neither holds a word that means something in the other language's content.
STOP_WORDS |= frozenset(
    [
        "como",
        "con",
        "cual",
        "de",
        "del",
        "el",
        "en",
        "es",
        "la",
        "las",
        "lo",
        "los",
        "mi",
        "para",
        "por",
        "que",
        "se",
        "un",
        "una",
        "y",
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


def collation_key(text, language):
    """A sort key in the language's alphabetical order, the same on every machine (no OS
    locale): case and accents ignored, and in Spanish ñ is a letter of its own after n."""
    if language != "es":
        return normalise(text)
    # ñ is taken out before the accents go, and comes back as "n~": "~" sorts after every
    # letter and digit normalise() leaves, so ñ follows every n ("sentir" < "señal").
    return "n~".join(normalise(part) for part in text.lower().split("ñ"))


def initial_letter(text, language):
    """The A-Z heading a name is listed under: Ñ apart in Spanish, "#" for a digit or sign."""
    if language == "es" and text[:1].lower() == "ñ":
        return "Ñ"
    letter = normalise(text)[:1].upper()
    return letter if letter.isalpha() else "#"
