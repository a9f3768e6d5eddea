from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "alliance.reports"
    verbose_name = "Mandated reporting: notices, compliance reports, certificates"
