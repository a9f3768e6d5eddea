"""The intake panel on his page (``participants/participant.html`` includes
``intake/_participant_panel.html``).

For the roles that do intake: his documents with the upload form, the agreement's state and a
link to each enrollment's intake record. For a facilitator: the link to each treatment plan and
whether the agreement is signed; never the assessment or the documents. ``None`` for every other
role (the page then shows nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.intake.agreements import SigningState, signing_state
from alliance.intake.forms import DocumentForm
from alliance.intake.models import ParticipantDocument
from alliance.intake.permissions import does_intake, reads_plan
from alliance.intake.selectors import documents_of
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment, Participant


@dataclass(frozen=True)
class IntakePanel:
    does_intake: bool
    signing: list[SigningState]
    documents: list[ParticipantDocument]
    upload_form: DocumentForm | None


def participant_intake(
    membership: Membership | None, participant: Participant, enrollments: list[Enrollment]
) -> IntakePanel | None:
    if not reads_plan(membership):
        return None
    full = does_intake(membership)
    return IntakePanel(
        does_intake=full,
        signing=[signing_state(e) for e in enrollments],
        documents=list(documents_of(participant)) if full else [],
        upload_form=DocumentForm() if full else None,
    )
