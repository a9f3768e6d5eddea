from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "alliance.audit"
    verbose_name = "Access log"
