"""Two real database connections saving the same item: the second save is refused, not lost."""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from conditions.models import Condition
from tests import factories
from tests.test_admin_editorial import change_url, condition_form_data

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks across connections, which SQLite lacks (CI runs it on PostgreSQL)",
)


@pytest.mark.django_db(transaction=True)
def test_a_save_racing_another_waits_for_it_and_is_refused():
    call_command("setup_roles", verbosity=0)
    editor = factories.UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    condition = factories.ConditionFactory(status="draft", summary="Original.")
    stale_form = condition_form_data(condition, summary="Second editor's words.")
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def first_editor():
        try:
            with transaction.atomic():
                first = Condition.objects.select_for_update().get(pk=condition.pk)
                first.summary = "First editor's words."
                first.save()
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def second_editor():
        try:
            client = Client()
            client.force_login(editor)
            outcome["response"] = client.post(change_url(condition), stale_form)
        finally:
            connection.close()

    first = threading.Thread(target=first_editor)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=second_editor)
    second.start()
    time.sleep(0.5)
    # The second save passed the form's check (the first is not committed) and now waits on
    # the row lock instead of overwriting.
    assert second.is_alive()
    release.set()
    first.join(10)
    second.join(10)

    response = outcome["response"]
    assert response.status_code == 200
    assert "Someone else saved this condition" in response.content.decode()
    condition.refresh_from_db()
    assert (condition.summary, condition.version) == ("First editor's words.", 2)
