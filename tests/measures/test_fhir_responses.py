"""FHIR answers in and out: ``alliance instruments export-responses`` / ``import-responses``.

Import is all or nothing per file: a refusal names the resource (or CSV row) and linkId and
nothing is written.  Property-based tests throw arbitrary JSON at the importer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.cli import main
from alliance.core.instruments.interchange.fhir_responses import (
    ResponsesError,
    read_csv_responses,
    read_responses,
)
from alliance.measures.fhir_responses import ImportRefused, import_responses
from alliance.measures.models import Administration, ItemResponse, Score
from tests.factories import World

SCS_SF = [f"scs_sf_{n:02d}" for n in range(1, 13)]
URL = "https://alliance.example/fhir/Questionnaire/scs-sf"


def lhc_response(world: World, values: list[Any], *, identifier: str | None = "r-1") -> dict:
    """As LHC-Forms writes one: answers in a group, Likert answers as valueCoding."""
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": URL,
        "subject": {"reference": f"Patient/{world.good.participant_id}"},
        "authored": f"{world.today.isoformat()}T09:40:00+13:00",
        "item": [
            {
                "linkId": "group-1",
                "item": [
                    {"linkId": item, "answer": [{"valueCoding": {"code": str(v), "display": "x"}}]}
                    for item, v in zip(SCS_SF, values, strict=False)
                ],
            }
        ],
    }
    if identifier:
        resource["identifier"] = {"system": "urn:lhc", "value": identifier}
    return resource


def _import(world: World, text: str) -> Any:
    return import_responses(
        actor=None, organization=world.good.program.organization, responses=read_responses(text)
    )


def test_an_lhc_forms_response_is_scored_and_stored_like_a_form(world: World) -> None:
    done = _import(world, json.dumps(lhc_response(world, [3] * 12)))
    administration = Administration.objects.get()
    assert done[0].administration_id == administration.pk
    assert administration.enrollment_id == world.good.pk
    assert administration.status == "complete"
    assert administration.administered_on == world.today
    assert ItemResponse.objects.count() == 12
    score = Score.objects.get()
    assert (score.value, score.band, score.missing) == (3.0, "moderate", False)


def test_the_same_identifier_is_stored_once(world: World) -> None:
    text = json.dumps(lhc_response(world, [3] * 12))
    _import(world, text)
    again = _import(world, text)
    assert again[0].replay is True
    assert Administration.objects.count() == 1


def test_a_refusal_names_resource_and_link_id_and_writes_nothing(world: World) -> None:
    good = lhc_response(world, [3] * 12, identifier="a")
    bad = lhc_response(world, [3, 3, 9] + [3] * 9, identifier="b")
    bad["item"][0]["item"].append({"linkId": "nope", "answer": [{"valueInteger": 1}]})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": good}, {"resource": bad}],
    }
    with pytest.raises(ImportRefused) as caught:
        _import(world, json.dumps(bundle))
    text = str(caught.value)
    assert "resource 2: linkId 'scs_sf_03'" in text
    assert "linkId 'nope'" in text
    assert "resource 1" not in text
    assert not Administration.objects.exists()
    assert not ItemResponse.objects.exists()


def test_ndjson_csv_and_the_cli(world: World, tmp_path, capsys) -> None:
    lines = [
        json.dumps(lhc_response(world, [2] * 12, identifier="n1")),
        json.dumps(lhc_response(world, [4] * 12, identifier="n2")),
    ]
    (tmp_path / "r.ndjson").write_text("\n".join(lines))
    org = world.good.program.organization.slug
    args = ["instruments", "import-responses", "--organization", org, "--json"]
    assert main([*args[:2], str(tmp_path / "r.ndjson"), *args[2:]]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["where"] for r in report["stored"]] == ["resource 1", "resource 2"]
    assert Administration.objects.count() == 2

    header = "participant_id,instrument_id,administered_on,identifier," + ",".join(SCS_SF)
    row = f"{world.good.participant_id},scs_sf,{world.today},c1," + ",".join(["5"] * 12)
    bad = f"{world.good.participant_id},scs_sf,{world.today},c2," + ",".join(["7"] * 12)
    (tmp_path / "r.csv").write_text(f"{header}\n{row}\n{bad}\n")
    assert main([*args[:2], str(tmp_path / "r.csv"), *args[2:]]) == 2
    err = capsys.readouterr().err
    assert "row 3: linkId 'scs_sf_01'" in err
    assert "nothing was stored" in err
    assert Administration.objects.count() == 2

    out = tmp_path / "bundle.json"
    export = ["instruments", "export-responses", "--organization", org, "--out", str(out)]
    assert main([*export, "--instrument", "scs_sf"]) == 0
    bundle = json.loads(out.read_text())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2
    assert "Observation" in kinds
    assert main([*export, "--instrument", "phq9"]) == 0
    assert json.loads(out.read_text()).get("entry", []) == []
    assert main([*export, "--from", "2999-01-01"]) == 0
    assert json.loads(out.read_text()).get("entry", []) == []


def test_a_man_outside_the_organization_or_not_enrolled_that_day_is_refused(
    world: World,
) -> None:
    stranger = lhc_response(world, [3] * 12)
    stranger["subject"] = {"reference": "Patient/999999"}
    early = lhc_response(world, [3] * 12, identifier="e")
    early["authored"] = "1999-01-01"
    with pytest.raises(ImportRefused) as caught:
        _import(world, "\n".join(json.dumps(r) for r in (stranger, early)))
    assert "resource 1: subject: no enrollment of man 999999" in str(caught.value)
    assert "resource 2: subject" in str(caught.value)
    assert not Administration.objects.exists()


def test_file_level_problems() -> None:
    with pytest.raises(ResponsesError, match="no QuestionnaireResponse"):
        read_responses('{"resourceType": "Patient"}')
    with pytest.raises(ResponsesError, match="line 2: not JSON"):
        read_responses('{"resourceType": "Patient"}\n{oops')
    with pytest.raises(ResponsesError, match="missing column"):
        read_csv_responses("participant_id,scs_sf_01\n1,3\n")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "item",
                    "linkId",
                    "answer",
                    "valueCoding",
                    "code",
                    "valueInteger",
                    "valueDecimal",
                    "valueString",
                    "subject",
                    "reference",
                    "authored",
                    "questionnaire",
                    "status",
                    "entry",
                    "resource",
                    "identifier",
                    "value",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=_json, codes=st.lists(st.text(max_size=4) | st.integers(), min_size=12, max_size=12)
)
def test_any_input_is_stored_whole_or_refused_without_a_write(
    world: World, document: Any, codes: list[Any]
) -> None:
    before = (Administration.objects.count(), ItemResponse.objects.count(), Score.objects.count())
    response = lhc_response(world, codes, identifier=None)
    for text in (json.dumps(document), json.dumps(response)):
        try:
            _import(world, text)
        except (ResponsesError, ImportRefused):
            assert (
                Administration.objects.count(),
                ItemResponse.objects.count(),
                Score.objects.count(),
            ) == before
        else:
            before = (
                Administration.objects.count(),
                ItemResponse.objects.count(),
                Score.objects.count(),
            )


def test_the_measures_page_offers_the_answers_as_fhir_and_logs_each_man(
    world: World, as_user
) -> None:
    from alliance.audit.models import AccessEvent

    _import(world, json.dumps(lhc_response(world, [3] * 12)))
    program = world.good.program
    client = as_user(world.bob)
    page = client.get(f"/programs/{program.pk}/measures/").content.decode()
    url = f"/programs/{program.pk}/measures/fhir-answers.json"
    assert url in page
    assert "FHIR answers (JSON)" in page
    before = AccessEvent.objects.filter(participant_id=world.good.participant_id).count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    responses = [e["resource"] for e in bundle["entry"]]
    assert responses[0]["subject"]["reference"] == f"Patient/{world.good.participant_id}"
    assert {r["resourceType"] for r in responses} == {"QuestionnaireResponse", "Observation"}
    after = AccessEvent.objects.filter(participant_id=world.good.participant_id).count()
    assert after == before + 1
