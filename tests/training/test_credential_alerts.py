"""Credential expiry alerts: 60 and 30 days before and on the day, once per threshold, shown to
the person, his supervisor and the managers; a renewal ends them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from alliance.organizations.models import Membership
from alliance.practice.models import Supervision
from alliance.training.models import CredentialAlert
from alliance.training.services import record_credential


def credential(world, *, expires_on, name="LCSW licence", issued_on=dt.date(2023, 4, 1)):
    return record_credential(
        actor=world.alice,
        person=Membership.objects.get(user=world.alice),
        name=name,
        issuer="State board",
        issued_on=issued_on,
        expires_on=expires_on,
        now=timezone.now(),
    )


def run() -> str:
    out = StringIO()
    call_command("alert_credentials", stdout=out)
    return out.getvalue()


def test_one_alert_per_threshold_however_often_it_runs(world, frozen_clock):
    # Today is 10 Mar 2025 at Riverside: 60 days ahead is 9 May.
    held = credential(world, expires_on=dt.date(2025, 5, 9))
    assert "new alerts: 1" in run()
    assert "new alerts: 0" in run()
    assert list(CredentialAlert.objects.values_list("threshold_days", flat=True)) == [60]
    frozen_clock.shift(dt.timedelta(days=29))  # 8 Apr: 31 days left, nothing new
    assert "new alerts: 0" in run()
    frozen_clock.shift(dt.timedelta(days=1))  # 9 Apr: 30 days left
    run()
    frozen_clock.shift(dt.timedelta(days=30))  # 9 May: the day
    run()
    run()
    assert sorted(
        CredentialAlert.objects.filter(credential=held).values_list("threshold_days", flat=True)
    ) == [0, 30, 60]


def test_a_late_first_run_raises_only_the_tightest_threshold(world):
    credential(world, expires_on=dt.date(2025, 3, 25))  # 15 days left
    run()
    assert list(CredentialAlert.objects.values_list("threshold_days", flat=True)) == [30]


def test_she_her_supervisor_and_the_manager_see_it_and_a_colleague_does_not(world, as_user):
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    credential(world, expires_on=dt.date(2025, 4, 1))
    run()
    own = as_user(world.alice).get("/").content.decode()
    assert "Your LCSW licence" in own
    for user in (world.bob, world.mona):
        page = as_user(user).get("/training/alerts/").content.decode()
        assert "LCSW licence" in page
    assert "LCSW licence" not in as_user(world.charlie).get("/training/alerts/").content.decode()
    # The manager's landing page is the dashboard: the same line is there.
    assert "LCSW licence" in as_user(world.mona).get("/dashboard/").content.decode()


def test_a_renewal_ends_the_alert_and_the_status_counts_the_new_record(world, as_user):
    credential(world, expires_on=dt.date(2025, 3, 20))
    run()
    assert "Your LCSW licence" in as_user(world.alice).get("/").content.decode()
    credential(world, expires_on=dt.date(2027, 3, 20), issued_on=dt.date(2025, 3, 5))
    run()
    home = as_user(world.alice).get("/").content.decode()
    assert "Your LCSW licence" not in home
    mine = as_user(world.alice).get("/training/").content.decode()
    assert "LCSW licence: valid until 20 Mar 2027." in mine
    assert "replaced by a renewal" in mine
