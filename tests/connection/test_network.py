"""His network, by role: recorded with him by staff, reviewed over time, never by name."""

from __future__ import annotations

import datetime as dt
import html
import re

from alliance.audit.models import AccessEvent
from alliance.connection.models import SupportPerson, SupportReview
from alliance.measures.administration.services import (
    new_key,
    start_administration,
    submit_administration,
)
from alliance.measures.models import Channel, Occasion, Respondent
from alliance.measures.registry import definition_for
from tests.factories import World


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's words, tags stripped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(world: World) -> str:
    return f"/participants/{world.good.participant_id}/connection/"


def person(**values: object) -> dict[str, object]:
    return {
        "role": "brother",
        "role_detail": "",
        "frequency": "weekly",
        "supportive": "yes",
        "recorded_on": "2025-03-10",
    } | values


def test_a_facilitator_adds_a_person_by_role_and_sees_him_on_the_map(world: World, as_user):
    client = as_user(world.alice)
    response = client.post(url(world), person(role="other", role_detail="coach at the gym"))
    assert response.status_code == 302
    added = SupportPerson.objects.get()
    assert (added.participant_id, added.role_label, added.created_by) == (
        world.good.participant_id,
        "coach at the gym",
        world.alice,
    )
    review = SupportReview.objects.get()
    assert (review.frequency, review.supportive, review.recorded_by) == (
        "weekly",
        "yes",
        world.alice,
    )
    body = text(client.get(url(world)))
    assert "coach at the gym" in body
    assert "Supportive of his change" in body
    assert AccessEvent.objects.filter(participant_id=world.good.participant_id).exists()


def test_a_name_is_refused_naming_the_field_and_nothing_is_written(world: World, as_user):
    response = as_user(world.alice).post(url(world), person(role="other", role_detail="Mike Jones"))
    assert response.status_code == 400
    assert "Role in his words" in text(response)
    assert "looks like a person" in text(response)
    assert not SupportPerson.objects.exists()


def test_other_needs_its_role_and_a_future_date_is_refused(world: World, as_user):
    client = as_user(world.alice)
    assert "say the role" in text(client.post(url(world), person(role="other")))
    future = client.post(url(world), person(recorded_on="2025-03-11"))
    assert "is in the future" in text(future)
    assert not SupportPerson.objects.exists()


def test_a_review_keeps_history_and_the_snapshot_changes_over_time(world: World, as_user):
    client = as_user(world.alice)
    client.post(
        url(world), person(recorded_on="2025-02-01", supportive="unsure", frequency="rarely")
    )
    added = SupportPerson.objects.get()
    review_url = f"{url(world)}people/{added.pk}/review/"
    data = {
        "frequency": "daily",
        "supportive": "yes",
        "in_network": "yes",
        "recorded_on": "2025-03-10",
    }
    assert client.post(review_url, data).status_code == 302
    assert SupportReview.objects.filter(person=added).count() == 2
    body = text(client.get(url(world)))
    # Two snapshots: 1 Feb (no supportive contact) and 10 Mar (one, in daily contact).
    assert "1 Feb 2025 1 0 0 0 0 0 1" in body
    assert "10 Mar 2025 1 1 1 1 0 0 0" in body
    gone = data | {"in_network": "no", "recorded_on": "2025-03-10"}
    client.post(review_url, gone)
    assert "No longer in contact: Brother" in text(client.get(url(world)))


def test_a_review_before_the_person_was_added_is_refused(world: World, as_user):
    client = as_user(world.alice)
    client.post(url(world), person())
    added = SupportPerson.objects.get()
    data = {
        "frequency": "daily",
        "supportive": "yes",
        "in_network": "yes",
        "recorded_on": "2025-01-01",
    }
    response = client.post(f"{url(world)}people/{added.pk}/review/", data, follow=True)
    assert "Recorded on: this person was added on 10 Mar 2025" in text(response)
    assert SupportReview.objects.count() == 1


def test_the_loneliness_trend_and_isolation_come_from_the_ucla3(world: World, as_user):
    definition = definition_for("ucla3")
    for day, answers in ((dt.date(2025, 1, 13), 3.0), (dt.date(2025, 3, 3), 1.0)):
        form = start_administration(
            actor=world.alice,
            enrollment=world.good,
            definition=definition,
            respondent=Respondent.PAPER,
            channel=Channel.STAFF,
            administered_on=day,
            idempotency_key=new_key(),
            occasion=Occasion.INTAKE,
        )
        submit_administration(
            actor=world.alice,
            administration=form,
            answers={item.id: answers for item in definition.items},
            submission_key=new_key(),
        )
    body = text(as_user(world.alice).get(url(world)))
    assert "13 Jan 2025 9 lonely" in body
    assert "3 Mar 2025 3 not lonely" in body
    # (3 - 5) / 1.8 = -1.1: no network recorded, so loneliness alone.
    assert "Isolation today (used by the dropout early warning): -1.1" in body


def test_staff_outside_his_scope_and_other_roles_get_404(world: World, as_user):
    for user in (world.charlie, world.eve, world.petra, world.ines, world.outsider):
        assert as_user(user).get(url(world)).status_code == 404
        assert as_user(user).post(url(world), person()).status_code == 404
    assert not SupportPerson.objects.exists()


def test_his_page_shows_the_panel_to_clinical_staff_only(world: World, as_user):
    as_user(world.alice).post(url(world), person(role="sponsor"))
    # On his page's Practice tab, beside his practice and homework.
    page = f"/participants/{world.good.participant_id}/?tab=practice"
    assert "Sponsor (AA, NA or similar) · weekly" in text(as_user(world.alice).get(page))
    assert "Connection map" in text(as_user(world.bob).get(page))
