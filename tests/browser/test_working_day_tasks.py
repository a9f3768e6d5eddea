"""The usability audit's tasks, done as staff do them, on a desktop and on a phone (issue 18).

The audit (December 2026) timed eight tasks. Each is done here from the role's home page by
clicking and typing only — no typed addresses — so a task that needs a link nobody can find
fails. For each task and screen size the test prints how many actions it took (clicks, taps,
typed fields) and how many seconds, and saves a screenshot of where it ends to
``test-artifacts/screens/tasks-<size>-<task>.png`` (CI keeps the folder). The seconds are
printed, never asserted; the actions are held to a budget, so a task that grows by a screen
or two fails.

The audit's tasks, and where each is done:

1. take today's attendance (facilitator) — here;
2. reach out to a man who may be drifting away (facilitator) — here;
3. read a man's history and who viewed his record (supervisor) — here;
4. read the program's evaluation (evaluator) — here;
5. produce a compliance report for the court (manager) — here, to the PDF;
6. send a man his check-out link (facilitator) — here;
7. a man's check-out and practice on his phone — ``test_phone_practice.py``,
   ``test_his_language.py`` (his pages, not a staff task);
8. set up a new organization on day one — ``test_day_one.py``, which prints its own pages and
   seconds per step.

The kiosk (the audit's ninth screen) is a man's page as well: ``tests/web`` covers its PIN
and lockout.
"""

from __future__ import annotations

import re
import time
import zoneinfo

import pytest
from django.utils import timezone

from alliance.engagement.models import OutreachAction
from alliance.programs.models import Attendance
from alliance.reports.models import SentDocument
from tests.browser.staff_crawl import screenshot, sign_in
from tests.factories import PASSWORD, TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
#: The most actions each task may take (clicks, taps and fields typed), on either screen.
BUDGET = {
    "1 attendance": 5,
    "2 outreach": 7,
    "3 history and who viewed": 7,
    "4 evaluation": 3,
    "5 compliance report": 8,
    "6 check-out link": 5,
}


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


class Task:
    """Counts the actions of one task and times it."""

    def __init__(self, page, name: str) -> None:
        self.page, self.name, self.actions = page, name, 0
        self.started = time.perf_counter()

    def click(self, locator) -> None:
        locator.click()
        self.actions += 1

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.actions += 1

    def select(self, locator, label: str) -> None:
        locator.select_option(label=label)
        self.actions += 1

    def menu(self, section: str, link: str | re.Pattern[str]) -> None:
        """Open a section of the main menu and follow one of its links (two actions)."""
        nav = self.page.get_by_role("navigation", name="Main")
        self.click(nav.locator("summary", has_text=section))
        self.click(nav.get_by_role("link", name=link))

    def find(self, code: str) -> None:
        """Type his code in the header's search and open him from the suggestions."""
        self.fill(self.page.get_by_label("Find a man by code or initials"), code)
        self.click(self.page.locator("#nav-search-results").get_by_role("link", name=code).first)
        self.page.get_by_role("navigation", name="His record").wait_for()

    def tab(self, name: str) -> None:
        self.click(
            self.page.get_by_role("navigation", name="His record").get_by_role("link", name=name)
        )


