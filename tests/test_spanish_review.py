"""Each translation has its own review: a reviewer approves it; the admin scores it (INFLESZ)."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from editorial import readability
from editorial.models import TransitionRefused, Translation
from tests import factories

pytestmark = pytest.mark.django_db

# Short words, short sentences: an easy Spanish text (INFLESZ well above 65).
EASY = "El lupus es una enfermedad. Las defensas atacan al cuerpo. Puede dañar los nervios."
# One long sentence of long words: a hard one (INFLESZ well below 55).
HARD = (
    "La polineuropatía desmielinizante inflamatoria crónica constituye una enfermedad "
    "caracterizada por desmielinización multifocal progresiva, fundamentalmente "
    "inmunológicamente mediada, requiriendo habitualmente inmunoterapia prolongada."
)


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def staff(username, group):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(roles):
    user = staff("rita", "Medical reviewers")
    factories.ReviewerFactory(user=user, name="Dra. Rita Revisora")
    return user


@pytest.fixture
def editor(roles):
    return staff("eddie", "Editors")


# Every text of tests.factories.ConditionFactory, in Spanish.
SPANISH_SECTIONS = {
    "overview": "Un resumen.",
    "nerve_effects": "Cómo daña los nervios.",
    "symptoms_text": "Siente menos en los pies y las manos.",
    "diagnosis": "Análisis de sangre y pruebas de los nervios.",
    "treatment": "Medicinas que calman las defensas.",
    "urgent_help": "Pida ayuda si la debilidad avanza rápido.",
    "living_with": "Casi todos siguen con su vida. Pida ayuda.",
}


def draft_translation(condition, summary=EASY):
    condition.name_es, condition.summary_es = "Lupus", summary
    for field, text in SPANISH_SECTIONS.items():
        setattr(condition, f"{field}_es", text)
    condition.save()
    return Translation.objects.create(
        item=condition, language="es", source_version=condition.version
    )


def test_inflesz_scores_spanish_text_easy_and_hard():
    assert readability.inflesz(EASY) > readability.SUMMARY_MIN_INFLESZ
    assert readability.inflesz(HARD) < readability.SECTION_MIN_INFLESZ
    assert readability.inflesz("") is None


def test_inflesz_and_english_scores_do_not_disturb_each_other_across_threads():
    english = "The cat sat on the mat. It was warm."
    expected_english = readability._compute_score(english)
    expected_spanish = readability.inflesz(EASY)
    results = []

    def score_many():
        for _ in range(30):
            readability._local.clear()
            results.append((readability._compute_score(english), readability.inflesz(EASY)))

    threads = [threading.Thread(target=score_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {(expected_english, expected_spanish)}


def test_a_reviewer_approves_a_translation_and_is_named(reviewer):
    condition = factories.ConditionFactory()
    translation = draft_translation(condition)
    translation.approve(reviewer)
    translation.refresh_from_db()
    assert translation.is_published
    assert translation.reviewed_by.name == "Dra. Rita Revisora"
    assert translation.source_version == condition.version


def test_an_editor_cannot_approve_a_translation(editor):
    translation = draft_translation(factories.ConditionFactory())
    with pytest.raises(PermissionDenied):
        translation.approve(editor)
    translation.refresh_from_db()
    assert not translation.is_published


def test_a_hard_or_missing_translation_is_refused(reviewer):
    translation = draft_translation(factories.ConditionFactory(), summary=HARD)
    with pytest.raises(TransitionRefused, match="INFLESZ"):
        translation.approve(reviewer)
    empty = draft_translation(factories.ConditionFactory(), summary="")
    with pytest.raises(TransitionRefused, match="Translate these texts too: summary"):
        empty.approve(reviewer)
    half = draft_translation(factories.ConditionFactory())
    half.item.treatment_es = ""
    half.item.save()
    with pytest.raises(TransitionRefused, match="treatment"):
        Translation.objects.get(pk=half.pk).approve(reviewer)


def test_approving_brings_an_out_of_date_translation_up_to_date(reviewer):
    condition = factories.ConditionFactory()
    translation = draft_translation(condition)
    condition.summary = "The English summary moved on."
    condition.save()
    assert translation.is_out_of_date(condition)
    translation.approve(reviewer)
    assert not translation.is_out_of_date()


def test_the_admin_shows_the_spanish_fields_and_their_scores(client, reviewer):
    condition = factories.ConditionFactory()
    draft_translation(condition)
    client.force_login(reviewer)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    html = client.get(url).content.decode()
    assert "Español (Spanish translation, reviewed on its own)" in html
    assert 'name="summary_es"' in html
    assert "INFLESZ" in html
    assert f"<td>{readability.inflesz(EASY):g}</td>" in html


def test_the_reviewer_approves_from_the_translations_list(client, reviewer):
    translation = draft_translation(factories.ConditionFactory())
    client.force_login(reviewer)
    url = reverse("admin:editorial_translation_changelist")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "approve", "_selected_action": [translation.pk]}, follow=True
    )
    assert response.status_code == 200
    translation.refresh_from_db()
    assert translation.is_published
    assert translation.is_reviewed
