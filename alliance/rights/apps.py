from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "alliance.rights"
    label = "rights"
    verbose_name = "Data rights and retention"
