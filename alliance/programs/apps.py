from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "alliance.programs"
    verbose_name = "Programs, groups, sessions and attendance"
