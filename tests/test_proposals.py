"""Changes to live pages: prepared while the page stays up, live only when a reviewer approves.

An Editors-group user tries every road to a published condition's related content through the
admin (its form and inlines, the actions, the standalone admins, direct POSTs); the public page
and the API keep the approved text until a medical reviewer approves the whole change at once.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from conditions.models import Alias, Condition, ConditionMechanism, Reference, Status, Symptom
from editorial.models import Proposal
from tests import factories
from tests.test_admin_editorial import condition_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def staff(group, username):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(roles):
    return staff("Editors", "eddie")


@pytest.fixture
def reviewer(roles):
    user = staff("Medical reviewers", "rita")
    factories.ReviewerFactory(user=user, name="Dr Rita Example", credentials="neurologist")
    return user


@pytest.fixture
def live(db):
    """A published condition with an alias, a mechanism link, a code and a reference."""
    condition = factories.ConditionFactory(
        name="Lupus",
        slug="lupus",
        summary="The approved summary.",
        codes=[factories.ClinicalCodeFactory(code="M32.10")],
    )
    mechanism = factories.MechanismFactory(name="Immune complexes", slug="immune-complexes")
    ConditionMechanism.objects.create(
        condition=condition, mechanism=mechanism, evidence="strong", note="The approved note."
    )
    Alias.objects.create(condition=condition, name="SLE", is_abbreviation=True)
    return condition


def change_url(obj):
    return reverse(f"admin:conditions_{obj._meta.model_name}_change", args=[obj.pk])


def proposal_url(obj):
    return reverse(f"admin:conditions_{obj._meta.model_name}_proposal", args=[obj.pk])


def live_form(condition, **overrides):
    """The change form as the browser posts it for a live condition: its inlines start from
    the proposal's rows (unsaved rows, no ids)."""
    data = condition_form_data(condition, **overrides)
    aliases = list(condition.aliases.all())
    links = list(condition.mechanism_links.all())
    treatments = list(condition.treatment_links.all())
    data |= {
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "mechanism_links-TOTAL_FORMS": str(len(links)),
        "treatment_links-TOTAL_FORMS": str(len(treatments)),
    }
    for i, alias in enumerate(aliases):
        data[f"aliases-{i}-name"] = alias.name
        if alias.is_abbreviation:
            data[f"aliases-{i}-is_abbreviation"] = "on"
    for i, link in enumerate(links):
        data |= {
            f"mechanism_links-{i}-mechanism": link.mechanism_id,
            f"mechanism_links-{i}-role": link.role,
            f"mechanism_links-{i}-evidence": link.evidence,
            f"mechanism_links-{i}-note": link.note,
        }
    for i, link in enumerate(treatments):
        data |= {
            f"treatment_links-{i}-treatment": link.treatment_id,
            f"treatment_links-{i}-role": link.role,
            f"treatment_links-{i}-note": link.note,
        }
    data.pop("status", None)
    return data | overrides


def public_text(client):
    page = client.get("/conditions/lupus/")
    api = client.get("/api/v1/conditions/lupus/")
    assert page.status_code == api.status_code == 200
    return page.content.decode(), api.json()


