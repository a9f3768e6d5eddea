"""Every aria-describedby names an id on the page (issue 18, D15)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from alliance.formtools import DescribedBoundField
from tests.web.helpers import text

DESCRIBED = re.compile(r'aria-describedby="([^"]*)"')
ID = re.compile(r'\sid="([^"]+)"')


def dangling(html: str) -> list[str]:
    ids = set(ID.findall(html))
    return sorted(ref for refs in DESCRIBED.findall(html) for ref in refs.split() if ref not in ids)


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("mona", "referral"),
        ("mona", "measures"),
        ("olga", "rights"),
        ("petra", "safety"),
    ],
)
def test_pages_with_help_text_link_it_to_its_field(world, as_user, persona, page) -> None:
    path = {
        "referral": reverse("referral-new"),
        "measures": reverse("program-measures", args=[world.program.pk]),
        "rights": reverse("data-rights"),
        "safety": reverse("safety-home"),
    }[page]
    response = as_user(getattr(world, persona)).get(path)
    assert response.status_code == 200
    html = text(response)
    assert dangling(html) == []
    if page in ("referral", "rights"):
        assert DESCRIBED.search(html), "the page has help text linked to a field"


class _Form(forms.Form):
    code = forms.CharField(help_text="Like NS-0069 <b>", max_length=10)
    plain = forms.CharField(required=False)


def test_help_text_carries_the_id_the_input_names_in_any_template() -> None:
    form = _Form(data={"code": ""})
    field = form["code"]
    assert isinstance(field, DescribedBoundField)
    assert 'aria-describedby="id_code_help"' in str(field)
    assert str(field.help_text) == '<span id="id_code_help">Like NS-0069 &lt;b&gt;</span>'
    assert 'aria-invalid="true"' in str(field)  # required and empty
    # Django's own layouts wrap it in their <id>_helptext span: no duplicate id, no dangling.
    for html in (form.as_p(), form.as_div(), form.as_table(), form.as_ul()):
        assert dangling(html) == []
        assert html.count('id="id_code_help"') == 1
    assert "aria-describedby" not in str(form["plain"])
