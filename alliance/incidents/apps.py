from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "alliance.incidents"
    verbose_name = "Safety incidents and duty to warn"
