from django.urls import path

from alliance.audit import views

urlpatterns = [
    path("audit/", views.access_log, name="access-log"),
    path("audit/access-log.csv", views.access_log_csv, name="access-log-csv"),
]
