"""Page numbers and sizes, read the same way by the HTML lists and the API."""

import re

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404

CONDITIONS_PER_PAGE = 20
MAX_PAGE_SIZE = 100
WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
PAGE_MESSAGE = "Must be a whole number from 1."
PAGE_SIZE_MESSAGE = f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."


class InvalidPage(ValueError):
    """A page number or size that is not a whole number in range; the message says so."""


def page_number(raw):
    """The page asked for: 1 when none is given."""
    if raw is None or raw == "":
        return 1
    if not WHOLE_NUMBER.match(raw) or int(raw) < 1:
        raise InvalidPage(PAGE_MESSAGE)
    return int(raw)


def page_size(raw, default):
    """The page size asked for. Refused rather than clamped: a client asking for 500 should
    learn that it gets 100."""
    if raw is None:
        return default
    if not WHOLE_NUMBER.match(raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise InvalidPage(PAGE_SIZE_MESSAGE)
    return int(raw)


def page_of(items, raw_number, per_page=CONDITIONS_PER_PAGE):
    """One page of `items`; InvalidPage for a bad number, Http404 past the last page."""
    try:
        return Paginator(items, per_page).page(page_number(raw_number))
    except EmptyPage as error:
        raise Http404("No such page of results.") from error
