"""Participant pages under the ``participants`` namespace (``participants:search``).

The older pages (``participants``, ``participant``, ``participant-history``...) keep their
names in ``alliance/urls.py``.
"""

from django.urls import path

from alliance.participants import views

app_name = "participants"

urlpatterns = [
    path("participants/search/", views.participant_search, name="search"),
]
