"""No partner field reaches any page, export, PDF, e-mail or log line outside the compartment.

The test walks every URL pattern in the URL configuration (kwargs built from the test world's
objects; an unknown ``<thing>_id`` is looked up by model name, so new pages are walked without
editing this file) as every persona and as an anonymous visitor, and searches each response,
each HTML handed to WeasyPrint for a PDF, each e-mail and every log record emitted during the
walk for the sentinel values stored in the partner records. The only pages allowed to show
them are the safety pages to the safety worker, and the one record Olga opened by break-glass
(its page and its history).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import weasyprint
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.measures.administration.tokens import create_participant_link, open_kiosk
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.participants.services import change_enrollment_status
from alliance.participants.views import ACTIONS
from alliance.practice.tokens import create_practice_link
from alliance.safety import partner_reports, services
from alliance.safety.models import PartnerNotification, PartnerRelease
from tests.safety.conftest import SENTINEL

PERSONAS = ["alice", "fred", "charlie", "bob", "mona", "olga", "eve", "petra", "outsider", ""]


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Captured:
    html: list[str]
    logs: list[str]


class CaptureLogs(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage() + repr(record.args) + repr(record.__dict__))


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[Captured]:
    sink = Captured(html=[], logs=[])
    original = weasyprint.HTML

    def recording_html(*args: Any, **kwargs: Any) -> Any:
        sink.html.append(str(kwargs.get("string", "")))
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording_html)
    handler = CaptureLogs(sink.logs)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL and its parameters are logged too
    try:
        yield sink
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        root.setLevel(level)


def build_values(world, partners) -> dict[str, list[object]]:
    now = timezone.now()
    _, measure_token = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
    )
    _, kiosk_token = open_kiosk(actor=world.alice, session=world.todays_session_a, now=now)
    _, practice_token = create_practice_link(actor=world.alice, enrollment=world.good, now=now)
    # A prepared notification through the real hook: RIV-105 starts, his partner allowed it.
    intake_partner = services.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.in_intake.participant,
        name=f"{SENTINEL}-INTAKE-NAME",
        phone=f"{SENTINEL}-INTAKE-PHONE",
    )
    services.record_release(
        actor=world.petra,
        record=intake_partner,
        kind="enrollment",
        signed_on=world.today,
        today=world.today,
    )
    change_enrollment_status(
        actor=world.alice,
        enrollment=world.in_intake,
        target=EnrollmentStatus.ACTIVE,
        effective_on=world.today,
        reason="Started",
        group=world.group_a,
        today=world.today,
    )
    draft = PartnerNotification.objects.get(partner=intake_partner)
    services.log_contact(
        actor=world.petra,
        record=partners.current,
        contacted_on=world.today,
        method="phone",
        message=f"{SENTINEL}-CONTACT-MESSAGE",
        today=world.today,
    )
    # Her partner reports: consent, a report with the worker's note, her release of the flag.
    consent = partner_reports.record_report_consent(
        actor=world.petra,
        record=partners.current,
        decision="given",
        decided_on=world.today - dt.timedelta(days=40),
        how="phone",
        note=f"{SENTINEL}-CONSENT-NOTE",
        today=world.today,
    )
    for days_ago in (35, 1):
        partner_reports.record_partner_report(
            actor=world.petra,
            record=partners.current,
            reported_on=world.today - dt.timedelta(days=days_ago),
            mode="phone",
            answers={"felt_safety": 1, "controlling": 3, "respectful": 1, "change": 0},
            worker_note=f"{SENTINEL}-REPORT-NOTE",
            today=world.today,
        )
    flag_release = partner_reports.record_flag_release(
        actor=world.petra,
        record=partners.current,
        recipient="facilitators",
        given_on=world.today,
        how="phone",
        today=world.today,
    )
    # Olga opened the current partner's record a minute ago: that page, and only it, is hers.
    services.open_break_glass(
        actor=world.olga,
        record=partners.current,
        reason=f"{SENTINEL}-REASON and enough words to pass the minimum",
        now=now - dt.timedelta(minutes=1),
    )
    return {
        "group_id": [world.group_a.pk, world.group_b.pk],
        "session_id": [world.todays_session_a.pk, world.todays_session_b.pk],
        "enrollment_id": [world.good.pk, world.man_b.pk, world.in_intake.pk],
        "participant_id": [world.good.participant_id, world.man_b.participant_id],
        "program_id": [world.program.pk, world.program_b.pk],
        "partner_id": [partners.current.pk, partners.former.pk, intake_partner.pk],
        "concern_id": [partners.concern.pk],
        "notification_id": [draft.pk],
        "consent_id": [consent.pk],
        "flag_release_id": [flag_release.pk],
        "release_id": [PartnerRelease.objects.filter(partner=partners.current).first().pk],
        "action": list(ACTIONS),
        "r/": [measure_token],
        "kiosk/": [kiosk_token],
        "p/": [practice_token],
    }


def model_pk(name: str) -> object:
    """The first object of the model called ``name`` (``alert`` for ``alert_id``), or 1."""
    wanted = name.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted:
            obj = model._default_manager.order_by("pk").first()
            if obj is not None:
                return obj.pk
    return 1


def paths(values: dict[str, list[object]]) -> list[tuple[str, str]]:
    """(route, concrete path) for every pattern, one path per listed value of its parameters."""
    found = []
    for route, _ in walk(get_resolver().url_patterns):
        params = [m.group("name") for m in PARAM.finditer(route)]
        variants = max([len(values.get(p, [None])) for p in params] or [1])
        for index in range(variants):
            path = route
            for match in PARAM.finditer(route):
                name = match.group("name")
                if match.group("conv") == "str":
                    options = values.get(route.split("<")[0], ["not-a-token"])
                else:
                    options = values.get(name) or [model_pk(name)]
                path = path.replace(match.group(0), str(options[min(index, len(options) - 1)]))
            found.append((route, "/" + path))
    return sorted(set(found))


def allowed(persona: str, route: str, path: str, opened_path: str) -> bool:
    if persona == "petra":
        return route.startswith("safety/")
    # The record Olga opened by break-glass, and its history, are hers for the window.
    return persona == "olga" and path in (opened_path, opened_path + "history/")


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_no_partner_field_leaves_the_compartment(
    world, partners, as_user, client, captured
) -> None:
    values = build_values(world, partners)
    sentinels = re.compile(re.escape(SENTINEL) + r"-[A-Z]+-[A-Z_]+")
    opened_path = f"/safety/partners/{partners.current.pk}/"
    walked = paths(values)
    assert len(walked) > 60
    seen_by_petra: set[str] = set()
    leaks = []
    statuses: dict[str, int] = {}
    for persona in PERSONAS:
        if persona:
            as_user(getattr(world, persona))
        else:
            client.logout()
        for route, path in walked:
            before = len(captured.html)
            response = client.get(path)
            statuses[f"{persona} {path}"] = response.status_code
            text = body_of(response) + "".join(captured.html[before:])
            found = set(sentinels.findall(text))
            if persona == "petra":
                seen_by_petra |= found
            if found and not allowed(persona, route, path, opened_path):
                leaks.append((persona or "anonymous", path, sorted(found)))
        if persona and persona != "petra":
            as_user(world.petra)  # Olga's break-glass must not have spread to other sessions
    assert leaks == []
    # The walk saw real pages, and the sentinels are findable where they belong.
    assert sum(1 for s in statuses.values() if s == 200) > 100
    assert statuses[f"alice /groups/{world.group_a.pk}/"] == 200
    assert statuses[f"petra {opened_path}"] == 200
    assert statuses[f"olga {opened_path}"] == 200
    assert f"{SENTINEL}-CUR-NAME" in seen_by_petra
    assert f"{SENTINEL}-CONTACT-MESSAGE" in seen_by_petra
    assert f"{SENTINEL}-INTAKE-NAME" in seen_by_petra
    assert f"{SENTINEL}-REPORT-NOTE" in seen_by_petra
    assert f"{SENTINEL}-CONSENT-NOTE" in seen_by_petra
    # The supervisor reads the discrepancy signal (flag and trends), never her record.
    assert statuses["bob /safety/discrepancies/"] == 200
    assert statuses[f"bob /safety/discrepancies/{world.good.participant_id}/"] == 200
    # Nothing reached a log line (SQL parameters included) or an e-mail.
    assert len(captured.logs) > 100
    assert [line for line in captured.logs if SENTINEL in line] == []
    assert [m for m in mail.outbox if SENTINEL in m.body or SENTINEL in m.subject] == []
