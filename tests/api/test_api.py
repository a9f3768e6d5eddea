"""The REST API: integration keys, the pages' access rules, idempotent writes, the access log.

Personas and the world: tests/factories.py (Riverside; Alice facilitates group A at North;
Charlie only group B at South; Oscar belongs to another organization).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alliance.api.models import IdempotentWrite, IntegrationKey
from alliance.api.services import create_integration_key
from alliance.audit.models import AccessEvent
from alliance.organizations.models import Role
from alliance.programs.models import Attendance
from tests.factories import World
from tests.web.helpers import text


def key_for(world: World, role: Role = Role.FACILITATOR, *, site: str = "north") -> str:
    _, key = create_integration_key(
        actor=world.olga,  # type: ignore[arg-type]
        organization=world.riverside,
        name=f"CMS {role} {site}",
        role=role,
        sites=[getattr(world, site)],
    )
    return key


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def codes(response) -> set[str]:
    return {row["participant_code"] for row in response.json()["results"]}


def test_an_admin_makes_a_key_that_is_shown_once_and_stored_only_as_a_hash(
    world: World, as_user
) -> None:
    page = as_user(world.olga).post(
        "/settings/integrations/",
        {"name": "Court CMS", "role": "facilitator", "sites": [world.north.pk]},
    )
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    key = re.search(r"alk_[0-9a-f]{12}_[A-Za-z0-9_-]+", text(page)).group(0)
    row = IntegrationKey.objects.get(name="Court CMS")
    assert key.split("_", 2)[2] not in row.secret_sha256
    assert row.user.membership.role == Role.FACILITATOR
    assert not row.user.has_usable_password()
    # Shown once: the list afterwards has only the prefix.
    again = text(as_user(world.olga).get("/settings/integrations/"))
    assert key not in again
    assert f"alk_{row.prefix}_" in again
    assert api(key).get("/api/v1/enrollments/").status_code == 200


def test_a_bad_key_name_is_refused_naming_the_field(world: World, as_user) -> None:
    key_for(world)
    page = as_user(world.olga).post(
        "/settings/integrations/",
        {"name": "CMS facilitator north", "role": "facilitator", "sites": [world.north.pk]},
    )
    assert page.status_code == 400
    assert "already called" in text(page)


def test_a_key_sees_exactly_what_its_role_sees_on_the_pages(world: World) -> None:
    north = api(key_for(world, Role.FACILITATOR, site="north"))
    listed = north.get("/api/v1/enrollments/")
    assert listed.status_code == 200
    # A facilitator key for North is not Alice: she facilitates group A, the key none.
    # It sees what a facilitator with no groups sees: nobody's running enrollments.
    manager = api(key_for(world, Role.PROGRAM_MANAGER, site="north"))
    seen = codes(manager.get("/api/v1/enrollments/"))
    assert "RIV-101" in seen
    assert "RIV-201" not in seen  # South's man
    # A record outside its scope is 404, exactly as on the pages.
    assert manager.get(f"/api/v1/enrollments/{world.man_b.pk}/").status_code == 404
    assert manager.get(f"/api/v1/enrollments/{world.good.pk}/").status_code == 200


def test_an_evaluator_key_gets_no_mens_records(world: World) -> None:
    evaluator = api(key_for(world, Role.EVALUATOR))
    assert evaluator.get("/api/v1/participants/").status_code == 404  # as on the pages
    assert evaluator.get("/api/v1/programs/").status_code == 200


def test_the_api_shows_no_identity_or_free_text(world: World) -> None:
    manager = api(key_for(world, Role.PROGRAM_MANAGER))
    row = manager.get(f"/api/v1/enrollments/{world.good.pk}/").json()
    assert "case_reference" not in row
    assert "mandate_notes" not in row
    assert "referral_contact_name" not in row
    man = manager.get(f"/api/v1/participants/{world.good.participant_id}/").json()
    assert set(man) == {"id", "code", "created_at"}


@pytest.mark.parametrize(
    "header",
    ["Bearer alk_nothing", "Bearer alk_000000000000_secret", "Bearer", "Basic abc"],
)
def test_unknown_or_malformed_keys_get_401_never_a_login_redirect(
    world: World, header: str
) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/enrollments/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_a_revoked_key_stops_at_once(world: World, as_user) -> None:
    key = key_for(world, Role.PROGRAM_MANAGER)
    assert api(key).get("/api/v1/programs/").status_code == 200
    row = IntegrationKey.objects.get(prefix=key.split("_")[1])
    revoked = as_user(world.olga).post(f"/settings/integrations/{row.pk}/revoke/")
    assert revoked.status_code == 302
    assert api(key).get("/api/v1/programs/").status_code == 401
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert row.revoked_by == world.olga


def test_a_staff_session_works_only_after_two_factor(world: World, as_user) -> None:
    assert as_user(world.mona).get("/api/v1/programs/").status_code == 200
    half = Client()
    half.force_login(world.mona)  # password only, no second factor
    assert half.get("/api/v1/programs/").status_code in (401, 403)


def test_every_use_is_in_the_access_log(world: World) -> None:
    key = key_for(world, Role.PROGRAM_MANAGER)
    service = IntegrationKey.objects.get(prefix=key.split("_")[1]).user
    api(key).get("/api/v1/programs/")
    api(key).get(f"/api/v1/enrollments/{world.good.pk}/")
    events = AccessEvent.objects.filter(user=service).order_by("pk")
    assert [e.url_name for e in events] == ["api:program-list", "api:enrollment-detail"]
    assert events[0].participant_id is None
    assert events[1].participant_id == world.good.participant_id


def _mark(client: Client, world: World, mark: str, key: str | None = "k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        "/api/v1/attendance/",
        {"session": world.todays_session_a.pk, "enrollment": world.good.pk, "mark": mark},
        content_type="application/json",
        **headers,
    )


def test_attendance_is_written_once_through_the_pages_service(world: World) -> None:
    client = api(key_for(world, Role.PROGRAM_MANAGER))
    first = _mark(client, world, "present")
    assert first.status_code == 201, first.content
    again = _mark(client, world, "present")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    rows = Attendance.objects.filter(session=world.todays_session_a, enrollment=world.good)
    assert rows.count() == 1
    assert IdempotentWrite.objects.count() == 1
    # The same key with another body is a client bug, refused loudly.
    assert _mark(client, world, "unexcused").status_code == 409
    assert rows.get().mark == "present"


def test_a_write_without_an_idempotency_key_is_refused(world: World) -> None:
    response = _mark(api(key_for(world, Role.PROGRAM_MANAGER)), world, "present", key=None)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()


def test_a_stale_revision_is_a_conflict_not_an_overwrite(world: World) -> None:
    client = api(key_for(world, Role.PROGRAM_MANAGER))
    assert _mark(client, world, "present", key="a").status_code == 201
    stale = client.post(
        "/api/v1/attendance/",
        {
            "session": world.todays_session_a.pk,
            "enrollment": world.good.pk,
            "mark": "late",
            "minutes_late": 10,
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="b",
    )
    assert stale.status_code == 409
    assert "current_revision" in stale.json()


def test_bad_write_fields_are_named(world: World) -> None:
    client = api(key_for(world, Role.PROGRAM_MANAGER))
    response = client.post(
        "/api/v1/attendance/",
        {"session": "x", "enrollment": world.good.pk, "mark": "asleep"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="c",
    )
    assert response.status_code == 400
    assert {"session", "mark"} <= set(response.json())


def test_a_key_cannot_mark_a_man_outside_its_sites(world: World) -> None:
    south = api(key_for(world, Role.PROGRAM_MANAGER, site="south"))
    assert _mark(south, world, "present").status_code == 404
    assert not Attendance.objects.filter(
        session=world.todays_session_a, enrollment=world.good
    ).exists()


def test_the_schema_and_reference_page_describe_every_endpoint(world: World, as_user) -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for name in ("participants", "enrollments", "attendance", "administrations", "documents"):
        assert f"/api/v1/{name}/" in paths
    page = text(as_user(world.alice).get("/api/reference/"))
    assert "POST /api/v1/attendance/" in page
    assert "Idempotency-Key" in page


def test_an_instrument_comes_out_as_a_fhir_questionnaire(world: World) -> None:
    client = api(key_for(world, Role.EVALUATOR))
    response = client.get("/api/v1/fhir/Questionnaire/scs_sf/", HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "Questionnaire"
    assert body["identifier"][0]["value"] == "scs_sf"
    assert client.get("/api/v1/fhir/Questionnaire/no_such/").status_code == 404


def test_a_completed_check_out_comes_out_as_a_fhir_bundle(world: World) -> None:
    from alliance.measures.administration.services import submit_administration
    from alliance.measures.administration.tokens import create_participant_link
    from alliance.measures.models import CHECKOUT
    from alliance.measures.registry import definition_for

    definition = definition_for(CHECKOUT)
    link, _ = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition,
        administered_on=world.today,
    )
    answers = {i.id: ("free words" if i.response.kind == "free_text" else 3.0)
               for i in definition.items}  # fmt: skip
    submit_administration(
        actor=None, administration=link.administration, answers=answers, submission_key="k"
    )
    client = api(key_for(world, Role.PROGRAM_MANAGER))
    bundle = client.get(f"/api/v1/administrations/{link.administration.pk}/fhir/").json()
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[0] == "QuestionnaireResponse"
    assert "Observation" in kinds
    assert "free words" not in str(bundle)  # free text stays in Alliance
    assert bundle["entry"][0]["resource"]["subject"]["reference"] == (
        f"Patient/{world.good.participant_id}"
    )
    south = api(key_for(world, Role.PROGRAM_MANAGER, site="south"))
    assert south.get(f"/api/v1/administrations/{link.administration.pk}/fhir/").status_code == 404


def _questionnaire_response(world: World, values: list[int], identifier: str | None) -> dict:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "https://alliance.example/fhir/Questionnaire/scs-sf",
        "subject": {"reference": f"Patient/{world.good.participant_id}"},
        "authored": world.today.isoformat(),
        "item": [
            {"linkId": f"scs_sf_{n:02d}", "answer": [{"valueCoding": {"code": str(v)}}]}
            for n, v in enumerate(values, start=1)
        ],
    }
    if identifier:
        resource["identifier"] = {"system": "urn:renderer", "value": identifier}
    return resource


def test_a_questionnaire_response_is_stored_once_by_its_identifier(world: World) -> None:
    from alliance.measures.models import Administration, Score

    client = api(key_for(world, Role.PROGRAM_MANAGER))
    url = "/api/v1/fhir/QuestionnaireResponse/"
    body = _questionnaire_response(world, [3] * 12, "qr-1")
    first = client.post(url, body, content_type="application/fhir+json")
    assert first.status_code == 201, first.content
    again = client.post(url, body, content_type="application/fhir+json")
    assert again.status_code == 200
    assert again.json()["stored"][0]["already_stored"] is True
    assert Administration.objects.count() == 1
    assert Score.objects.get().value == 3.0
    assert AccessEvent.objects.filter(
        url_name="api:fhir-questionnaire-response", participant_id=world.good.participant_id
    ).exists()


def test_a_questionnaire_response_without_identifier_needs_an_idempotency_key(
    world: World,
) -> None:
    from alliance.measures.models import Administration

    client = api(key_for(world, Role.PROGRAM_MANAGER))
    url = "/api/v1/fhir/QuestionnaireResponse/"
    body = _questionnaire_response(world, [3] * 12, None)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "Idempotency-Key" in refused.json()
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="q")
    assert first.status_code == 201
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="q")
    assert again["Idempotent-Replayed"] == "true"
    assert Administration.objects.count() == 1


def test_a_bad_answer_is_refused_by_link_id_and_a_key_sees_only_its_sites(world: World) -> None:
    from alliance.measures.models import Administration

    url = "/api/v1/fhir/QuestionnaireResponse/"
    client = api(key_for(world, Role.PROGRAM_MANAGER))
    bad = client.post(
        url, _questionnaire_response(world, [3, 9] + [3] * 10, "b"), content_type="application/json"
    )
    assert bad.status_code == 422
    assert "resource 1: linkId 'scs_sf_02'" in bad.json()["problems"][0]
    south = api(key_for(world, Role.PROGRAM_MANAGER, site="south"))
    outside = south.post(
        url, _questionnaire_response(world, [3] * 12, "s"), content_type="application/json"
    )
    assert outside.status_code == 404  # as for a GET of a man outside its sites
    assert not Administration.objects.exists()
