from django.apps import AppConfig


class ConnectionConfig(AppConfig):
    name = "alliance.connection"
    verbose_name = "Connection map and alumni mentors"
