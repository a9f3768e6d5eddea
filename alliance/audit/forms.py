from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from alliance.audit.selectors import Filters, staff_of
from alliance.formtools import model_choices
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants


class AccessLogFilterForm(forms.Form):
    """The filters of the access log page and its CSV export.

    The man is typed as his code (with the codes the reader may see offered as she types,
    instead of a list of every code); a link from his page names him by id. The page turns a
    typed code into his id at once (a redirect), so its address, bookmarks and history keep
    the id, never the code (docs/security.md)."""

    participant = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    code = forms.CharField(
        required=False,
        max_length=32,
        label="Participant code",
        help_text="Leave empty for everyone.",
        widget=forms.TextInput(
            attrs={"list": "participant-codes", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="All staff",
        label="Viewed by",
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible = visible_participants(membership)
        self.fields["code"].widget.attrs["aria-describedby"] = "id_code_helptext"
        user = model_choices(self, "user")
        user.queryset = staff_of(membership)
        user.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            str(obj.get_full_name() or obj.get_username())
        )

    def codes(self) -> list[str]:
        """Every code she may see, for the input's suggestions (one query)."""
        return list(self.visible.order_by("code").values_list("code", flat=True))

    def clean_participant(self) -> Participant | None:
        pk = self.cleaned_data.get("participant")
        if pk is None:
            return None
        man = self.visible.filter(pk=pk).first()
        if man is None:
            raise forms.ValidationError("That man is not among the records you may see.")
        return man

    def clean_code(self) -> Participant | None:
        code = str(self.cleaned_data.get("code") or "").strip()
        if not code:
            return None
        man = self.visible.filter(code__iexact=code).first()
        if man is None:
            raise forms.ValidationError(
                f"No man with the code “{code}” among the records you may see. "
                "Check the code, or leave it empty for everyone."
            )
        return man

    def typed_code(self) -> bool:
        """Whether the man was given as a typed code (the page then redirects to his id)."""
        return self.cleaned_data.get("code") is not None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") is not None:
            data["participant"] = data["code"]
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            participant=data.get("participant"),
            user=data.get("user"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
