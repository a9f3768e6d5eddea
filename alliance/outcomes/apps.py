from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "alliance.outcomes"
    verbose_name = "Follow-up outcomes and program evaluation"
