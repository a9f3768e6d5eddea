"""``setup_progress``: the program steps of the set-up checklist, done or not."""

from __future__ import annotations

import datetime as dt

from alliance.programs.models import CurriculumSession
from alliance.programs.selectors import setup_progress
from tests.factories import make_group, make_organization, make_program, make_sessions, make_site

START = dt.date(2025, 3, 3)


def test_an_empty_organization_has_done_no_program_step(db):
    org = make_organization("Newcomers")
    make_site(org, "Main office")
    assert setup_progress(org) == {
        "programs": False,
        "curriculum": False,
        "groups": False,
        "sessions": False,
    }


def test_each_step_is_done_when_every_program_and_group_has_what_it_needs(db):
    org = make_organization("Newcomers")
    site = make_site(org, "Main office")
    program = make_program(site, "First", curriculum=0)
    assert setup_progress(org) == {
        "programs": True,
        "curriculum": False,
        "groups": False,
        "sessions": False,
    }
    CurriculumSession.objects.create(program=program, number=1, topic="Welcome")
    group = make_group(program, "Monday group", starts_on=START)
    assert setup_progress(org) == {
        "programs": True,
        "curriculum": True,
        "groups": True,
        "sessions": False,
    }
    make_sessions(group, [START])
    assert all(setup_progress(org).values())
    # A second program without a curriculum, a second group without sessions: not done.
    make_program(site, "Second", curriculum=0)
    make_group(program, "Thursday group", starts_on=START)
    progress = setup_progress(org)
    assert progress["curriculum"] is False
    assert progress["sessions"] is False


def test_another_organizations_set_up_does_not_count(db):
    done = make_organization("Done")
    program = make_program(make_site(done, "Office"), "P", curriculum=2)
    make_sessions(make_group(program, "G", starts_on=START), [START])
    empty = make_organization("Empty")
    assert not any(setup_progress(empty).values())
