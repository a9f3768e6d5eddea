"""The evaluation's section on engagement-alert actions and what followed (page and PDF)."""

from __future__ import annotations

from django.utils import timezone

from alliance.engagement.models import OutreachAlert
from alliance.engagement.services import (
    record_outreach_action,
    record_outreach_outcome,
    start_outreach,
)
from tests.web.helpers import text

URL = "/evaluation/"


def _alerts(world) -> None:
    alert = start_outreach(enrollment=world.breach, actor=world.alice, today=world.today)
    for kind in ("phone_call", "motivational_conversation"):
        record_outreach_action(
            alert=alert,
            actor=world.alice,
            kind=kind,
            done_on=world.today,
            note="ZQX private note about his week",
        )
    record_outreach_outcome(alert=alert, actor=world.alice, outcome="attended_next")
    OutreachAlert.objects.create(
        enrollment=world.man_b,
        raised_at=timezone.now(),
        next_two=0.5,
        before_completion=0.7,
        band="high",
        factors=["ZQX factor text"],
    )


def _section(page: str) -> str:
    start = page.index('id="alerts"')
    return page[start : page.index("</section>", start)]


def test_the_evaluation_counts_alerts_actions_and_what_followed(world, as_user) -> None:
    _alerts(world)
    page = text(as_user(world.olga).get(URL))
    section = _section(page)
    assert "Dropout-risk alerts raised</th><td>2<" in section
    assert "With at least one outreach action</th><td>1<" in section
    assert "Closed with an outcome</th><td>1<" in section
    assert "Phone call</th><td>1</td><td>1<" in section
    assert "Motivational conversation</th><td>1</td><td>1<" in section
    assert "Came to the next session</th><td>1<" in section  # outreach wording (D25)
    assert "At least one action</th><td>1<" in section
    assert "No action recorded</th><td>1<" in section
    assert "not what outreach caused" in section
    # De-identified: no note, factor, code or staff name.
    for secret in ("ZQX", "RIV-", "alice", "Alice"):
        assert secret not in section


def test_the_section_is_scoped_to_the_viewers_programs(world, as_user) -> None:
    _alerts(world)
    section = _section(text(as_user(world.mona).get(URL)))  # North only: man_b is at South
    assert "Dropout-risk alerts raised</th><td>1<" in section


def test_without_alerts_the_section_says_so(world, as_user) -> None:
    assert "No dropout-risk alert has been raised" in text(as_user(world.eve).get(URL))


def test_the_pdf_has_the_section(world, as_user, monkeypatch) -> None:
    """WeasyPrint compresses the PDF's text, so the HTML it is given is checked instead."""
    import weasyprint

    given: list[str] = []
    real = weasyprint.HTML

    def capture(*, string: str, base_url: str):  # type: ignore[no-untyped-def]
        given.append(string)
        return real(string=string, base_url=base_url)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    _alerts(world)
    response = as_user(world.olga).get("/evaluation/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    section = _section(given[0])
    assert "Engagement alerts: actions and what followed" in section
    assert "Phone call</th><td>1</td><td>1<" in section
    assert "ZQX" not in section


def test_a_cached_evaluation_is_recomputed_after_new_records(world, as_user) -> None:
    client = as_user(world.olga)
    assert "No dropout-risk alert has been raised" in text(client.get(URL))
    _alerts(world)
    assert "Dropout-risk alerts raised</th><td>2<" in _section(text(client.get(URL)))
