"""Every model editors change in the admin refuses a stale save and keeps the editor's text.

Two editors load the same form and both save. On PostgreSQL the two saves really run at the
same time (two threads, two connections, each save held open inside its transaction so they
overlap); on SQLite, which has one writer at a time, one after the other. Either way exactly
one save lands and the other editor is told, with their text still on screen.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from conditions.models import ClinicalCode, Condition, GlossaryTerm, Reference, Status, Symptom
from editorial.models import Proposal, Reviewer
from tests import factories
from tests.test_admin_editorial import staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def form_data(client, url):
    """What the browser posts for the change form at `url`, as it was loaded."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data |= {
            f"{formset.prefix}-{name}": value
            for name, value in formset.management_form.initial.items()
        }
        forms += formset.forms
    for form in forms:
        for name, _field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


def reviewer_account():
    user = staff_user("rita", "Medical reviewers")
    factories.ReviewerFactory(user=user)
    return user


CASES = {
    # model: (make the row, the text field the editors change, who edits, the saved model)
    "reference": (lambda: factories.ReferenceFactory(), "title", "Editors", Reference),
    "clinicalcode": (
        lambda: factories.ClinicalCodeFactory(code="G62.9"),
        "display",
        "Editors",
        ClinicalCode,
    ),
    "symptom": (
        lambda: factories.SymptomFactory(status=Status.DRAFT),
        "description",
        "Editors",
        Symptom,
    ),
    "glossaryterm": (
        lambda: factories.GlossaryTermFactory(status=Status.DRAFT),
        "definition",
        "Editors",
        GlossaryTerm,
    ),
    "reviewer": (lambda: factories.ReviewerFactory(), "credentials", "Medical reviewers", Reviewer),
    # A live page: the editors' saves are proposals, and they must not overwrite each other.
    "condition": (
        lambda: factories.ConditionFactory(codes=[factories.ClinicalCodeFactory(code="G61.0")]),
        "summary",
        "Editors",
        Proposal,
    ),
}


def hold_saves_open(monkeypatch, model, seconds):
    original = model.save

    def slow_save(self, *args, **kwargs):
        time.sleep(seconds)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", slow_save)


@pytest.mark.parametrize("name", CASES)
def test_a_stale_save_is_refused_on_every_model(name, monkeypatch):
    call_command("setup_roles", verbosity=0)
    make, field, group, saved_model = CASES[name]
    obj = make()
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    editors = {}
    for editor in ("alice", "bob"):
        client = Client()
        client.force_login(staff_user(f"{editor}-{name}", group))
        editors[editor] = client
    edits = {editor: f"{editor.title()} wrote this plainly." for editor in editors}
    forms = {}
    for editor, client in editors.items():
        forms[editor] = form_data(client, url) | {field: edits[editor], "change_summary": editor}

    if connection.vendor == "postgresql":
        hold_saves_open(monkeypatch, saved_model, 0.5)
        responses, errors = {}, []
        start = threading.Barrier(2)

        def run(editor):
            try:
                start.wait(timeout=10)
                responses[editor] = editors[editor].post(url, forms[editor])
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(editor,)) for editor in editors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
    else:
        responses = {editor: editors[editor].post(url, forms[editor]) for editor in editors}

    statuses = {editor: response.status_code for editor, response in responses.items()}
    winners = [editor for editor, status in statuses.items() if status == 302]
    losers = [editor for editor, status in statuses.items() if status == 200]
    assert (len(winners), len(losers)) == (1, 1), statuses
    page = responses[losers[0]].content.decode()
    assert "Someone else saved" in page
    assert edits[losers[0]] in page
    if saved_model is Proposal:
        assert Proposal.objects.get().data["fields"][field] == edits[winners[0]]
        assert Condition.objects.get(pk=obj.pk).summary == obj.summary  # still the live text
    else:
        assert getattr(saved_model.objects.get(pk=obj.pk), field) == edits[winners[0]]
