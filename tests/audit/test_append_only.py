"""The database itself refuses to change or delete the access log (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver, reverse

from alliance.audit.models import AccessEvent


@pytest.fixture
def logged(world, as_user) -> AccessEvent:
    as_user(world.bob).get(reverse("participant", args=[world.good.participant_id]))
    return AccessEvent.objects.get()


def test_an_update_through_the_orm_is_refused(logged):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=logged.pk).update(username="someone else")
    assert AccessEvent.objects.get().username == "bob"


def test_saving_a_changed_row_is_refused(logged):
    logged.outcome = "failed"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        logged.save()
    assert AccessEvent.objects.get().outcome == "shown"


def test_a_delete_is_refused(logged):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 1


def test_raw_sql_cannot_change_or_delete_it_either(logged):
    for statement in (
        "UPDATE audit_accessevent SET user_id = 0",
        "DELETE FROM audit_accessevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AccessEvent.objects.get().user_id == logged.user_id


def test_emptying_the_table_at_once_is_refused(logged):
    # PostgreSQL has TRUNCATE (a statement trigger refuses it); SQLite has none, and its
    # whole-table DELETE shortcut is disabled by the row trigger.
    statement = (
        "TRUNCATE audit_accessevent"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_accessevent WHERE 1"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessEvent.objects.count() == 1


def test_the_application_offers_no_way_to_change_it(world, as_user, settings):
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("access-log")
    }
    assert names == {"access-log", "access-log-csv"}
    client = as_user(world.olga)
    for name in sorted(names):
        assert client.post(reverse(name)).status_code == 405


def test_a_purge_may_erase_whom_a_row_was_about_and_nothing_else(logged):
    from alliance.audit.services import erase_subject

    assert erase_subject(event_ids=[logged.pk]) == 1

    erased = AccessEvent.objects.get()
    assert (erased.participant_id, erased.enrollment_id, erased.path) == (None, None, "")
    assert (erased.username, erased.url_name, erased.at) == ("bob", logged.url_name, logged.at)


def test_an_erasure_that_also_changes_who_or_when_is_refused(logged):
    for change in ({"username": "someone else"}, {"status": 200, "outcome": "failed"}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessEvent.objects.filter(pk=logged.pk).update(
                participant=None, enrollment_id=None, path="", **change
            )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=logged.pk).update(path="/participants/999/")
    assert AccessEvent.objects.get().participant_id == logged.participant_id
