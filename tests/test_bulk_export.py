"""/api/v1/export/ and load_export: only published content leaves, and it restores a mirror."""

import gzip
import json
import re

import pytest
from django.core.management import call_command

from conditions import models
from conditions.management.commands.export_content import CONTENT_FILES
from editorial.models import Reviewer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(content):
    reviewer = factories.ReviewerFactory(
        slug="rita", name="Dr Rita Example", credentials="neurologist"
    )
    reviewed = models.Condition.objects.published().order_by("pk").first()
    reviewed.record_review(reviewer)
    reviewed.plain_language_exception = "An internal note."
    reviewed.save()
    factories.ReviewerFactory(slug="nobody", name="Dr Never Reviewed")
    draft_symptom = factories.SymptomFactory(slug="draft-symptom", status=models.Status.DRAFT)
    reviewed.symptoms.add(draft_symptom)
    factories.ConditionFactory(slug="draft-condition", status=models.Status.DRAFT)
    return reviewed


def download(client, **params):
    response = client.get("/api/v1/export/", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/gzip"
    return response


def lines(response):
    return [json.loads(line) for line in gzip.decompress(response.content).decode().splitlines()]


def test_the_export_holds_every_published_item_and_nothing_else(client, site):
    rows = lines(download(client))
    head, items = rows[0], rows[1:]
    assert head["type"] == "meta"
    assert head["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert re.fullmatch(r"c\d+", head["changes_cursor"])
    exported = {(row["type"], row["slug"]) for row in items if row["type"] != "source"}
    kinds = {
        "condition": models.Condition,
        "mechanism": models.Mechanism,
        "symptom": models.Symptom,
        "glossary_term": models.GlossaryTerm,
        "treatment": models.Treatment,
    }
    expected = {
        (kind, slug)
        for kind, model in kinds.items()
        for slug in model.objects.published().values_list("slug", flat=True)
    }
    assert exported == expected
    text = json.dumps(rows)
    assert "draft-condition" not in text
    assert "draft-symptom" not in text
    assert "An internal note." not in text
    assert "Dr Never Reviewed" not in text


def test_reviewers_appear_as_the_pages_name_them(client, site):
    rows = lines(download(client))
    (record,) = [row for row in rows if row["type"] == "condition" and row["slug"] == site.slug]
    assert record["data"]["review"]["reviewed_by"] == {
        "name": "Dr Rita Example",
        "credentials": "neurologist",
    }
    reviewers = [
        row["source"]
        for row in rows
        if row["type"] == "source" and row["source"]["model"] == "editorial.reviewer"
    ]
    assert reviewers == [
        {
            "model": "editorial.reviewer",
            "fields": {"slug": "rita", "name": "Dr Rita Example", "credentials": "neurologist"},
        }
    ]
    page = client.get(site.get_absolute_url()).content.decode()
    assert "Dr Rita Example, neurologist" in page


def test_the_json_form_holds_the_same_items(client, site):
    document = json.loads(gzip.decompress(download(client, format="json").content))
    ndjson_items = [
        (row["type"], row["slug"])
        for row in lines(download(client))
        if row["type"] not in {"meta", "source"}
    ]
    assert [(item["type"], item["slug"]) for item in document["items"]] == ndjson_items
    assert document["meta"]["licence"]["spdx"] == "CC-BY-4.0"


def test_a_mirror_downloads_again_only_after_a_change(client, site):
    first = download(client)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get("/api/v1/export/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/export/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # Rendered again (an empty cache), unchanged content gives the same bytes and ETag.
    from django.core.cache import cache

    cache.clear()
    assert download(client)["ETag"] == etag


@pytest.mark.parametrize(
    ("params", "parameter"), [({"format": "xml"}, "format"), ({"since": "1"}, "since")]
)
def test_bad_parameters_are_400s(client, site, params, parameter):
    response = client.get("/api/v1/export/", params)
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


def public_pages(client):
    """Every published item's API record and HTML page, with the per-page history left out
    (a mirror's log starts when it was loaded)."""
    pages = {}
    for model, api in (
        (models.Condition, "conditions"),
        (models.Mechanism, "mechanisms"),
        (models.Symptom, "symptoms"),
    ):
        for slug in model.objects.published().values_list("slug", flat=True):
            record = client.get(f"/api/v1/{api}/{slug}/").json()
            html = client.get(model(slug=slug).get_absolute_url()).content.decode()
            html = re.sub(r'<section class="page-history".*?</section>', "", html, flags=re.S)
            pages[(api, slug)] = (record, html)
    pages["glossary"] = sorted(
        models.GlossaryTerm.objects.published().values_list("slug", "term", "definition")
    )
    return pages


@pytest.mark.parametrize("kind", ["ndjson", "json"])
def test_export_then_load_into_an_empty_database_gives_the_same_public_pages(
    client, site, tmp_path, kind
):
    from django.core.cache import cache

    before = public_pages(client)
    path = tmp_path / f"export.{kind}.gz"
    path.write_bytes(download(client, format=kind).content)

    for _, model in reversed(CONTENT_FILES):
        model._default_manager.all().delete()
    assert not models.Condition.objects.exists()
    call_command("load_export", str(path), verbosity=0)
    cache.clear()

    assert public_pages(client) == before
    assert not models.Condition.objects.exclude(status=models.Status.PUBLISHED).exists()
    assert set(Reviewer.objects.values_list("slug", flat=True)) == {"rita"}


def test_load_export_refuses_a_database_with_content(client, site, tmp_path):
    path = tmp_path / "export.ndjson.gz"
    path.write_bytes(download(client).content)
    with pytest.raises(Exception, match="already holds content"):
        call_command("load_export", str(path), verbosity=0)
