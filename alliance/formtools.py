"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, ModelChoiceField

#: Some of Django's messages quote the value typed ("Select a valid choice. X is not one of
#: the available choices."): a 128 KB value must not come back in a message or a session.
MAX_ERROR_CHARS = 200


def form_errors(form: BaseForm) -> str:
    """One line naming each field and what is wrong with it."""
    return "; ".join(
        f"{name}: {' '.join(_short(str(e)) for e in errors)}"
        for name, errors in form.errors.items()
    )


def _short(message: str) -> str:
    if len(message) <= MAX_ERROR_CHARS:
        return message
    return message[: MAX_ERROR_CHARS - 1] + "…"


def model_choices(form: BaseForm, name: str) -> ModelChoiceField[Any]:
    """The form's model-choice field ``name``, to narrow its queryset to what the user may see.

    ``form.fields`` is typed ``dict[str, Field]``; this checks the field's kind once (a
    misnamed field fails loudly at the form's construction, in every test that renders it).
    """
    field = form.fields[name]
    if not isinstance(field, ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field
