from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "alliance.portal"
    verbose_name = "Delivery of documents and the agency portal"
