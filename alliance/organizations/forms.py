"""Forms of the organization admin's settings pages and of the invitation page."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db.models import QuerySet

from alliance.formtools import model_choices
from alliance.organizations.logo import MAX_BYTES
from alliance.organizations.models import Membership, Organization, Role, Site
from alliance.programs.models import Group

PHONE = RegexValidator(
    r"^\+?[0-9 ().-]{5,40}$", "Enter a phone number: digits, spaces and + ( ) - . only."
)


def _time_zones() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"]


class OrganizationForm(forms.ModelForm):  # type: ignore[type-arg]
    time_zone = forms.ChoiceField(
        choices=_time_zones,
        error_messages={"invalid_choice": "Choose a time zone from the list (e.g. Europe/Madrid)."},
    )
    phone = forms.CharField(max_length=40, required=False, validators=[PHONE])
    logo_upload = forms.FileField(
        label="Logo",
        required=False,
        help_text=f"PNG or JPEG, at most {MAX_BYTES // 1024} KB.",
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "time_zone",
            "address",
            "phone",
            "signature_block",
            "facilitator_identity",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "signature_block": forms.Textarea(attrs={"rows": 4}),
            "facilitator_identity": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form, a script): the setting stays as it was.
        self.fields["facilitator_identity"].required = False

    def clean_facilitator_identity(self) -> str:
        value: str = self.cleaned_data.get("facilitator_identity") or ""
        return value or self.instance.facilitator_identity

    def clean_logo_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024} KB.")
        data: bytes = upload.read()
        return data


class SiteForm(forms.ModelForm):  # type: ignore[type-arg]
    time_zone = forms.ChoiceField(
        choices=_time_zones,
        error_messages={"invalid_choice": "Choose a time zone from the list (e.g. Europe/Madrid)."},
    )
    phone = forms.CharField(max_length=40, required=False, validators=[PHONE])

    class Meta:
        model = Site
        fields = ["name", "time_zone", "address", "phone"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.organization = organization

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Site.objects.filter(organization=self.organization, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another site already has this name.")
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices)
    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every role but the organization admin sees only these sites.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choices(self, "sites").queryset = Site.objects.filter(
            organization=organization, is_active=True
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("role") and data["role"] != Role.ORG_ADMIN and not data.get("sites"):
            self.add_error("sites", "Choose at least one site for this role.")
        return data


class StaffForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    supervisees = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        membership: Membership,
        groups: QuerySet[Group],
        supervisees: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choices(self, "sites").queryset = Site.objects.filter(
            organization=membership.organization
        )
        model_choices(self, "groups").queryset = groups
        model_choices(self, "supervisees").queryset = supervisees.exclude(pk=membership.user_id)


class DeactivateForm(forms.Form):
    successor = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label="Successor",
        help_text="Who takes over his groups, his coming sessions and his supervisees.",
        empty_label="Nobody (he has none)",
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choices(self, "successor").queryset = (
            Membership.objects.filter(organization=membership.organization, user__is_active=True)
            .exclude(pk=membership.pk)
            .select_related("user")
        )


PASSWORD_MAX_LENGTH = 1024


class AcceptInvitationForm(SetPasswordMixin, forms.Form):  # type: ignore[type-arg]
    """The invitee's account: a username and a password checked by Django's validators."""

    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        help_text="3 to 150 letters, digits and @ . + - _ characters.",
        error_messages={"invalid": "Use 3 to 150 letters, digits and @ . + - _ characters."},
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields()
    for _field in (password1, password2):
        # Bounded like every text field (a 128 KB password is refused, not hashed).
        _field.max_length = PASSWORD_MAX_LENGTH
        _field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
    del _field

    def clean(self) -> dict[str, object]:
        self.validate_passwords()
        return super().clean() or {}
