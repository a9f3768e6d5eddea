"""The duty-to-warn procedure: the organization's default set by its admin, a program's own by
its manager; the clocks of new incidents follow it."""

from __future__ import annotations

import datetime as dt

from alliance.incidents import services
from alliance.incidents.models import DutyToWarnProcedure
from tests.web.conftest import NOW
from tests.web.helpers import text

STEPS = "1. Call the partner-safety worker. 2. If she is unreachable, call the police."


def _procedure(**overrides: str) -> dict[str, str]:
    data = {
        "program": "",
        "text": STEPS,
        "respond_within_hours": "8",
        "immediate_within_hours": "1",
        "partner_notice_business_days": "3",
    }
    data.update(overrides)
    return data


def test_olga_sets_the_organization_default_and_new_incidents_follow_it(world, as_user) -> None:
    olga = as_user(world.olga)
    assert "Built-in clock" in text(olga.get("/incidents/procedure/"))
    response = olga.post("/incidents/procedure/", _procedure())
    assert response.status_code == 302
    row = DutyToWarnProcedure.objects.get()
    assert (row.program_id, row.respond_within_hours, row.updated_by_id) == (None, 8, world.olga.pk)
    incident = services.flag_incident(
        actor=world.alice,
        enrollment=world.good,
        kind="threat",
        occurred_at=NOW,
        account="He threatened her.",
        immediate_risk=False,
        now=NOW,
        link_base="http://testserver/",
    )
    assert incident.respond_by - NOW == dt.timedelta(hours=8)


def test_mona_sets_her_program_s_own_but_not_the_default(world, as_user) -> None:
    mona = as_user(world.mona)
    page = text(mona.get("/incidents/procedure/"))
    assert "The whole organization (default)</option>" not in page
    refused = mona.post("/incidents/procedure/", _procedure())
    assert refused.status_code == 400
    assert "program:" in text(refused)
    done = mona.post("/incidents/procedure/", _procedure(program=str(world.program.pk)))
    assert done.status_code == 302
    assert DutyToWarnProcedure.objects.get().program_id == world.program.pk
    # Saving again changes the same row.
    mona.post("/incidents/procedure/", _procedure(program=str(world.program.pk), text="New"))
    assert DutyToWarnProcedure.objects.get().text == "New"
    # Safe at Home is at the South site, which Mona does not manage.
    other = mona.post("/incidents/procedure/", _procedure(program=str(world.program_b.pk)))
    assert other.status_code == 400


def test_bad_clocks_are_refused_naming_the_field(world, as_user) -> None:
    olga = as_user(world.olga)
    for overrides, field in (
        ({"respond_within_hours": "0"}, "respond_within_hours"),
        ({"respond_within_hours": "many"}, "respond_within_hours"),
        ({"immediate_within_hours": "12", "respond_within_hours": "6"}, "immediate_within_hours"),
        ({"partner_notice_business_days": "-1"}, "partner_notice_business_days"),
        ({"text": "  "}, "text"),
    ):
        response = olga.post("/incidents/procedure/", _procedure(**overrides))
        assert response.status_code == 400, overrides
        assert f"{field}:" in text(response), overrides
    assert not DutyToWarnProcedure.objects.exists()


def test_staff_who_do_not_set_programs_up_cannot_open_it(world, as_user) -> None:
    for user in (world.bob, world.alice, world.petra, world.eve):
        assert as_user(user).get("/incidents/procedure/").status_code == 404
