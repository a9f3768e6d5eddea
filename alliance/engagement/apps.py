from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "alliance.engagement"
    default_auto_field = "django.db.models.BigAutoField"
