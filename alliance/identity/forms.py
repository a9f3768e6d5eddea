"""The identity form; every field has a label, and each error names its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from alliance.formtools import model_choices
from alliance.identity.models import ParticipantIdentity
from alliance.identity.services import MAX_BLOCK, MAX_LINE, IdentityDetails, identity_problems
from alliance.organizations.models import Agency, Organization

DATE = forms.DateInput(attrs={"type": "date"})


def _line(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=MAX_LINE, strip=True, help_text=help_text
    )


def _block(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_BLOCK,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdentityForm(forms.Form):
    legal_first_name = _line("Legal first name", required=True)
    legal_last_name = _line("Legal last name", required=True)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE)
    aliases = _block("Other names he is known by", "One a line.")
    phone = _line("His phone")
    email = _line("His e-mail")
    address = _block("His postal address")
    docket_number = _line("Docket or case number", help_text="As the court writes it.")
    court = _line("Court")
    officer_name = _line("Supervising officer")
    officer_phone = _line("Officer's phone")
    officer_email = _line("Officer's e-mail")
    agency = forms.ModelChoiceField(
        label="Supervising agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not one of ours / not known",
    )
    agency_text = _line(
        "Supervising agency (in words)",
        help_text="When it is not in the list, or to name its department.",
    )

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        current_agency_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        # A closed agency stays selectable for the man it already supervises.
        model_choices(self, "agency").queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=current_agency_id), organization=organization
        )

    def details(self) -> IdentityDetails:
        """The cleaned values (a field that did not parse counts as not given)."""
        data = self.cleaned_data
        given = {
            n: data[n] for n in IdentityDetails.__dataclass_fields__ if data.get(n) is not None
        }
        return IdentityDetails(**({"legal_first_name": "", "legal_last_name": ""} | given))

    def clean(self) -> dict[str, Any]:
        """Every problem at once, each on its field (the service checks the same again)."""
        data = super().clean() or {}
        problems = identity_problems(
            self.details(), organization_id=self.organization.pk, today=timezone.localdate()
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class ReferralIdentityForm(IdentityForm):
    """The identity part of the new-referral form: optional as a whole, but a name is needed
    once anything is given. Checked in full before the referral is written, so the two are
    saved together or not at all."""

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, organization=organization, prefix="identity", **kwargs)
        for field in self.fields.values():
            field.required = False

    def given(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(value not in (None, "") for value in data.values())

    def clean(self) -> dict[str, Any]:
        if not self.given():
            return self.cleaned_data  # nothing given: nothing to check, nothing to save
        return super().clean()


def initial_from(identity: ParticipantIdentity | None) -> dict[str, object]:
    if identity is None:
        return {}
    initial: dict[str, object] = {
        name: getattr(identity, name) for name in IdentityDetails.__dataclass_fields__
    }
    initial["date_of_birth"] = identity.birth_date
    initial["agency"] = identity.agency_id
    return initial
