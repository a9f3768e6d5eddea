"""A participant-code input that suggests codes as she types (a native ``<datalist>``).

Replaces ``<select>`` lists of every code (540 in the demo, usability finding D16): the input
is an ordinary text box a screen reader announces as such, the browser offers the matching
codes, and the form checks the code on the server with an error naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class CodeInput(forms.TextInput):
    def __init__(self, codes: Iterable[str] = (), attrs: dict[str, Any] | None = None) -> None:
        base = {"autocomplete": "off", "spellcheck": "false", "maxlength": "32"}
        super().__init__({**base, **(attrs or {})})
        self.codes = list(codes)

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-codes"
        attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((c,) for c in self.codes))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)
