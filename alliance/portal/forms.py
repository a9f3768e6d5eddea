from __future__ import annotations

from django import forms


class EmailDeliveryForm(forms.Form):
    email = forms.EmailField(
        label="Recipient's e-mail address",
        max_length=254,
        error_messages={"required": "Enter the recipient's e-mail address."},
    )


class OfficerInviteForm(forms.Form):
    email = forms.EmailField(
        label="Officer's e-mail address",
        max_length=254,
        error_messages={"required": "Enter the officer's e-mail address."},
    )
