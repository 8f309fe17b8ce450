"""Two editors save the same condition at once: one save wins, the other is refused, none lost.

On PostgreSQL the two saves really run at the same time, in two threads with two database
connections, and each save is slowed down inside its transaction so that they overlap: the
second save's version check passes, its atomic claim (UPDATE … WHERE version = loaded) waits
on the first one's row lock, then matches nothing. On SQLite, which allows one writer at a
time, the same two saves run one after the other.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conditions.models import Condition, Status
from tests import factories
from tests.test_admin_editorial import condition_form_data, staff_user

# Real transactions, so the two connections see each other's commits and row locks.
pytestmark = pytest.mark.django_db(transaction=True)

STALE_TEXT = "Someone else saved this condition"
EDITS = {"alice": "Alice's rewrite of the summary.", "bob": "Bob's rewrite of the summary."}


@pytest.fixture
def condition():
    call_command("setup_roles", verbosity=0)
    code = factories.ClinicalCodeFactory(code="G61.0")
    return factories.ConditionFactory(
        status=Status.DRAFT, codes=[code], summary="The original summary."
    )


@pytest.fixture
def editors(condition):
    clients = {}
    for name in EDITS:
        client = Client()
        client.force_login(staff_user(f"{name}-editor", "Editors"))
        clients[name] = client
    return clients


def save(client, condition, summary):
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    # Both forms were loaded from the same version of the condition.
    return client.post(url, condition_form_data(condition, summary=summary))


def slow_saves(monkeypatch, seconds):
    """Hold each save's transaction open a little, after its claim, so the two overlap."""
    original_save = Condition.save

    def slow_save(self, *args, **kwargs):
        time.sleep(seconds)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Condition, "save", slow_save)


def save_concurrently(editors, condition):
    start = threading.Barrier(len(editors))
    responses, errors = {}, []

    def run(name):
        try:
            start.wait(timeout=10)
            responses[name] = save(editors[name], condition, EDITS[name])
        except Exception as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(name,)) for name in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def test_concurrent_saves_never_lose_an_edit(editors, condition, monkeypatch):
    history_before = condition.history.count()
    if connection.vendor == "postgresql":
        slow_saves(monkeypatch, seconds=0.5)
        responses = save_concurrently(editors, condition)
    else:
        responses = {name: save(editors[name], condition, EDITS[name]) for name in EDITS}

    outcomes = {name: response.status_code for name, response in responses.items()}
    winners = [name for name, status in outcomes.items() if status == 302]
    losers = [name for name, status in outcomes.items() if status == 200]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    [winner], [loser] = winners, losers

    # The refused editor is told why, and their text is still on screen to carry over.
    refused_page = responses[loser].content.decode()
    assert STALE_TEXT in refused_page
    assert EDITS[loser].replace("'", "&#x27;") in refused_page

    # The stored row is the winner's edit, saved exactly once on top of the original.
    condition.refresh_from_db()
    assert condition.summary == EDITS[winner]
    assert condition.version == 2
    new_history = condition.history.order_by("history_id")[history_before:]
    assert [record.summary for record in new_history] == [EDITS[winner]]

    # Reloading the form and saving again works: the loser's edit can still land.
    reloaded = save(editors[loser], condition, EDITS[loser])
    assert reloaded.status_code == 302
    condition.refresh_from_db()
    assert (condition.summary, condition.version) == (EDITS[loser], 3)
