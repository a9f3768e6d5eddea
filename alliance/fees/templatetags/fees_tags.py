"""Formatting of minor-unit amounts in fee templates (``{{ amount|money:currency }}``)."""

from __future__ import annotations

from django import template

from alliance.core.fees import format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    return "" if minor is None else format_money(int(minor), currency)
