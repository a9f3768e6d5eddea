"""The enrollment status lifecycle (alliance.core.enrollment)."""

from __future__ import annotations

from datetime import date

import pytest

from alliance.core.enrollment import (
    ADMINISTRATIVE_REASONS,
    DISCHARGE_REASON_LABELS,
    TRANSITIONS,
    DischargeReason,
    TransitionError,
    TransitionRequest,
    check_transition,
    exit_type,
)
from alliance.core.enrollment import (
    EnrollmentStatus as S,
)

TODAY = date(2026, 3, 1)


def request(current: S, target: S, **overrides: object) -> TransitionRequest:
    values: dict[str, object] = dict(
        current=current,
        target=target,
        effective_on=date(2026, 2, 1),
        last_change_on=date(2026, 1, 1),
        reason="Recorded in the team meeting",
    )
    values.update(overrides)
    return TransitionRequest(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.REFERRED, S.INTAKE),
        (S.INTAKE, S.ACTIVE),
        (S.ACTIVE, S.COMPLETED),
        (S.ACTIVE, S.DROPPED_OUT),
        (S.ACTIVE, S.TRANSFERRED),
        (S.REFERRED, S.DROPPED_OUT),
    ],
)
def test_the_usual_path_is_allowed(current: S, target: S) -> None:
    check_transition(request(current, target), today=TODAY)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.REFERRED, S.COMPLETED),
        (S.COMPLETED, S.ACTIVE),
        (S.TRANSFERRED, S.ACTIVE),
        (S.INTAKE, S.COMPLETED),
        (S.ACTIVE, S.REFERRED),
    ],
)
def test_an_invalid_move_is_refused_with_the_allowed_moves_named(current: S, target: S) -> None:
    with pytest.raises(TransitionError, match="cannot become"):
        check_transition(request(current, target), today=TODAY)


def test_closed_states_name_none_as_next() -> None:
    with pytest.raises(TransitionError, match="none \\(it is closed\\)"):
        check_transition(request(S.COMPLETED, S.ACTIVE), today=TODAY)


def test_a_discharge_needs_a_coded_reason() -> None:
    with pytest.raises(TransitionError, match=r"^discharge_reason:"):
        check_transition(request(S.ACTIVE, S.DISCHARGED), today=TODAY)
    check_transition(
        request(S.ACTIVE, S.DISCHARGED, discharge_reason=DischargeReason.NEW_OFFENCE), today=TODAY
    )


def test_only_a_discharge_takes_a_discharge_reason() -> None:
    with pytest.raises(TransitionError, match="only a discharge"):
        check_transition(
            request(S.ACTIVE, S.COMPLETED, discharge_reason=DischargeReason.OTHER), today=TODAY
        )


def test_every_change_needs_a_reason() -> None:
    with pytest.raises(TransitionError, match=r"^reason:"):
        check_transition(request(S.REFERRED, S.INTAKE, reason="   "), today=TODAY)


def test_a_change_cannot_be_dated_in_the_future_or_before_the_last_change() -> None:
    with pytest.raises(TransitionError, match="future"):
        check_transition(request(S.REFERRED, S.INTAKE, effective_on=date(2026, 3, 2)), today=TODAY)
    with pytest.raises(TransitionError, match="before the previous change"):
        check_transition(
            request(S.REFERRED, S.INTAKE, effective_on=date(2025, 12, 31)), today=TODAY
        )


def test_reinstatement_is_limited_by_the_programs_allowance() -> None:
    check_transition(
        request(S.DROPPED_OUT, S.ACTIVE, reinstatements_used=0, reinstatements_allowed=1),
        today=TODAY,
    )
    with pytest.raises(TransitionError, match="allows 1 reinstatement"):
        check_transition(
            request(S.DISCHARGED, S.ACTIVE, reinstatements_used=1, reinstatements_allowed=1),
            today=TODAY,
        )


def test_every_status_has_an_entry_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(S)
    assert all(targets <= set(S) for targets in TRANSITIONS.values())


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("completed", "", "completed"),
        ("discharged", "non_compliance", "unsuccessful"),
        ("discharged", "new_offence", "unsuccessful"),
        ("discharged", "not_benefiting", "unsuccessful"),
        ("discharged", "other", "unsuccessful"),
        ("discharged", "moved", "administrative"),
        ("discharged", "medical", "administrative"),
        ("discharged", "incarcerated", "administrative"),
        ("discharged", "deceased", "administrative"),
        ("transferred", "", "administrative"),
        ("dropped_out", "", "unsuccessful"),
        ("active", "", None),
        ("referred", "", None),
    ],
)
def test_each_status_and_reason_has_one_exit_type(
    status: str, reason: str, expected: str | None
) -> None:
    # Colorado DVOMB's three discharge types (shared/research/bip_standards.md gap 7).
    assert exit_type(status, reason) == expected


def test_every_discharge_reason_has_a_label_naming_its_exit_type() -> None:
    for reason in DischargeReason:
        kind = "Administrative" if reason in ADMINISTRATIVE_REASONS else "Unsuccessful"
        assert DISCHARGE_REASON_LABELS[reason].startswith(f"{kind}: ")


def test_a_man_discharged_as_deceased_cannot_be_reinstated() -> None:
    with pytest.raises(TransitionError, match="deceased cannot be reinstated"):
        check_transition(
            request(
                S.DISCHARGED,
                S.ACTIVE,
                reinstatements_allowed=2,
                current_discharge_reason="deceased",
            ),
            today=TODAY,
        )
