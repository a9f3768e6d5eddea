from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "alliance.measures"
    verbose_name = "Measures, check-outs and alerts"
