from __future__ import annotations

from typing import Any

from django import forms

from alliance.api.models import KEY_ROLES
from alliance.organizations.models import Organization, Site


class IntegrationKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will connect with it, e.g. 'Court CMS'.")
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in KEY_ROLES],
        help_text="The key sees and does what a staff member in this role would.",
    )
    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sites"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Site.objects.filter(organization=organization, is_active=True)
