"""``actor(request)``: the signed-in staff user a service records as having acted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from alliance.history import set_history_user
from alliance.http import actor

pytestmark = pytest.mark.django_db


def test_it_returns_the_signed_in_user(world) -> None:
    request = RequestFactory().get("/")
    request.user = world.alice
    assert actor(request) is world.alice


def test_it_refuses_an_anonymous_request_with_the_usual_404() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        actor(request)


def test_the_history_row_names_the_user_set_on_the_instance(world) -> None:
    group = world.group_a
    group.name = "Group A (Tuesday)"
    set_history_user(group, world.bob)
    group.save()
    assert group.history.first().history_user == world.bob
