"""The languages a man can use Alliance in, and which one is his.

His pages (phone check-out, kiosk, practice, accountability prompts, the agreement link), his
texts and his reminders speak his language: the participant's *primary language* when it is
one Alliance has (English, Spanish, Canadian French), else his group's language, else English.
Both are free text written at intake or set-up ("Spanish", "español", "es", "French"...), read
through :data:`NAMES`. Staff pages stay in the program's language (English) for now.

Before his page knows who he is (a link that has expired, a kiosk code typed wrong), the
browser's Accept-Language chooses among the same languages (:class:`ParticipantPagesLanguage`).
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin

ENGLISH, SPANISH, FRENCH = "en", "es", "fr-ca"

#: How a language is written in a free-text field, folded (lower case, no accents), to its code.
NAMES: dict[str, str] = {
    **dict.fromkeys(("en", "eng", "english", "ingles", "anglais"), ENGLISH),
    **dict.fromkeys(
        ("es", "spa", "spanish", "espanol", "castellano", "espagnol", "es-mx", "es-us"), SPANISH
    ),
    **dict.fromkeys(
        ("fr", "fra", "fre", "french", "francais", "frances", "fr-ca", "canadian french"),
        FRENCH,
    ),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", "-")


def language_code(text: str | None) -> str | None:
    """The code of a language Alliance speaks, from how it was written; None otherwise."""
    if not text:
        return None
    folded = _fold(text)
    return NAMES.get(folded) or NAMES.get(folded.split("-")[0])


#: The languages Alliance speaks, named as staff say them.
OWN_NAMES = {ENGLISH: "English", SPANISH: "Spanish", FRENCH: "French"}


def language_name(text: str | None) -> str:
    """A language as staff read it: "en" → "English", "es" → "Spanish", "de" → "German"; free
    text Alliance does not know ("Tagalog") as written."""
    if not text:
        return ""
    code = language_code(text)
    if code is not None:
        return OWN_NAMES[code]
    from django.conf.locale import LANG_INFO

    info = LANG_INFO.get(text.strip().lower())
    if info is not None and "name" in info:
        return str(info["name"])
    return text


def language_of(*, primary_language: str | None, group_language: str | None = None) -> str:
    """His language: his own when Alliance has it, else his group's, else English."""
    return language_code(primary_language) or language_code(group_language) or ENGLISH


def language_of_enrollment(enrollment: object) -> str:
    participant = enrollment.participant  # type: ignore[attr-defined]
    group = enrollment.group  # type: ignore[attr-defined]
    return language_of(
        primary_language=participant.primary_language,
        group_language=group.language if group is not None else None,
    )


def speak(request: HttpRequest, code: str) -> None:
    """From here on, this request's page speaks ``code`` (a man's page once it knows him)."""
    translation.activate(code)
    request.LANGUAGE_CODE = translation.get_language()


#: The URL names of the pages a man opens himself (his link, the kiosk, practice, agreement).
PARTICIPANT_VIEWS = frozenset(
    {
        "measures-link",
        "measures-link-save",
        "kiosk",
        "kiosk-pin",
        "kiosk-checkout",
        "kiosk-save",
        "practice-phone",
        "practice-phone-do",
        "practice-phone-account",
        "practice-phone-reminders",
        "practice-phone-progress",
        "practice-sign-in",
        "practice-sign-out",
        "practice-me",
        "practice-me-do",
        "practice-me-account",
        "practice-me-reminders",
        "practice-me-progress",
        "agreement-phone",
    }
)


class ParticipantPagesLanguage(MiddlewareMixin):
    """His pages start in the browser's language (among Alliance's) until the view knows him;
    every other page in the site's language. The language is reset after each response."""

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> None:
        match = request.resolver_match
        if match is not None and match.url_name in PARTICIPANT_VIEWS:
            speak(request, translation.get_language_from_request(request))
        else:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
