"""Day one, in a real browser, from an empty database (issue 13, "Checks and figures").

``alliance createadmin`` makes the first admin; she signs in, enrols two-factor, follows the
set-up checklist with the California preset (organization, a site, a program, its curriculum,
a group and its schedule), invites a facilitator who accepts and enrols, imports 30 men from an
Excel file (a bad row first: refused by row and column, nothing written; then the fixed file),
the facilitator takes the first attendance, and the admin previews the first compliance report.

Each step prints how many pages it loaded and how many seconds it took (not asserted). With
``ALLIANCE_SCREENSHOTS=docs/img/getting-started`` set, key steps are saved there as PNGs for
docs/getting-started.md.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
import zoneinfo
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import Workbook

from alliance import cli
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Attendance, Session
from tests.browser.conftest import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ZONE = "America/Los_Angeles"
ADMIN_PASSWORD = "a long admin passphrase 2026"
NINA_PASSWORD = "a long and unusual passphrase 42"
HEADER = [
    "external_id",
    "code",
    "initials",
    "program",
    "referral_source",
    "referred_on",
    "case_reference",
    "group",
    "started_on",
]


class Steps:
    """Counts the pages each step loads and its seconds; saves screenshots when asked."""

    def __init__(self) -> None:
        self.pages = 0
        self.shots = os.environ.get("ALLIANCE_SCREENSHOTS", "")
        self.rows: list[tuple[str, int, float]] = []
        self._start, self._pages = time.monotonic(), 0

    def watch(self, page) -> None:
        page.set_viewport_size({"width": 1100, "height": 800})
        page.set_default_timeout(15_000)
        page.on("load", lambda *_: setattr(self, "pages", self.pages + 1))

    def done(self, name: str, page=None, shot: str = "") -> None:
        now = time.monotonic()
        self.rows.append((name, self.pages - self._pages, now - self._start))
        print(f"{name}: {self.pages - self._pages} pages, {now - self._start:.1f} s", flush=True)
        if self.shots and shot and page is not None:
            Path(self.shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(self.shots) / f"{shot}.png"))
        self._start, self._pages = time.monotonic(), self.pages


def submit(page, fields: dict[str, object], button: str) -> None:
    """Fill the form fields by name (text, select, checkbox, file) and press ``button``."""
    for name, value in fields.items():
        field = page.locator(f"[name='{name}']").first
        kind = field.evaluate("e => e.tagName + ':' + (e.type || '')")
        if kind.startswith("SELECT") and str(value).startswith("label:"):
            field.select_option(label=str(value)[6:])
        elif kind.startswith("SELECT"):
            field.select_option(str(value))
        elif kind.endswith(":checkbox"):
            page.locator(f"[name='{name}'][value='{value}']").check()
        elif kind.endswith(":file"):
            field.set_input_files(value)
        else:
            field.fill(str(value))
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def caseload(today: dt.date, *, bad_row: int | None = None) -> dict[str, object]:
    """30 men in "Monday evening", starting today; ``bad_row`` (a file row) has a bad date."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for n in range(1, 31):
        referred = today - dt.timedelta(days=14 + n % 5)
        sheet.append(
            [
                f"OLD-{n:03d}",
                f"M-{n:03d}",
                "",
                "Men's Program 52",
                "court" if n % 3 else "probation",
                "31/02/2026" if bad_row == n + 1 else referred,
                f"CR-{n:04d}",
                "Monday evening",
                today,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return {
        "name": "caseload.xlsx",
        "mimeType": "application/octet-stream",
        "buffer": out.getvalue(),
    }


def enrol_two_factor(page, url: str) -> None:
    page.wait_for_url(re.compile(r".*/two-factor/setup/.*"))
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Two-factor sign-in is set up").wait_for()
    page.get_by_role("link", name="I have kept them safe — continue").click()
    page.wait_for_url(f"{url}/")


def test_an_organization_goes_from_an_empty_database_to_its_first_compliance_report(
    live_server, browser, monkeypatch, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url = live_server.url
    steps = Steps()
    monkeypatch.setenv("ALLIANCE_ADMIN_PASSWORD", ADMIN_PASSWORD)
    assert cli.main(["createadmin", "--username", "ana", "--organization", "Northside"]) == 0
    steps.done("alliance createadmin")

    page = browser.new_page()
    steps.watch(page)
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enrol_two_factor(page, url)
    page.get_by_text("Set-up checklist").first.wait_for()
    steps.done("sign in and enrol two-factor", page, "01-checklist")

    page.get_by_role("link", name="Edit the organization").first.click()
    submit(
        page,
        {
            "name": "Northside Men's Program",
            "time_zone": ZONE,
            "address": "1 Main Street\nRiverside CA",
            "phone": "+1 (555) 010-0100",
            "signature_block": "Ana Director\nProgram Director",
        },
        "Save",
    )
    page.goto(f"{url}/")
    page.get_by_role("link", name="Add a site").first.click()
    submit(page, {"name": "Main office", "time_zone": ZONE}, "Add the site")
    steps.done("organization details and a site")

    page.goto(f"{url}/")
    page.get_by_role("link", name="Create a program").first.click()
    submit(page, {"preset": "ca-52"}, "Fill in from this standard")
    page.get_by_text("California Penal Code").first.wait_for()
    steps.done("California preset", page, "02-program-preset")
    submit(page, {"name": "Men's Program 52"}, "Create program")
    page.wait_for_url(re.compile(r".*/curriculum/$"))
    submit(
        page,
        {"topic": "Welcome and group agreements", "duration_minutes": 120},
        "Add session",
    )
    steps.done("program from the preset and its curriculum")

    today = dt.datetime.now(zoneinfo.ZoneInfo(ZONE)).date()
    page.goto(f"{url}/")
    page.get_by_role("link", name="Create a group").first.click()
    submit(
        page,
        {
            "name": "Monday evening",
            "program": "label:Men's Program 52",
            "site": "label:Main office",
            "kind": "rolling",
            "starts_on": today.isoformat(),
            "weekday": today.weekday(),
            "meeting_time": "18:30",
            "capacity": 40,
        },
        "Create group",
    )
    page.wait_for_url(re.compile(r".*/setup/groups/\d+/$"))
    submit(page, {"count": 12}, "Add sessions")
    steps.done("a group and its schedule", page, "03-group-schedule")

    page.goto(f"{url}/")
    page.get_by_role("link", name="Invite staff").first.click()
    site_value = page.locator("[name='sites']").first.get_attribute("value")
    submit(
        page,
        {"email": "nina@example.org", "role": "facilitator", "sites": site_value},
        "Send the invitation",
    )
    link = re.search(r"https?://[^\s]+/staff/invitation/[\w-]+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    nina = browser.new_context().new_page()
    steps.watch(nina)
    nina.goto(link.group(0).replace("http://testserver", url))
    submit(
        nina,
        {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Newcomer",
            "password1": NINA_PASSWORD,
            "password2": NINA_PASSWORD,
        },
        "Create my account",
    )
    enrol_two_factor(nina, url)
    steps.done("invite a facilitator who accepts and enrols")

    page.goto(f"{url}/participants/")
    page.get_by_role("link", name="Import your caseload").click()
    submit(page, {"file": caseload(today, bad_row=8)}, "Import")
    problem = page.locator("[role=alert] tbody tr").first
    assert problem.locator("td").all_inner_texts()[:2] == ["8", "referred_on"]
    assert Participant.objects.count() == 0
    steps.done("import 30 men: a bad row refused", page, "04-import-refused")
    submit(page, {"file": caseload(today)}, "Check the file (nothing is written)")
    page.get_by_text("would create 30 men").wait_for()
    submit(page, {"file": caseload(today)}, "Import")
    page.get_by_text("Imported caseload.xlsx: 30 men").wait_for()
    assert Enrollment.objects.filter(status="active").count() == 30
    steps.done("import 30 men: checked, then imported", page, "05-import-done")

    group_id = Session.objects.get(held_on=today).group_id
    page.goto(f"{url}/setup/groups/{group_id}/edit/")
    nina_id = page.locator("[name='facilitator'] option", has_text="Nina").get_attribute("value")
    submit(page, {"facilitator": nina_id}, "Save changes")
    nina.goto(f"{url}/")
    nina.get_by_role("link", name="Monday evening").first.click()
    first = Enrollment.objects.get(participant__code="M-001")
    for enrollment in Enrollment.objects.order_by("participant__code")[:3]:
        row = nina.locator(f"#row-{enrollment.pk}")
        row.get_by_role("button", name="Present").click()
        row.locator("td.current").get_by_text("Present").wait_for()
    assert Attendance.objects.count() == 3
    steps.done("the facilitator takes the first attendance", nina, "06-attendance")

    page.goto(f"{url}/enrollments/{first.pk}/reports/compliance_report/")
    submit(
        page,
        {"recipient_kind": "court", "recipient_organization": "Riverside Superior Court"},
        "Preview",
    )
    page.locator("article.document").wait_for()
    assert "M-001" in page.locator("article.document").inner_text()
    steps.done("the first compliance report, previewed", page, "07-compliance-report")
    total = sum(s for _, _, s in steps.rows)
    print(f"total: {sum(p for _, p, _ in steps.rows)} pages, {total:.1f} s", flush=True)
