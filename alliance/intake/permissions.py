"""Who may do intake, read the treatment plan, and open his documents. Missing and forbidden:
the same 404.

* Intake (appointments, the assessment, risk scores, placement, the plan, the agreement, his
  documents): the intake coordinator, the supervisor, the program manager and the organization
  admin, for the men of the programs of their sites (``visible_participants``).
* A facilitator reads the treatment plan and the placement level of the men in her groups (she
  works with the plan's goals every week) but not the assessment, its collateral contacts or
  the uploaded documents: what he disclosed at intake, and what others said about him, is for
  the people who assess and supervise.
* The agreement text of a program is edited by the organization admin and the program
  managers of its site; each edit is a new version.
* Evaluators and partner-safety workers see none of it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.intake.models import IntakeAppointment, ParticipantDocument, SignedAgreement
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Program
from alliance.programs.permissions import SETUP_ROLES, visible_programs

INTAKE_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.INTAKE})
PLAN_READERS = INTAKE_ROLES | {Role.FACILITATOR}
AGREEMENT_EDITORS = SETUP_ROLES


def does_intake(membership: Membership | None) -> bool:
    return membership is not None and membership.role in INTAKE_ROLES


def reads_plan(membership: Membership | None) -> bool:
    return membership is not None and membership.role in PLAN_READERS


def _enrollment(membership: Membership, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__site", "program__organization")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def access_intake_enrollment(user: AnyUser, enrollment_id: int) -> Enrollment:
    return _enrollment(require_membership(user, INTAKE_ROLES), enrollment_id)


def access_plan_enrollment(user: AnyUser, enrollment_id: int) -> Enrollment:
    return _enrollment(require_membership(user, PLAN_READERS), enrollment_id)


def access_intake_participant(user: AnyUser, participant_id: int) -> Participant:
    membership = require_membership(user, INTAKE_ROLES)
    participant = visible_participants(membership).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No such participant.")
    return participant


def access_appointment(user: AnyUser, appointment_id: int) -> IntakeAppointment:
    membership = require_membership(user, INTAKE_ROLES)
    appointment = (
        IntakeAppointment.objects.filter(
            pk=appointment_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment")
        .first()
    )
    if appointment is None:
        raise Http404("No such appointment.")
    return appointment


def access_signed_agreement(user: AnyUser, agreement_id: int) -> SignedAgreement:
    membership = require_membership(user, INTAKE_ROLES)
    agreement = (
        SignedAgreement.objects.filter(
            pk=agreement_id, enrollment__participant__in=visible_participants(membership)
        )
        .select_related("enrollment", "version")
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def access_document(user: AnyUser, document_id: int) -> ParticipantDocument:
    membership = require_membership(user, INTAKE_ROLES)
    document = ParticipantDocument.objects.filter(
        pk=document_id, participant__in=visible_participants(membership)
    ).first()
    if document is None:
        raise Http404("No such document.")
    return document


def intake_programs(membership: Membership) -> QuerySet[Program]:
    return visible_programs(membership)


def access_agreement_program(user: AnyUser, program_id: int) -> Program:
    membership = require_membership(user, AGREEMENT_EDITORS)
    program = visible_programs(membership).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return program
