"""The language an API request is answered in: `lang`, else Accept-Language, else English.

The code lookup also honours HL7 Infobutton's `informationRecipient.languageCode.c` (`sp` is
how MedlinePlus Connect spells Spanish). An unknown value is a 400 naming the accepted ones.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import ValidationError

from sitecache.pages import accepted_language

LANG_PARAMETER = "lang"
INFOBUTTON_LANGUAGE = "informationRecipient.languageCode.c"
LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
# Infobutton spellings → our codes.
INFOBUTTON_LANGUAGES = {"en": "en", "es": "es", "sp": "es"}


def requested_language(request, infobutton=False):
    """The language asked for, validated; raises a 400 for a value we do not serve."""
    params = request.query_params
    if LANG_PARAMETER in params:
        value = params[LANG_PARAMETER].strip().lower()
        if value not in LANGUAGE_CODES:
            raise ValidationError(
                {LANG_PARAMETER: [f"Unknown language “{value[:20]}”. Accepted values: en, es."]}
            )
        return value
    if infobutton and INFOBUTTON_LANGUAGE in params:
        # "en-US" means English.
        value = params[INFOBUTTON_LANGUAGE].strip().lower().replace("_", "-").split("-")[0]
        if value not in INFOBUTTON_LANGUAGES:
            raise ValidationError(
                {
                    INFOBUTTON_LANGUAGE: [
                        f"Unknown language “{value[:20]}”. Accepted values: en, es, sp."
                    ]
                }
            )
        return INFOBUTTON_LANGUAGES[value]
    return accepted_language(request) or settings.LANGUAGE_CODE


class LanguageMixin:
    """Answer in the requested language, saying which (Content-Language) and on what it
    depends (Vary: Accept-Language), so shared caches keep the languages apart."""

    infobutton_language = False

    def initial(self, request, *args, **kwargs):
        # Before anything that reads content: querysets and serializers use the active language.
        translation.activate(requested_language(request, self.infobutton_language))
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language"])
        return response