def test_an_editors_change_to_a_live_page_waits_for_a_reviewer(
    client, editor, reviewer, live, django_capture_on_commit_callbacks
):
    new_reference = factories.ReferenceFactory(title="EULAR 2023 lupus recommendations")
    visitor = type(client)()
    client.force_login(editor)
    form = live_form(
        live,
        summary="The new summary is short and clear.",
        change_summary="Clearer summary, a new alias and a sharper note",
        references=[*live.references.values_list("pk", flat=True), new_reference.pk],
        **{
            "aliases-TOTAL_FORMS": "2",
            "aliases-1-name": "Lupus erythematosus",
            "mechanism_links-0-note": "A sharper note.",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(live), form | {"_submit_proposal": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response.url == proposal_url(live)

    # The live page, the API and the search keep the approved version.
    page, api = public_text(visitor)
    assert "The approved summary." in page
    assert "The new summary is short and clear." not in page
    assert api["summary"] == "The approved summary."
    assert "Lupus erythematosus" not in page
    assert "The approved note." in page
    assert "EULAR 2023" not in page
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.SUBMITTED

    # The reviewer reads one diff of the whole change, in words.
    client.force_login(reviewer)
    review = client.get(proposal_url(live)).content.decode()
    assert "Clearer summary, a new alias and a sharper note" in review
    assert "<del>The approved summary.</del>" in review or "<del>approved</del>" in review
    assert "Lupus erythematosus" in review
    assert "EULAR 2023 lupus recommendations" in review
    assert "sharper" in review

    history_before = live.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(proposal_url(live), {"decision": "approve"})
    assert decided.url == change_url(live), [m.message for m in decided.wsgi_request._messages]

    # Both are visible on the very next request, as one reviewed version.
    page, api = public_text(visitor)
    assert "The new summary is short and clear." in page
    assert "Lupus erythematosus" in page
    assert "EULAR 2023" in page
    assert "A sharper note." in page
    assert "The approved note." not in page
    assert "Medically reviewed by Dr Rita Example, neurologist" in page
    live.refresh_from_db()
    assert live.history.count() == history_before + 1
    assert live.history.first().history_change_reason == (
        "Approved change: Clearer summary, a new alias and a sharper note"
    )
    assert Proposal.objects.get().state == Proposal.State.APPROVED
    assert sorted(live.aliases.values_list("name", flat=True)) == ["Lupus erythematosus", "SLE"]


def test_a_reviewer_sends_a_change_back_and_the_editor_reads_why(client, editor, reviewer, live):
    client.force_login(editor)
    client.post(
        change_url(live),
        live_form(live, summary="Stop all treatment.", change_summary="Shorter")
        | {"_submit_proposal": "1"},
    )
    client.force_login(reviewer)
    client.post(
        proposal_url(live), {"decision": "send_back", "comment": "That sentence is advice."}
    )
    assert Proposal.objects.get().state == Proposal.State.SENT_BACK
    client.force_login(editor)
    form = client.get(change_url(live)).content.decode()
    assert "That sentence is advice." in form
    assert "Stop all treatment." in form  # the editor continues from their own words
    live.refresh_from_db()
    assert live.summary == "The approved summary."


def test_sending_back_needs_a_comment(client, editor, reviewer, live):
    client.force_login(editor)
    client.post(change_url(live), live_form(live, change_summary="x") | {"_submit_proposal": "1"})
    client.force_login(reviewer)
    client.post(proposal_url(live), {"decision": "send_back", "comment": " "})
    assert Proposal.objects.get().state == Proposal.State.SUBMITTED


def test_editors_cannot_approve_their_own_change(client, editor, live):
    client.force_login(editor)
    client.post(
        change_url(live),
        live_form(live, summary="Unreviewed.", change_summary="x") | {"_submit_proposal": "1"},
    )
    client.post(proposal_url(live), {"decision": "approve"})
    live.refresh_from_db()
    assert live.summary == "The approved summary."
    assert Proposal.objects.get().state == Proposal.State.SUBMITTED


def test_approving_over_a_newer_live_version_is_refused(client, editor, reviewer, live):
    client.force_login(editor)
    client.post(
        change_url(live),
        live_form(live, summary="Based on the old text.", change_summary="x")
        | {"_submit_proposal": "1"},
    )
    Condition.objects.get(pk=live.pk).save()  # the live row moved on meanwhile
    client.force_login(reviewer)
    response = client.post(proposal_url(live), {"decision": "approve"}, follow=True)
    assert "The live page has changed since this proposal was written" in response.content.decode()
    live.refresh_from_db()
    assert live.summary == "The approved summary."


def test_two_editors_cannot_overwrite_each_others_proposal(client, editor, live):
    client.force_login(editor)
    first_form = live_form(live, summary="First editor.", change_summary="first")
    second_form = dict(first_form)
    client.post(change_url(live), first_form)
    second_form |= {"summary": "Second editor.", "change_summary": "second"}
    response = client.post(change_url(live), second_form)  # still based on no proposal
    assert response.status_code == 200
    assert "Someone else saved a proposed change" in response.content.decode()
    assert "Second editor." in response.content.decode()
    assert Proposal.objects.get().data["fields"]["summary"] == "First editor."


def test_no_standalone_road_to_links_and_aliases(client, editor, live):
    client.force_login(editor)
    link = live.mechanism_links.get()
    for name, pk in [("conditionmechanism", link.pk), ("alias", live.aliases.get().pk)]:
        for url in (
            f"/admin/conditions/{name}/{pk}/change/",
            f"/admin/conditions/{name}/add/",
            f"/admin/conditions/{name}/",
        ):
            assert client.post(url, {"note": "stop all treatment"}).status_code == 404, url
    link.refresh_from_db()
    assert link.note == "The approved note."


def test_a_reference_or_code_a_live_page_shows_is_changed_only_by_a_reviewer(
    client, editor, reviewer, live
):
    reference = live.references.get()
    code = live.codes.get()
    client.force_login(editor)
    page = client.get(f"/admin/conditions/reference/{reference.pk}/change/")
    assert "only a medical reviewer can change it" in page.content.decode()
    response = client.post(
        f"/admin/conditions/reference/{reference.pk}/change/",
        {"slug": reference.slug, "title": "Phish", "publisher": "x", "url": "https://evil.example"},
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/admin/conditions/reference/{reference.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/conditions/clinicalcode/{code.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    reference.refresh_from_db()
    assert reference.url != "https://evil.example"
    # A new reference, linked to nothing live, is the editor's to write.
    response = client.post(
        "/admin/conditions/reference/add/",
        {"slug": "new-ref", "title": "New", "publisher": "NHS", "url": "https://www.nhs.uk/x"},
    )
    assert response.status_code == 302
    assert "New (NHS)" not in public_text(type(client)())[0]
    client.force_login(reviewer)
    assert client.get(f"/admin/conditions/reference/{reference.pk}/change/").context[
        "has_change_permission"
    ]


def test_new_symptoms_and_drafts_are_not_public_until_published(client, editor, reviewer, roles):
    client.force_login(editor)
    response = client.post(
        "/admin/conditions/symptom/add/",
        {
            "name": "Tired legs",
            "slug": "tired-legs",
            "clinical_term": "fatigue",
            "description": "Legs that feel heavy.",
            "status": "draft",
            "loaded_version": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    visitor = type(client)()
    assert visitor.get("/symptoms/tired-legs/").status_code == 404
    assert "tired-legs" not in visitor.get("/api/v1/symptoms/").content.decode()
    assert "Tired legs" not in visitor.get("/symptoms/").content.decode()
    symptom = Symptom.objects.get(slug="tired-legs")
    client.post(
        reverse("admin:conditions_symptom_changelist"),
        {"action": "publish", "_selected_action": [symptom.pk]},
    )
    assert Symptom.objects.get(pk=symptom.pk).status == Status.DRAFT  # editors cannot
    client.force_login(reviewer)
    client.post(
        reverse("admin:conditions_symptom_changelist"),
        {"action": "publish", "_selected_action": [symptom.pk]},
    )
    assert visitor.get("/symptoms/tired-legs/").status_code == 200


def test_a_reviewer_without_a_name_and_credentials_cannot_publish(client, roles, live):
    anonymous_reviewer = staff("Medical reviewers", "nameless")
    draft = factories.ConditionFactory(
        status=Status.DRAFT, codes=[factories.ClinicalCodeFactory(code="G61.0")]
    )
    client.force_login(anonymous_reviewer)
    response = client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "has no reviewer name and credentials" in response.content.decode()
    assert Condition.objects.get(pk=draft.pk).status == Status.DRAFT


def test_withdrawing_a_proposal_leaves_the_page_as_it_was(client, editor, live):
    client.force_login(editor)
    client.post(change_url(live), live_form(live, summary="Never mind.", change_summary="x"))
    client.post(proposal_url(live), {"decision": "withdraw"})
    assert not Proposal.objects.exists()
    live.refresh_from_db()
    assert live.summary == "The approved summary."


def test_an_unknown_decision_is_a_clear_400(client, reviewer, live):
    client.force_login(reviewer)
    Proposal.objects.create(item=live, base_version=live.version, data={}, summary="x")
    response = client.post(proposal_url(live), {"decision": "publish-everything"})
    assert response.status_code == 400
    assert "decision" in response.content.decode()


def test_reverting_a_live_page_to_an_earlier_version_is_proposed(client, editor, reviewer, live):
    first = live.history.first()
    live.summary = "A later summary."
    live.save()
    client.force_login(editor)
    url = reverse("admin:conditions_condition_revert", args=[live.pk, first.history_id])
    response = client.post(url)
    assert response.url == proposal_url(live)
    live.refresh_from_db()
    assert live.summary == "A later summary."
    assert Proposal.objects.get().data["fields"]["summary"] == "The approved summary."


def test_references_are_untouched_by_a_proposal_that_does_not_change_them(client, editor, live):
    reference = live.references.get()
    assert isinstance(reference, Reference)
    client.force_login(editor)
    client.post(change_url(live), live_form(live, change_summary="nothing much"))
    assert Proposal.objects.get().data["many"]["references"] == [reference.pk]


HARD = (
    "Immunomodulatory pharmacotherapy necessitates individualised multidisciplinary "
    "consideration of contraindications, comorbidities and pharmacokinetic interactions."
)


def test_hard_text_goes_live_only_with_the_reviewers_recorded_reason(
    client, editor, reviewer, live
):
    client.force_login(editor)
    client.post(
        change_url(live),
        live_form(live, summary=HARD, change_summary="Technical summary")
        | {"_submit_proposal": "1"},
    )
    client.force_login(reviewer)
    refused = client.post(proposal_url(live), {"decision": "approve"}, follow=True)
    assert "give the reason they must stay as they are" in refused.content.decode()
    live.refresh_from_db()
    assert live.summary == "The approved summary."
    client.post(
        proposal_url(live),
        {"decision": "approve", "plain_language_exception": "Quoted from the guideline title."},
    )
    live.refresh_from_db()
    assert live.summary == HARD
    assert live.history.first().plain_language_exception == "Quoted from the guideline title."


def test_publishing_hard_text_is_refused_to_a_superuser_too(client, roles):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    factories.ReviewerFactory(user=admin)
    draft = factories.ConditionFactory(
        status=Status.DRAFT, summary=HARD, codes=[factories.ClinicalCodeFactory(code="G61.0")]
    )
    client.force_login(admin)
    response = client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Summary (grade" in response.content.decode()
    assert Condition.objects.get(pk=draft.pk).status == Status.DRAFT
    response = client.post(change_url(draft), condition_form_data(draft, status=Status.PUBLISHED))
    assert response.status_code == 200
    assert Condition.objects.get(pk=draft.pk).status == Status.DRAFT


def test_line_endings_are_normalised_and_only_real_edits_are_recorded(client, editor, roles):
    draft = factories.ConditionFactory(
        status=Status.DRAFT,
        overview="First paragraph.\n\nSecond paragraph.",
        treatment="- One\n- Two",
        codes=[factories.ClinicalCodeFactory(code="G61.0")],
    )
    client.force_login(editor)
    # As a browser sends every textarea: CRLF line endings, here with a trailing space too.
    form = condition_form_data(draft, summary="A changed summary.")
    for name in ("overview", "treatment"):
        form[name] = getattr(draft, name).replace("\n", "\r\n") + " \r\n"
    response = client.post(change_url(draft), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.overview == "First paragraph.\n\nSecond paragraph."
    assert draft.treatment == "- One\n- Two"
    latest, previous = draft.history.all()[:2]
    changed = {change.field for change in latest.diff_against(previous).changes}
    assert changed - {"version", "updated"} == {"summary"}
