from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "alliance.identity"
    verbose_name = "Identity vault (legal name, date of birth, contact, docket)"
