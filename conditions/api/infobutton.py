"""The HL7 Infobutton knowledge response: an Atom 1.0 feed, or the guide's JSON form of it.

The URL-based implementation guide has the service answer `knowledgeResponseType=text/xml` with
an Atom feed (RFC 4287) and `application/json` with the same feed written as JSON, where an
element's text is `_value` and its attributes are keys beside it (as MedlinePlus Connect does).
The feed names what was asked (categories with the request's parameter as scheme); each entry
is one condition page: its title, its link, an HTML summary, the code it matched on, and when
it was last updated.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, rfc3339_date
from django.utils.html import format_html

from editorial.markdown import render_markdown
from ops.origin import absolute_url

from .lookup import (
    INFOBUTTON_CODE,
    INFOBUTTON_DISPLAY_NAME,
    INFOBUTTON_LANGUAGE,
    INFOBUTTON_RECIPIENT,
    INFOBUTTON_RESPONSE_TYPE,
    INFOBUTTON_SYSTEM,
    OIDS,
    Recipient,
)

ATOM = "atom"
INFOBUTTON_JSON = "infobutton-json"
API_JSON = "api-json"

# knowledgeResponseType values (and Accept media types) → the form answered.
RESPONSE_TYPES = {
    "text/xml": ATOM,
    "application/atom+xml": ATOM,
    "application/json": INFOBUTTON_JSON,
}
# A provider's link opens the page at the part written for clinical readers.
PROVIDER_SECTION = "diagnosis"


class InfobuttonFeed(Atom1Feed):
    """Atom with the Infobutton's coded categories: <category scheme="..." term="..."/>."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for scheme, term in self.feed["coded_categories"]:
            handler.addQuickElement("category", "", {"scheme": scheme, "term": term})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for scheme, term in item["coded_categories"]:
            handler.addQuickElement("category", "", {"scheme": scheme, "term": term})


def entry_link(request, condition, recipient):
    url = absolute_url(condition.get_absolute_url())
    return f"{url}#{PROVIDER_SECTION}" if recipient == Recipient.PROVIDER else url


def entry_summary(condition, recipient):
    """The HTML summary: the plain summary and other names; for a provider, how it is
    diagnosed as well."""
    parts = [format_html("<p>{}</p>", condition.summary)]
    aliases = [alias.name for alias in condition.aliases.all()]
    if aliases:
        parts.append(format_html('<p class="alsoCalled">Also called: {}</p>', ", ".join(aliases)))
    if recipient == Recipient.PROVIDER and condition.diagnosis.strip():
        parts.append(
            format_html("<h3>How it is diagnosed</h3>{}", render_markdown(condition.diagnosis))
        )
    return "".join(str(part) for part in parts)


def entry_categories(condition):
    categories = []
    if condition.matched_code is not None:
        categories += [
            (INFOBUTTON_CODE, condition.matched_code.code),
            (INFOBUTTON_SYSTEM, OIDS[condition.matched_code.system]),
        ]
    return [*categories, ("match", condition.match)]


def build_feed(request, query, conditions):
    asked = query.code or query.display_name
    updated = [condition.updated for condition in conditions]
    feed = InfobuttonFeed(
        title=settings.SITE_NAME,
        link=absolute_url("/"),
        description="",
        subtitle=f"Conditions matching {asked}",
        language=query.language,
        feed_url=absolute_url(request.get_full_path()),
        feed_guid=absolute_url(request.get_full_path()),
        author_name=settings.SITE_NAME,
        author_link=absolute_url("/"),
        feed_copyright=settings.CONTENT_RIGHTS,
        coded_categories=[
            *(
                [(INFOBUTTON_CODE, query.code), (INFOBUTTON_SYSTEM, OIDS[query.system])]
                if query.code
                else []
            ),
            *([(INFOBUTTON_DISPLAY_NAME, query.display_name)] if query.display_name else []),
            (INFOBUTTON_RECIPIENT, query.recipient),
            (INFOBUTTON_LANGUAGE, query.language),
        ],
    )
    for condition in conditions:
        page = absolute_url(condition.get_absolute_url())
        feed.add_item(
            title=condition.name,
            link=entry_link(request, condition, query.recipient),
            description=entry_summary(condition, query.recipient),
            unique_id=page,
            updateddate=condition.updated,
            coded_categories=entry_categories(condition),
        )
    # An empty answer is as new as the moment it was made.
    feed.latest_post_date = lambda: max(updated) if updated else timezone.now()
    return feed


def atom(feed):
    return feed.writeString("utf-8")


def _value(text, **attributes):
    return {"_value": text, **attributes}


def json_form(feed):
    """The guide's JSON form of the same feed."""
    root = feed.feed
    return {
        "feed": {
            "xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "base": root["link"],
            "lang": root["language"],
            "title": _value(root["title"], type="text"),
            "subtitle": _value(root["subtitle"], type="text"),
            "id": _value(root["id"]),
            "updated": _value(rfc3339_date(feed.latest_post_date())),
            "author": {"name": _value(root["author_name"]), "uri": _value(root["author_link"])},
            "rights": _value(root["feed_copyright"]),
            "category": [
                {"scheme": scheme, "term": term} for scheme, term in root["coded_categories"]
            ],
            "entry": [
                {
                    "lang": root["language"],
                    "title": _value(item["title"], type="text"),
                    "link": [
                        {
                            "href": item["link"],
                            "rel": "alternate",
                            "type": "text/html",
                            "hreflang": root["language"],
                            "title": item["title"],
                        }
                    ],
                    "id": _value(item["unique_id"]),
                    "updated": _value(rfc3339_date(item["updateddate"])),
                    "summary": _value(item["description"], type="html"),
                    "category": [
                        {"scheme": scheme, "term": term}
                        for scheme, term in item["coded_categories"]
                    ],
                }
                for item in feed.items
            ],
        }
    }


def requested_form(request):
    """ATOM, INFOBUTTON_JSON or API_JSON (the structured default); None if unsupported.

    knowledgeResponseType decides when sent; otherwise an Accept header asking for Atom or XML
    gets Atom, and everything else the API's own JSON (DRF refuses an Accept excluding JSON).
    """
    asked = request.query_params.get(INFOBUTTON_RESPONSE_TYPE)
    if asked is not None:
        return RESPONSE_TYPES.get(asked.strip().lower())
    accept = request.headers.get("Accept", "")
    media_types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if any(RESPONSE_TYPES.get(media_type) == ATOM for media_type in media_types) and not any(
        media_type in {"application/json", "*/*", "application/*"} for media_type in media_types
    ):
        return ATOM
    return API_JSON
