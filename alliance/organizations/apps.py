from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "alliance.organizations"
    verbose_name = "Organizations, sites and staff roles"
