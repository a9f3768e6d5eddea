"""The demo has a connection map at every stage: UCLA-3 answered, networks by role
reviewed over time, vetted mentors with matches and contacts, one match ended cleanly."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from alliance.connection.models import (
    Mentor,
    MentorContact,
    MentoringHold,
    Mentorship,
    SupportPerson,
    SupportReview,
)
from alliance.demo.loader import build_demo
from alliance.measures.models import Score

TODAY = dt.date(2025, 6, 2)


def test_the_demo_has_a_connection_map_and_mentors(db, as_user) -> None:
    demo = build_demo(participants=40, seed=7, today=TODAY).extras
    assert demo["support_people"] == SupportPerson.objects.count() > 0
    assert demo["support_reviews"] == SupportReview.objects.count() > demo["support_people"]
    assert demo["loneliness_forms"] == Score.objects.filter(instrument_id="ucla3").count() > 0
    assert demo["mentors"] == Mentor.objects.count() > 0
    assert demo["mentorships"] == Mentorship.objects.count() > 0
    assert demo["mentor_contacts"] == MentorContact.objects.count() > 0
    ended = Mentorship.objects.exclude(ended_on=None)
    assert ended.count() == 1
    assert ended.get().mentee_told_on is not None
    assert MentoringHold.objects.count() == 1

    supervisor = as_user(get_user_model().objects.get(username="supervisor"))
    assert supervisor.get("/connection/mentors/").status_code == 200
    man = SupportPerson.objects.first().participant_id
    assert supervisor.get(f"/participants/{man}/connection/").status_code == 200