def run_tasks(browser, live_server, world, size: str) -> list[tuple[str, int, float]]:
    url = live_server.url
    contexts = []
    rows: list[tuple[str, int, float]] = []

    def page_of(username: str):
        """Each person on her own device: a browser context of her own, signed in."""
        context = browser.new_context(viewport=SIZES[size])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, url, username, password=PASSWORD)
        return page

    def done(task: Task) -> None:
        seconds = time.perf_counter() - task.started
        rows.append((task.name, task.actions, seconds))
        screenshot(task.page, f"tasks-{size}-{task.name.split()[0]}")
        width = task.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"{task.name}: page {width} px wide on {size}"

    try:
        # 1. Today's attendance: everyone present, then the exception.
        alice = page_of("alice")
        task = Task(alice, "1 attendance")
        task.menu("Groups and people", re.compile(r"^Today \d\d:\d\d"))
        alice.wait_for_function("typeof htmx === 'object'")
        task.click(alice.get_by_role("button", name="Mark everyone present"))
        alice.locator("#attendance-live").get_by_text("Marked present:").wait_for()
        row = alice.locator(f"#row-{world.breach.pk}")
        task.click(row.get_by_role("button", name="Absent"))
        row.locator("td.current").get_by_text("Absent").wait_for()
        assert alice.locator("#session-status").inner_text() == "Held"
        session = world.todays_session_a
        assert Attendance.objects.filter(session=session, enrollment=world.breach).get().mark
        done(task)

        # 2. Reach out to a man from his attendance, and record what was done.
        task = Task(alice, "2 outreach")
        alice.goto(f"{url}/")
        task.find("RIV-103")
        task.tab("Attendance")
        task.click(alice.get_by_role("button", name="Reach out"))
        alice.get_by_role("heading", name=re.compile("Outreach for")).wait_for()
        if alice.get_by_role("button", name="Acknowledge").count():  # started by someone else
            task.click(alice.get_by_role("button", name="Acknowledge"))
        task.fill(alice.get_by_label("Note"), "Phoned him; he will come on Monday.")
        task.click(alice.get_by_role("button", name="Record action"))
        alice.get_by_text("Phoned him; he will come on Monday.").wait_for()
        assert OutreachAction.objects.filter(alert__enrollment=world.breach).count() == 1
        done(task)

        # 3. His history, then who viewed his record (a supervisor).
        bob = page_of("bob")
        task = Task(bob, "3 history and who viewed")
        task.find("RIV-101")
        task.tab("History")
        task.click(bob.get_by_role("link", name="Record history"))
        bob.get_by_role("heading", level=1).wait_for()
        bob.go_back()
        task.actions += 1
        task.click(bob.get_by_role("link", name="Who viewed this record"))
        bob.get_by_text("Participant page").first.wait_for()  # the page named in words (D12)
        done(task)

        # 4. The program's evaluation (an evaluator).
        eve = page_of("eve")
        task = Task(eve, "4 evaluation")
        task.menu("Program", "Evaluation")
        eve.get_by_role("heading", level=1).wait_for()
        assert "Recovered 0" not in eve.locator("main").inner_text()
        done(task)

        # 5. A compliance report for the court, to the PDF (a manager).
        mona = page_of("mona")
        task = Task(mona, "5 compliance report")
        task.find("RIV-101")
        task.tab("Documents")
        task.click(mona.get_by_role("link", name="Reports and notices to the referral agency"))
        task.click(mona.get_by_role("link", name="Compliance report"))
        task.click(mona.get_by_role("button", name="Preview"))
        mona.locator("article.document").wait_for()
        with mona.expect_download() as download:
            task.click(mona.get_by_role("button", name="Produce the PDF and log it as sent"))
        assert download.value.suggested_filename.endswith(".pdf")
        assert SentDocument.objects.filter(enrollment=world.good).count() == 1
        done(task)

        # 6. His check-out link for his phone (the check-out is offered first).
        task = Task(alice, "6 check-out link")
        alice.goto(f"{url}/")
        task.find("RIV-101")
        task.tab("Measures")
        chosen = alice.get_by_label("Phone link").locator("option:checked").inner_text()
        assert "check-out" in chosen.lower()  # the check-out first and chosen (D2)
        task.click(alice.get_by_role("button", name="Create a one-time link"))
        alice.get_by_role("heading", name=re.compile("One-time link")).wait_for()
        done(task)
    finally:
        for context in contexts:
            context.close()
    return rows


@pytest.mark.parametrize("size", list(SIZES))
def test_the_audit_s_tasks_on_a_desktop_and_a_phone(browser, live_server, world, size) -> None:
    rows = run_tasks(browser, live_server, world, size)
    print(f"\n{size}: task, actions, seconds", flush=True)
    for name, actions, seconds in rows:
        print(f"  {name:<28} {actions:>3} {seconds:6.1f} s", flush=True)
    over = [(n, a) for n, a, _ in rows if a > BUDGET[n]]
    assert not over, f"tasks over their action budget on {size}: {over}"
