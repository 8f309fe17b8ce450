"""Public HTML pages. Only published content is ever shown."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Condition, Mechanism, Symptom


@require_safe
def home(request):
    conditions = Condition.objects.published()
    return render(request, "conditions/home.html", {"conditions": conditions})


@require_safe
def condition_list(request):
    conditions = Condition.objects.published()
    return render(request, "conditions/condition_list.html", {"conditions": conditions})


@require_safe
def condition_detail(request, slug):
    condition = get_object_or_404(Condition.objects.published(), slug=slug)
    return render(request, "conditions/condition_detail.html", {"condition": condition})


@require_safe
def mechanism_list(request):
    mechanisms = Mechanism.objects.published()
    return render(request, "conditions/mechanism_list.html", {"mechanisms": mechanisms})


@require_safe
def mechanism_detail(request, slug):
    mechanism = get_object_or_404(Mechanism.objects.published(), slug=slug)
    return render(request, "conditions/mechanism_detail.html", {"mechanism": mechanism})


@require_safe
def symptom_list(request):
    return render(request, "conditions/symptom_list.html", {"symptoms": Symptom.objects.all()})


@require_safe
def symptom_detail(request, slug):
    symptom = get_object_or_404(Symptom, slug=slug)
    return render(request, "conditions/symptom_detail.html", {"symptom": symptom})
