"""The access log in words (usability finding D12): which page, what was done, the outcome.

The log stores the URL name, method and status (``AccessEvent``) so that the CSV export stays
exact; the page shows them as a person would say them. A page without a label below is named
from its URL name ("enrollment-document" → "Enrollment document").
"""

from __future__ import annotations

#: URL name → what the page is, for the pages about a man that staff open most.
PAGE_LABELS: dict[str, str] = {
    "participant": "Participant page",
    "participant-history": "Participant history",
    "participants:search": "Participant search (name shown)",
    "participant-identity": "Identity",
    "participant-identity-edit": "Identity (correction)",
    "participant-practice": "Practice and accountability",
    "participant-export": "Export of everything held about him",
    "participant-documents": "Documents",
    "enrollment-action": "Enrollment status change",
    "enrollment-reports": "Reports and notices",
    "enrollment-document": "Report or notice",
    "measure-releases": "Releases of measures",
    "mark-attendance": "Attendance mark",
    "session": "Session (name shown)",
    "engagement-alert": "Outreach",
    "paper-form": "Paper form",
    "create-link": "Phone link",
    "issue-pin": "Kiosk PIN",
    "treatment-plan": "Treatment plan",
    "intake-record": "Intake record",
    "court-order": "Court order",
}

#: What a request did, by method: a GET reads, anything else asks for a change.
ACTIONS = {"GET": "Viewed", "HEAD": "Viewed"}
CHANGED = "Changed"


def page_label(url_name: str) -> str:
    if url_name in PAGE_LABELS:
        return PAGE_LABELS[url_name]
    if not url_name:
        return "Unknown page"
    words = url_name.split(":")[-1].replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def action_label(method: str) -> str:
    return ACTIONS.get(method.upper(), CHANGED)
