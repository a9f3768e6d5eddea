"""Small helpers shared by the apps' forms and views, and how every form's fields render."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, BoundField, ModelChoiceField
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html

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


class DescribedBoundField(BoundField):
    """A field whose help text carries the id its input's ``aria-describedby`` names (D15).

    Django points ``aria-describedby`` at ``<id>_helptext``, an id only its own form templates
    print; Alliance's templates print ``{{ field.help_text }}`` inside their own hint span, so
    26 references led nowhere. Here the help text itself is wrapped in ``<span id="<id>_help">``
    and the input points there: the reference holds whatever template prints the help text, and
    Django's templates (which put ``<id>_helptext`` on their wrapper) get no duplicate id.

    Errors: templates print them in their own words, without Django's ``<id>_error`` id, so the
    input is marked ``aria-invalid`` instead of pointing at an id that may not exist.
    """

    def __init__(self, form: BaseForm, field: Any, name: str) -> None:
        super().__init__(form, field, name)
        if self.help_text and self.auto_id and not self.is_hidden:
            self.help_text = format_html('<span id="{}">{}</span>', self.help_id, self.help_text)

    @property
    def help_id(self) -> str:
        return f"{self.auto_id}_help"

    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None  # set by the form on purpose: kept as it is
        if self.auto_id and not self.is_hidden and self.help_text:
            return self.help_id
        return ""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        built: dict[str, Any] = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors:
            built.setdefault("aria-invalid", "true")
        return built


class Renderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, with described fields."""

    bound_field_class = DescribedBoundField
