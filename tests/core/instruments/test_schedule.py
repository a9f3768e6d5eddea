"""The pure schedule rules: what is due and what is missed, from plain data (no Django)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from alliance.core.instruments.schedule import (
    AttendedSession,
    Done,
    Entry,
    Man,
    State,
    WhenKind,
    describe,
    midpoint_session,
    scheduled_findings,
)

START = dt.date(2025, 1, 6)
WEEKLY = [AttendedSession(100 + k, START + dt.timedelta(weeks=k)) for k in range(10)]


def man(**kw: object) -> Man:
    base: dict[str, object] = {
        "enrollment_id": 1,
        "status": "active",
        "started_on": START,
        "ended_on": None,
        "attended": WEEKLY,
        "required_sessions": 20,
    }
    base.update(kw)
    return Man(**base)  # type: ignore[arg-type]


INTAKE = Entry("scs_sf", WhenKind.INTAKE)
EXIT = Entry("scs_sf", WhenKind.EXIT)


def test_the_intake_measure_is_due_for_fourteen_days_after_activation() -> None:
    [finding] = scheduled_findings(man(), [INTAKE], [], today=START + dt.timedelta(days=14))
    assert finding.state is State.DUE
    assert finding.deadline == dt.date(2025, 1, 20)
    assert describe(finding, "SCS-SF") == "SCS-SF at intake is due by 20 Jan 2025."


def test_the_intake_measure_is_missed_on_the_fifteenth_day() -> None:
    [finding] = scheduled_findings(man(), [INTAKE], [], today=START + dt.timedelta(days=15))
    assert finding.state is State.MISSED
    assert finding.key == "scs_sf:intake"
    assert "not done within 14 days of his activation on 6 Jan 2025" in describe(finding, "X")


def test_an_intake_form_given_before_the_deadline_counts_whatever_its_occasion() -> None:
    done = [Done("scs_sf", "other", START + dt.timedelta(days=3))]
    assert scheduled_findings(man(), [INTAKE], done, today=dt.date(2025, 6, 1)) == []


def test_a_form_marked_intake_counts_even_when_entered_late() -> None:
    done = [Done("scs_sf", "intake", START + dt.timedelta(days=40))]
    assert scheduled_findings(man(), [INTAKE], done, today=dt.date(2025, 6, 1)) == []


def test_another_instrument_does_not_count() -> None:
    done = [Done("dass21", "intake", START)]
    assert len(scheduled_findings(man(), [INTAKE], done, today=dt.date(2025, 6, 1))) == 1


def test_exit_is_asked_only_of_men_who_completed() -> None:
    ended = dt.date(2025, 5, 1)
    today = dt.date(2025, 5, 16)
    assert scheduled_findings(man(), [EXIT], [], today=today) == []
    [missed] = scheduled_findings(man(status="completed", ended_on=ended), [EXIT], [], today=today)
    assert missed.state is State.MISSED
    assert "14 days of his completion on 1 May 2025" in describe(missed, "SCS-SF")
    dropped = man(status="dropped_out", ended_on=ended)
    assert scheduled_findings(dropped, [EXIT, INTAKE], [], today=today) == []


def test_an_exit_form_in_the_last_two_weeks_counts() -> None:
    completed = man(status="completed", ended_on=dt.date(2025, 5, 1))
    near = [Done("scs_sf", "other", dt.date(2025, 4, 20))]
    early = [Done("scs_sf", "other", dt.date(2025, 3, 1))]
    today = dt.date(2025, 6, 1)
    assert scheduled_findings(completed, [EXIT], near, today=today) == []
    assert len(scheduled_findings(completed, [EXIT], early, today=today)) == 1


def test_session_n_is_his_own_nth_attended_session_and_missed_once_it_has_passed() -> None:
    entry = Entry("urica_dv", WhenKind.SESSION_NUMBER, 3)
    shuffled = man(attended=list(reversed(WEEKLY)))
    third = WEEKLY[2]
    [due] = scheduled_findings(shuffled, [entry], [], today=third.held_on)
    assert (due.state, due.session_id, due.key) == (
        State.DUE,
        third.session_id,
        "urica_dv:session_number:3",
    )
    [missed] = scheduled_findings(shuffled, [entry], [], today=third.held_on + dt.timedelta(days=1))
    assert missed.state is State.MISSED
    assert describe(missed, "URICA-DV") == "URICA-DV at his session 3 (20 Jan 2025) was not done."


def test_session_n_is_not_asked_before_he_reaches_it() -> None:
    entry = Entry("urica_dv", WhenKind.SESSION_NUMBER, 11)
    assert scheduled_findings(man(), [entry], [], today=dt.date(2026, 1, 1)) == []


def test_session_n_is_done_by_a_form_tied_to_that_session_or_given_after_it() -> None:
    entry = Entry("urica_dv", WhenKind.SESSION_NUMBER, 3)
    today = dt.date(2026, 1, 1)
    tied = [Done("urica_dv", "session", WEEKLY[2].held_on, WEEKLY[2].session_id)]
    later = [Done("urica_dv", "other", WEEKLY[2].held_on + dt.timedelta(days=2))]
    before = [Done("urica_dv", "other", WEEKLY[1].held_on)]
    assert scheduled_findings(man(), [entry], tied, today=today) == []
    assert scheduled_findings(man(), [entry], later, today=today) == []
    assert len(scheduled_findings(man(), [entry], before, today=today)) == 1


def test_the_midpoint_is_half_the_required_sessions_rounded_up() -> None:
    assert midpoint_session(20) == 10
    assert midpoint_session(7) == 4
    assert midpoint_session(1) == 1
    assert midpoint_session(0) is None
    entry = Entry("scs_sf", WhenKind.MIDPOINT)
    [missed] = scheduled_findings(man(required_sessions=7), [entry], [], today=dt.date(2026, 1, 1))
    assert (missed.session_number, missed.session_id) == (4, WEEKLY[3].session_id)
    assert "at the midpoint, his session 4" in describe(missed, "SCS-SF")
    assert (
        scheduled_findings(man(required_sessions=0), [entry], [], today=dt.date(2026, 1, 1)) == []
    )


def test_every_session_measures_are_missed_per_past_session_and_never_merely_due() -> None:
    entry = Entry("alliance_facilitator_rating", WhenKind.EVERY_SESSION)
    today = WEEKLY[2].held_on  # sessions 1 and 2 have passed; 3 is today
    rated = [Done(entry.instrument_id, "session", WEEKLY[0].held_on, WEEKLY[0].session_id)]
    findings = scheduled_findings(man(), [entry], rated, today=today)
    assert [(f.session_id, f.state) for f in findings] == [(WEEKLY[1].session_id, State.MISSED)]
    assert findings[0].key == f"alliance_facilitator_rating:every_session:{WEEKLY[1].session_id}"


def test_men_not_active_or_completed_are_asked_nothing() -> None:
    for status in ("referred", "intake", "discharged", "transferred"):
        assert scheduled_findings(man(status=status), [INTAKE], [], today=dt.date(2026, 1, 1)) == []
    assert scheduled_findings(man(started_on=None), [INTAKE], [], today=dt.date(2026, 1, 1)) == []


def test_the_schedule_rules_need_no_django() -> None:
    code = (
        "import sys, alliance.core.instruments.schedule; "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
