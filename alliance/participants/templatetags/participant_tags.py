"""Filters of the man's page: his language by name."""

from __future__ import annotations

from django import template

from alliance import languages

register = template.Library()


@register.filter
def language_name(text: str | None) -> str:
    """ "en" → "English", "es" → "Spanish", "de" → "German"; free text ("Tagalog") as written."""
    return languages.language_name(text)
