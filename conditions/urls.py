from django.urls import path

from . import views

app_name = "conditions"

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", views.condition_list, name="condition-list"),
    path(
        "conditions/<slug:slug>/",
        views.condition_detail,
        name="condition-detail",
    ),
    path("conditions/<slug:slug>/pack/", views.condition_pack, name="condition-pack"),
    path(
        "conditions/<slug:slug>/questions/",
        views.condition_questions,
        name="condition-questions",
    ),
    path("mechanisms/", views.mechanism_list, name="mechanism-list"),
    path(
        "mechanisms/<slug:slug>/",
        views.mechanism_detail,
        name="mechanism-detail",
    ),
    path("symptoms/", views.symptom_list, name="symptom-list"),
    path("symptoms/<slug:slug>/", views.symptom_detail, name="symptom-detail"),
    path("treatments/", views.treatment_list, name="treatment-list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment-detail"),
    path("compare/", views.compare, name="compare"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:slug>/", views.glossary_term, name="glossary-term"),
    path("a-z/", views.a_to_z, name="a-to-z"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("disclaimer/", views.disclaimer, name="disclaimer"),
]
