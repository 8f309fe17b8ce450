"""What readers search for, counted for editors without knowing anything about the reader.

The request only appends the query text to a bounded in-memory queue (no database work on the
page's path); a background thread, every SEARCH_INSIGHTS_FLUSH_SECONDS, normalises the queued
queries, drops any that look like personal data, asks the search index whether each finds
anything, and adds the counts to one row per normalised query per week (SearchTally). No IP
address, cookie, user agent, time of day or anything else about the visitor is ever stored.
Storage is bounded: at most MAX_QUERIES_PER_WEEK rows a week, KEEP_WEEKS weeks kept.
"""

import datetime
import logging
import re
import threading
import time
from collections import Counter, deque

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .ranking import search
from .text import normalise

logger = logging.getLogger(__name__)

MAX_PENDING = 10_000  # queries waiting for the next flush; beyond it the oldest are dropped
MAX_QUERIES_PER_WEEK = 2_000  # new queries beyond it that week are not counted
KEEP_WEEKS = 26
MAX_STORED_LENGTH = 100

EMAIL = re.compile(r"\S+@\S+")
# Digits with the separators people type in phone and card numbers, and any 6 digits running.
PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
LONG_DIGITS = re.compile(r"\d{6,}")

_pending = deque(maxlen=MAX_PENDING)
_flusher = {"thread": None}
_flusher_lock = threading.Lock()


def looks_personal(text):
    """Whether a query may carry personal data: an email, a phone number, a long number."""
    if EMAIL.search(text) or LONG_DIGITS.search(text):
        return True
    return any(len(re.sub(r"\D", "", match.group())) >= 7 for match in PHONE_LIKE.finditer(text))


def normalised_query(raw):
    """The query as it is counted (lower case, no accents, single spaces), or None if it is
    empty or looks like personal data."""
    text = " ".join(str(raw).split())
    if not text or looks_personal(text):
        return None
    query = " ".join(normalise(text).split())
    return query[:MAX_STORED_LENGTH].strip() or None


def record(raw_query):
    """Count a search later. Costs the request one append to a bounded queue."""
    _pending.append(raw_query)
    _start_flusher()


def discard_pending():
    _pending.clear()


def week_of(day):
    return day - datetime.timedelta(days=day.weekday())


def flush(today=None):
    """Add the queued searches to this week's counts; drop weeks older than KEEP_WEEKS."""
    from conditions.models import SearchTally

    drained = []
    while _pending:
        try:
            drained.append(_pending.popleft())
        except IndexError:
            break
    counts = Counter(query for query in map(normalised_query, drained) if query)
    week = week_of(today or timezone.localdate())
    if counts:
        found_nothing = {query: not search(query) for query in counts}
        with transaction.atomic():
            stored = set(
                SearchTally.objects.filter(week=week, query__in=list(counts)).values_list(
                    "query", flat=True
                )
            )
            room = MAX_QUERIES_PER_WEEK - SearchTally.objects.filter(week=week).count()
            for query, total in counts.items():
                empty = total if found_nothing[query] else 0
                if query not in stored:
                    if room <= 0:
                        continue
                    room -= 1
                    try:
                        with transaction.atomic():
                            SearchTally.objects.create(week=week, query=query)
                    except IntegrityError:
                        pass  # another process added it meanwhile
                SearchTally.objects.filter(week=week, query=query).update(
                    searches=F("searches") + total, empty_searches=F("empty_searches") + empty
                )
    SearchTally.objects.filter(week__lt=week - datetime.timedelta(weeks=KEEP_WEEKS)).delete()
    return sum(counts.values())


def _start_flusher():
    interval = settings.SEARCH_INSIGHTS_FLUSH_SECONDS
    if not interval:
        return  # tests flush by hand
    thread = _flusher["thread"]
    if thread is not None and thread.is_alive():
        return
    with _flusher_lock:
        if _flusher["thread"] is None or not _flusher["thread"].is_alive():
            _flusher["thread"] = threading.Thread(
                target=_flush_forever, args=(interval,), name="search-insights", daemon=True
            )
            _flusher["thread"].start()


def _flush_forever(interval):
    while True:
        time.sleep(interval)
        try:
            if _pending:
                flush()
        except Exception:
            logger.exception("Search counts could not be saved; they are dropped.")
        finally:
            close_old_connections()


class SearchInsightsMiddleware:
    """Counts searches on the search page, cache hits included (it sits outside the page
    cache). It reads only the query text; nothing else about the request is looked at."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.path is None:
            self.path = reverse("conditions:search")
        if (
            request.method == "GET"
            and request.path_info == self.path
            and response.status_code == 200
            and request.GET.get("q", "").strip()
        ):
            record(request.GET["q"])
        return response
