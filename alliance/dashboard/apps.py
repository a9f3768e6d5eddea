from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "alliance.dashboard"
    verbose_name = "Home pages and dashboards"
