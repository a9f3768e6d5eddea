"""Filters of the man's page: his language by name."""

from __future__ import annotations

from django import template
from django.conf.locale import LANG_INFO

from alliance.languages import ENGLISH, FRENCH, SPANISH, language_code

register = template.Library()

#: The languages Alliance speaks, named as staff say them.
OWN_NAMES = {ENGLISH: "English", SPANISH: "Spanish", FRENCH: "French"}


@register.filter
def language_name(text: str | None) -> str:
    """ "en" → "English", "es" → "Spanish", "de" → "German"; free text ("Tagalog") as written."""
    if not text:
        return ""
    code = language_code(text)
    if code is not None:
        return OWN_NAMES[code]
    info = LANG_INFO.get(text.strip().lower())
    if info is not None and "name" in info:
        return str(info["name"])
    return text
