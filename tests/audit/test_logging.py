"""Every staff request about one man's record leaves a row in the access log."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from alliance.audit.models import AccessEvent, Outcome
from tests.web.helpers import MISSING_ID


def events():
    return list(AccessEvent.objects.order_by("pk"))


def test_opening_his_page_logs_who_which_man_page_method_and_outcome(world, as_user):
    participant_id = world.good.participant_id
    response = as_user(world.alice).get(reverse("participant", args=[participant_id]))

    assert response.status_code == 200
    [event] = events()
    assert event.user_id == world.alice.pk
    assert event.username == "alice"
    assert event.participant_id == participant_id
    assert event.enrollment_id is None
    assert event.url_name == "participant"
    assert event.path == f"/participants/{participant_id}/"
    assert event.method == "GET"
    assert event.status == 200
    assert event.outcome == Outcome.SHOWN
    assert event.at is not None


def test_a_page_named_by_enrollment_is_logged_against_his_participant_record(world, as_user):
    response = as_user(world.bob).get(reverse("measure-releases", args=[world.good.pk]))

    assert response.status_code == 200
    [event] = events()
    assert event.enrollment_id == world.good.pk
    assert event.participant_id == world.good.participant_id
    assert event.url_name == "measure-releases"


def test_a_refused_attempt_outside_her_scope_is_logged_as_refused(world, as_user):
    response = as_user(world.charlie).get(reverse("participant", args=[world.good.participant_id]))

    assert response.status_code == 404
    [event] = events()
    assert event.user_id == world.charlie.pk
    assert event.participant_id == world.good.participant_id
    assert event.status == 404
    assert event.outcome == Outcome.REFUSED


def test_an_attempt_at_an_id_that_does_not_exist_is_logged_without_failing(world, as_user):
    response = as_user(world.bob).get(reverse("measure-releases", args=[MISSING_ID]))

    assert response.status_code == 404
    [event] = events()
    assert event.enrollment_id == MISSING_ID
    assert event.participant_id is None


def test_a_write_is_logged_with_its_method(world, as_user):
    session = world.todays_session_a
    response = as_user(world.alice).post(
        reverse("mark-attendance", args=[session.pk, world.good.pk]), {"mark": "present"}
    )

    assert response.status_code < 400
    [event] = events()
    assert event.method == "POST"
    assert event.participant_id == world.good.participant_id
    assert event.url_name == "mark-attendance"


def test_pages_that_name_no_man_are_not_logged(world, as_user):
    client = as_user(world.alice)
    assert client.get(reverse("group", args=[world.group_a.pk])).status_code == 200
    assert client.get(reverse("participants")).status_code == 200

    assert events() == []


def test_anonymous_visitors_are_sent_to_login_and_not_logged(world, client):
    response = client.get(reverse("participant", args=[world.good.participant_id]))

    assert response.status_code == 302
    assert events() == []


def test_a_phone_link_is_not_logged_and_its_token_never_stored(world, as_user):
    alice = as_user(world.alice)
    response = alice.post(reverse("practice-link", args=[world.good.pk]))
    assert response.status_code == 200
    token = response.content.decode().split("/p/")[1].split("/")[0]

    assert alice.get(reverse("practice-phone", args=[token])).status_code == 200

    assert not AccessEvent.objects.filter(Q(path__contains=token) | Q(url_name="practice-phone"))


def test_an_outreach_alert_page_records_the_man_it_shows(world, as_user):
    from alliance.engagement.services import start_outreach

    alert = start_outreach(enrollment=world.breach, actor=world.alice, today=world.today)
    response = as_user(world.alice).get(reverse("engagement-alert", args=[alert.pk]))

    assert response.status_code == 200
    [event] = events()
    assert event.participant_id == world.breach.participant_id
    assert event.url_name == "engagement-alert"


def test_a_kiosk_token_in_a_logged_path_is_replaced(world, as_user):
    from django.utils import timezone

    from alliance.measures.administration.tokens import open_kiosk

    _, token = open_kiosk(actor=world.alice, session=world.todays_session_a, now=timezone.now())
    path = reverse("kiosk-pin", kwargs={"token": token, "enrollment_id": world.good.pk})
    as_user(world.alice).get(path)

    [event] = events()
    assert token not in event.path
    assert event.path == f"/kiosk/<token>/man/{world.good.pk}/"
    assert event.participant_id == world.good.participant_id


def test_a_probe_from_another_organization_leaves_nothing_in_this_organizations_log(
    world, as_user, caplog
):
    """Finding L6: Elsewhere's admin tries Riverside's man by participant and by enrollment."""
    probe = as_user(world.outsider)
    participant_id = world.good.participant_id
    assert probe.get(reverse("participant", args=[participant_id])).status_code == 404
    assert probe.get(reverse("measure-releases", args=[world.good.pk])).status_code == 404
    # A wrong method is refused before any access check: still not Riverside's business.
    assert probe.get(f"/enrollments/{world.good.pk}/discharge/").status_code in (404, 405)

    csv_text = as_user(world.olga).get(reverse("access-log-csv")).content.decode()

    assert "oscar" not in csv_text
    assert not AccessEvent.objects.filter(
        Q(participant_id=participant_id) | Q(enrollment_id=world.good.pk), user_id=world.outsider.pk
    ).exists()
    probes = AccessEvent.objects.filter(user_id=world.outsider.pk)
    assert probes.count() == 3  # written, naming no man, so in no organization's log
    assert {e.outcome for e in probes} <= {Outcome.REFUSED, Outcome.FAILED}
    warnings = [r for r in caplog.records if r.name == "alliance.security"]
    assert len(warnings) == 3
    assert all("oscar" not in r.getMessage() for r in warnings)


def test_a_refusal_inside_the_organization_is_still_logged_against_the_man(world, as_user):
    response = as_user(world.charlie).get(reverse("measure-releases", args=[world.good.pk]))

    assert response.status_code == 404
    [event] = events()
    assert event.participant_id == world.good.participant_id
    assert event.enrollment_id == world.good.pk
    csv_text = as_user(world.olga).get(reverse("access-log-csv")).content.decode()
    assert "charlie" in csv_text
