from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "alliance.engagement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alliance.engagement import signals

        signals.connect()
