"""The site's URLs plus one view that fails, to see the 500 page (test_bad_input.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fail(request: HttpRequest, value: str) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("fail/<str:value>/", fail),
    path("", include("alliance.urls")),
]
