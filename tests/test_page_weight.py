"""A condition page with everything it loads stays small, and loads nothing from elsewhere."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from conditions.models import Condition

MAX_COMPRESSED_BYTES = 60 * 1024
# Attributes that make the browser fetch something (links in <a href> are only followed if
# the reader chooses to, so they are not requests).
FETCHING_ATTRIBUTES = {
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
    ("use", "href"),
}
FETCHED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


class Fetches(HTMLParser):
    """Every URL the page makes the browser fetch, in order."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        rel = set((dict(attrs).get("rel") or "").lower().split())
        if tag == "link" and not rel & FETCHED_LINK_RELS:
            return  # canonical, alternate ...: names a page, fetches nothing
        for name, value in attrs:
            if (tag, name) in FETCHING_ATTRIBUTES and value:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            if name == "style" and value:
                self.urls += CSS_URL.findall(value)


def fetched_urls(html):
    parser = Fetches()
    parser.feed(html)
    return parser.urls


def same_origin(url):
    return url.startswith("data:") or urlsplit(url).netloc in ("", "testserver")


def gzip_size(data):
    return len(gzip.compress(data, compresslevel=9))


def static_file(url):
    path = urlsplit(url).path.removeprefix("/static/")
    found = finders.find(path)
    assert found, f"{url} is not a static file"
    with open(found, "rb") as handle:
        return handle.read()


@pytest.fixture
def heaviest_condition_url(content):
    """The published condition with the most text: the heaviest page."""
    conditions = Condition.objects.published()
    heaviest = max(
        conditions,
        key=lambda c: sum(len(text) for _, _, text in c.sections()) + len(c.questions_for_doctor),
    )
    return heaviest.get_absolute_url()


def test_a_condition_page_with_its_assets_is_at_most_60_kb_compressed(
    client, heaviest_condition_url
):
    response = client.get(heaviest_condition_url)
    assert response.status_code == 200
    html = response.content
    assets = [
        url for url in fetched_urls(html.decode()) if urlsplit(url).path.startswith("/static/")
    ]
    assert any(url.endswith(".css") for url in assets)
    files = {url: static_file(url) for url in assets}
    # What the stylesheets pull in (fonts, images) counts too.
    for url, data in list(files.items()):
        if url.endswith(".css"):
            for nested in CSS_URL.findall(data.decode()):
                if not nested.startswith("data:"):
                    files[nested] = static_file(nested)
    sizes = {"page": gzip_size(html)} | {url: gzip_size(data) for url, data in files.items()}
    total = sum(sizes.values())
    assert total <= MAX_COMPRESSED_BYTES, f"{total} bytes compressed: {sizes}"


@pytest.mark.parametrize(
    "url",
    ["/", "/conditions/", "/mechanisms/", "/symptoms/", "/a-z/", "/search/?q=nerve"],
)
def test_public_pages_fetch_nothing_from_another_origin(client, content, url):
    html = client.get(url).content.decode()
    assert fetched_urls(html), "the parser found nothing to check"
    foreign = [u for u in fetched_urls(html) if not same_origin(u)]
    assert not foreign


def test_condition_pages_fetch_nothing_from_another_origin(client, content):
    for condition in Condition.objects.published():
        html = client.get(condition.get_absolute_url()).content.decode()
        foreign = [u for u in fetched_urls(html) if not same_origin(u)]
        assert not foreign, condition.slug


def test_stylesheets_fetch_nothing_from_another_origin(client, content):
    html = client.get("/").content.decode()
    for url in fetched_urls(html):
        if url.endswith(".css"):
            css = static_file(url).decode()
            assert not [u for u in CSS_URL.findall(css) if not same_origin(u)], url
            assert "@import" not in css or "//" not in css, url
