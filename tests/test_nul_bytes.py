"""Bad identifiers (a NUL byte, a word where a number belongs) are a 400 or 404, never a 500."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/api/v1/conditions/%00/",
    "/api/v1/mechanisms/%00/",
    "/api/v1/symptoms/%00/",
    "/api/v1/conditions/?q=%00",
    "/api/v1/lookup/?system=icd10cm&code=%00",
    "/conditions/%00/",
    "/mechanisms/%00/",
    "/symptoms/%00/",
    "/conditions/?q=%00",
    "/conditions/?symptom=%00",
    "/search/?q=%00",
]
STAFF_URLS = [
    "/admin/conditions/condition/abc/preview/",
    "/admin/conditions/condition/%00/preview/",
    "/admin/conditions/condition/%00/change/",
    "/admin/conditions/mechanism/abc/preview/",
    "/admin/conditions/symptom/abc/preview/",
    "/admin/conditions/condition/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=conditions&model_name=condition&field_name=mechanisms",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_with_a_nul_byte_are_refused_plainly(client, url):
    ConditionFactory(name="Lupus", slug="lupus")
    response = client.get(url)
    assert response.status_code in {400, 404}, url


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_urls_with_bad_identifiers_are_refused_plainly(client, url):
    ConditionFactory(name="Lupus", slug="lupus")
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    response = client.get(url)
    assert response.status_code in {400, 404}, url
