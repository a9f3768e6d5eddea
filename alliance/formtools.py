"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from django.forms import BaseForm


def form_errors(form: BaseForm) -> str:
    """One line naming each field and what is wrong with it."""
    return "; ".join(
        f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
    )
