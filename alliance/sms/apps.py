from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "alliance.sms"
    label = "sms"
    verbose_name = "Text messages"

    def ready(self) -> None:
        from alliance.sms import receivers  # noqa: F401  (connects the session-change signal)
