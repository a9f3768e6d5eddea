from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "alliance.court"
    verbose_name = "Court orders, reporting clocks and breach follow-up"

    def ready(self) -> None:
        from alliance.court import receivers  # noqa: F401  (connects the breach receiver)
