"""Roles and scopes, deactivation, and the settings history.

Alice and Fred facilitate group A at Riverside North; Bob supervises North; Mona manages its
programs; Olga administers Riverside. Oscar administers another organization.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.urls import reverse

from alliance.organizations.models import Membership, Role
from alliance.practice.models import Supervision
from alliance.programs.models import Attendance, Group
from tests.web.conftest import login_verified
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def member_url(name: str, user) -> str:
    return reverse(name, args=[Membership.objects.get(user=user).pk])


def test_the_admin_sets_role_sites_groups_and_supervisees(world, as_user):
    response = as_user(world.olga).post(
        member_url("settings-staff-member", world.bob),
        {
            "role": Role.SUPERVISOR,
            "sites": [world.north.pk, world.south.pk],
            "groups": [],
            "supervisees": [world.alice.pk, world.charlie.pk],
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.bob)
    assert set(membership.sites.all()) == {world.north, world.south}
    assert set(
        Supervision.objects.filter(supervisor=world.bob).values_list("facilitator", flat=True)
    ) == {
        world.alice.pk,
        world.charlie.pk,
    }


def test_the_admin_moves_a_facilitator_between_groups(world, as_user):
    as_user(world.olga).post(
        member_url("settings-staff-member", world.charlie),
        {"role": Role.FACILITATOR, "sites": [world.south.pk], "groups": [world.group_c.pk]},
    )
    assert list(Group.objects.filter(facilitators=world.charlie)) == [world.group_c]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "owner"}, "Role: Select a valid choice."),
        ({"role": Role.EVALUATOR, "groups": "GROUP_A"}, "Groups: Only clinical staff"),
        ({"role": Role.FACILITATOR, "supervisees": "ALICE"}, "Supervisees: Only a supervisor"),
        ({"role": Role.SUPERVISOR, "supervisees": "BOB"}, "Supervisees: Select a valid choice."),
        ({"role": Role.SUPERVISOR, "sites": "OTHER_SITE"}, "Sites: Select a valid choice."),
    ],
)
def test_bad_roles_and_scopes_are_refused_naming_the_field(world, as_user, data, message):
    from tests.factories import make_organization, make_site

    other_site = make_site(make_organization("Faraway"), "Faraway Centre")
    ids = {
        "GROUP_A": world.group_a.pk,
        "ALICE": world.alice.pk,
        "BOB": world.bob.pk,
        "OTHER_SITE": other_site.pk,
    }
    post = {k: ids.get(v, v) for k, v in data.items()}
    response = as_user(world.olga).post(member_url("settings-staff-member", world.bob), post)
    assert response.status_code == 400
    assert message in text(response)
    membership = Membership.objects.get(user=world.bob)
    assert membership.role == Role.SUPERVISOR
    assert list(membership.sites.all()) == [world.north]


def test_the_admin_cannot_take_his_own_admin_role(world, as_user):
    response = as_user(world.olga).post(
        member_url("settings-staff-member", world.olga), {"role": Role.FACILITATOR}
    )
    assert response.status_code == 400
    assert "Role: You cannot take the organization admin role from yourself." in text(response)
    assert Membership.objects.get(user=world.olga).role == Role.ORG_ADMIN


def test_another_organizations_staff_are_missing_for_oscar(world, as_user):
    client = as_user(world.outsider)
    for name in ("settings-staff-member", "settings-staff-deactivate"):
        forbidden = client.get(member_url(name, world.alice))
        missing = client.get(reverse(name, args=[MISSING_ID]))
        assert_same_not_found(forbidden, missing)
    client.post(member_url("settings-staff-deactivate", world.fred), {})
    assert world.fred.__class__.objects.get(pk=world.fred.pk).is_active


@pytest.mark.parametrize("name", ["alice", "mona", "bob", "eve", "petra"])
def test_only_the_organization_admin_changes_staff(world, as_user, name):
    client = as_user(getattr(world, name))
    response = client.post(
        member_url("settings-staff-member", world.fred), {"role": Role.ORG_ADMIN}
    )
    assert response.status_code == 404
    assert Membership.objects.get(user=world.fred).role == Role.FACILITATOR
    assert client.post(member_url("settings-staff-deactivate", world.fred)).status_code == 404
    assert world.fred.__class__.objects.get(pk=world.fred.pk).is_active


def sessions_of(user) -> int:
    return sum(
        1
        for s in DjangoSession.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def test_deactivation_ends_his_sessions_and_hands_his_caseload_on_in_one_step(world, as_user):
    marked = Attendance.objects.filter(recorded_by=world.alice).count()
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    alices_phone = login_verified(Client(), world.alice)
    alices_laptop = login_verified(Client(), world.alice)
    assert alices_phone.get(reverse("home")).status_code == 200
    assert sessions_of(world.alice) == 2
    response = as_user(world.olga).post(
        member_url("settings-staff-deactivate", world.alice),
        {"successor": Membership.objects.get(user=world.charlie).pk},
    )
    assert response.status_code == 302
    assert sessions_of(world.alice) == 0
    for client in (alices_phone, alices_laptop):
        again = client.get(reverse("home"))
        assert again.status_code == 302
        assert again["Location"].startswith(reverse("login"))
    world.alice.refresh_from_db()
    assert not world.alice.is_active
    assert set(world.group_a.facilitators.all()) == {world.fred, world.charlie}
    today = world.todays_session_a
    assert world.charlie in today.facilitators.all()
    assert world.alice not in today.facilitators.all()
    # Past sessions keep who was there; records stay, attributed to her.
    assert world.alice in world.sessions_a[0].facilitators.all()
    assert Attendance.objects.filter(recorded_by=world.alice).count() == marked
    assert Membership.objects.filter(user=world.alice).exists()
    # Her supervisor-side relations are untouched: Bob still supervises her record.
    assert Supervision.objects.filter(supervisor=world.bob, facilitator=world.alice).exists()
    staff_page = text(as_user(world.olga).get(reverse("settings-staff")))
    assert "Deactivated" in staff_page


def test_a_deactivated_account_cannot_sign_in(world, as_user):
    as_user(world.olga).post(
        member_url("settings-staff-deactivate", world.alice),
        {"successor": Membership.objects.get(user=world.fred).pk},
    )
    from tests.factories import PASSWORD

    response = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_a_supervisors_supervisees_pass_to_another_supervisor(world, as_user):
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    Supervision.objects.create(supervisor=world.bob, facilitator=world.fred)
    response = as_user(world.olga).post(
        member_url("settings-staff-deactivate", world.bob),
        {"successor": Membership.objects.get(user=world.mona).pk},
    )
    assert response.status_code == 302
    assert set(Supervision.objects.values_list("supervisor", "facilitator")) == {
        (world.mona.pk, world.alice.pk),
        (world.mona.pk, world.fred.pk),
    }


@pytest.mark.parametrize(
    ("who", "successor", "message"),
    [
        ("alice", None, "Successor: Choose who takes over his groups and supervisees."),
        ("alice", "eve", "Successor: His groups need a clinical staff member."),
        ("bob", "alice", "Successor: His supervisees need a supervisor"),
        ("olga", "mona", "Successor: You cannot deactivate your own account."),
        ("alice", "oscar", "Successor: Select a valid choice."),
    ],
)
def test_a_deactivation_that_would_strand_his_caseload_is_refused(
    world, as_user, who, successor, message
):
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    alices_session = login_verified(Client(), world.alice)
    data = {}
    if successor:
        user = world.outsider if successor == "oscar" else getattr(world, successor)
        data["successor"] = Membership.objects.get(user=user).pk
    response = as_user(world.olga).post(
        member_url("settings-staff-deactivate", getattr(world, who)), data
    )
    assert response.status_code == 400
    assert message in text(response)
    assert getattr(world, who).__class__.objects.get(pk=getattr(world, who).pk).is_active
    assert world.alice in world.group_a.facilitators.all()
    assert alices_session.get(reverse("home")).status_code == 200


def test_a_staff_member_without_caseload_is_deactivated_without_successor(world, as_user):
    response = as_user(world.olga).post(member_url("settings-staff-deactivate", world.eve), {})
    assert response.status_code == 302
    world.eve.refresh_from_db()
    assert not world.eve.is_active


def test_the_history_shows_who_changed_what_when_before_and_after(world, as_user):
    client = as_user(world.olga)
    client.post(
        reverse("settings-organization"),
        {
            "name": "Riverside Programs",
            "time_zone": "Pacific/Auckland",
            "address": "",
            "phone": "",
            "signature_block": "",
        },
    )
    client.post(
        reverse("settings-site", args=[world.south.pk]),
        {"name": "South Centre", "time_zone": "Pacific/Auckland", "address": "", "phone": ""},
    )
    client.post(
        member_url("settings-staff-member", world.fred),
        {"role": Role.SUPERVISOR, "sites": [world.north.pk, world.south.pk], "groups": []},
    )
    page = client.get(reverse("settings-history"))
    assert page.status_code == 200
    body = text(page)
    assert "name: Riverside → Riverside Programs" in body
    assert "Site South Centre" in body
    assert "name: Riverside South → South Centre" in body
    assert "role: facilitator → supervisor" in body
    # Sites are named as they are called now (South was just renamed).
    assert "sites: Riverside North → Riverside North, South Centre" in body
    assert "Groups: Group A → none" in body
    assert "Olga Tester" in body


def test_the_history_is_the_admins_alone(world, as_user):
    assert as_user(world.mona).get(reverse("settings-history")).status_code == 404
    oscar = text(as_user(world.outsider).get(reverse("settings-history")))
    assert "Riverside" not in oscar


def test_the_staff_page_of_a_new_organization_says_what_to_do_next(db, as_user):
    from alliance.organizations.services import create_org_admin
    from tests.factories import PASSWORD

    nadia = create_org_admin(
        username="nadia", email="n@example.org", password=PASSWORD, organization_name="Northside"
    )
    body = text(as_user(nadia).get(reverse("settings-staff")))
    assert "You are the only staff member so far" in body
    assert "Add a <a" in body
    history = text(as_user(nadia).get(reverse("settings-history")))
    assert "<td>Organization</td>" in history
    assert "Staff Nadia" not in history  # createadmin sets no name; the username shows
    assert "Staff nadia (Organization admin)" in history


def test_the_staff_list_shows_each_persons_role_and_scopes_once(world, as_user):
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    rows = text(as_user(world.olga).get(reverse("settings-staff"))).split("<tr>")
    alice = next(r for r in rows if r.startswith("<td>Alice Tester"))
    assert "<td>Facilitator</td>" in alice
    assert "<td>Riverside North</td>" in alice
    assert "<td>Group A</td>" in alice  # once, though Fred runs it too
    bob = next(r for r in rows if r.startswith("<td>Bob Tester"))
    assert "<td>Alice Tester</td>" in bob
    assert (
        reverse("settings-staff-deactivate", args=[Membership.objects.get(user=world.bob).pk])
        in bob
    )
    olga = next(r for r in rows if r.startswith("<td>Olga Tester"))
    assert "<td>All</td>" in olga
    assert "Deactivate" not in olga  # not herself
