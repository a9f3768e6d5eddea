"""One scored administration as FHIR R4: a QuestionnaireResponse and Observations.

The QuestionnaireResponse answers the Questionnaire that
:func:`~alliance.core.instruments.interchange.fhir.export_questionnaire` writes; each scale
score becomes an Observation coded in Alliance's local CodeSystem.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from alliance.core.instruments.definition import InstrumentDefinition, Item, ResponseKind
from alliance.core.instruments.interchange.fhir import (
    BASE,
    fhir_id,
    questionnaire_url,
    validated_resource,
)
from alliance.core.instruments.interchange.serialize import InterchangeError, plain_number
from alliance.core.instruments.scoring import ENGINE_VERSION, score

SCALES_CODE_SYSTEM = f"{BASE}/CodeSystem/alliance-scales"
UCUM = "http://unitsofmeasure.org"

LOINC_SCALE_CODES: Mapping[tuple[str, str], tuple[str, str]] = {}
"""``(instrument id, scale id) -> (LOINC code, display)``.

Empty on purpose: no LOINC code for a bundled scale has been checked against LOINC itself, and
a wrong code is worse than none. Add a pair only after looking it up at loinc.org.
"""


def export_administration(
    definition: InstrumentDefinition,
    answers: Mapping[str, object],
    *,
    administration_id: str,
    subject: str,
    authored: datetime,
) -> dict[str, Any]:
    """One administration as a FHIR Bundle: a QuestionnaireResponse and one Observation per scale.

    Parameters
    ----------
    definition
        The instrument.
    answers
        Item id to answer (unanswered items absent or None/NaN), as :func:`score` takes them.
    administration_id
        Id of the QuestionnaireResponse (letters, digits, ``-`` and ``.``); each Observation
        is ``<administration_id>-<scale id>``.
    subject
        FHIR reference to the respondent, e.g. ``"Patient/123"``.
    authored
        When it was answered; must carry a time zone.

    Returns
    -------
    dict
        A ``collection`` Bundle. Each Observation has the code
        ``<instrument>.<scale>`` in the ``alliance-scales`` CodeSystem (and a LOINC code only
        if :data:`LOINC_SCALE_CODES` has one), the score as a ``{score}`` quantity or a
        ``dataAbsentReason`` when the missing-item rule was not met, the band as
        ``interpretation`` text, the instrument and engine versions as ``method`` and
        ``derivedFrom`` the response.

    Raises
    ------
    InterchangeError
        If an answer is rejected by the scoring engine (naming the item) or ``authored`` is
        naive.
    """
    if authored.tzinfo is None:
        raise InterchangeError("authored", "needs a time zone")
    frame = pd.DataFrame([{key: answers[key] for key in answers}])
    result = score(definition, frame)
    if result.errors:
        problems = [(f"item {e.item!r}", f"{e.problem} (got {e.value!r})") for e in result.errors]
        raise InterchangeError.collected(problems)
    when = authored.isoformat()
    response_ref = f"QuestionnaireResponse/{administration_id}"
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": administration_id,
        "questionnaire": f"{questionnaire_url(definition)}|{definition.version}",
        "status": "completed",
        "subject": {"reference": subject},
        "authored": when,
        "item": [
            answer
            for item in definition.items
            if (answer := _answer(item, answers.get(item.id))) is not None
        ],
    }
    entries = [response]
    row = result.frame.iloc[0]
    for scale in definition.scales:
        value = row[f"{scale.id}_score"]
        band = row[f"{scale.id}_band"]
        coding = [
            {
                "system": SCALES_CODE_SYSTEM,
                "code": f"{definition.id}.{scale.id}",
                "display": f"{definition.title}: {scale.title}",
            }
        ]
        loinc = LOINC_SCALE_CODES.get((definition.id, scale.id))
        if loinc is not None:
            coding.append({"system": "http://loinc.org", "code": loinc[0], "display": loinc[1]})
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"{administration_id}-{fhir_id(scale.id)}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {"coding": coding, "text": f"{definition.title}: {scale.title}"},
            "subject": {"reference": subject},
            "effectiveDateTime": when,
            "method": {
                "text": f"Alliance {definition.id} {definition.version}, engine {ENGINE_VERSION}"
            },
            "derivedFrom": [{"reference": response_ref}],
        }
        if pd.isna(value):
            observation["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "unknown",
                    }
                ],
                "text": "too many items unanswered for the scale's missing-item rule",
            }
        else:
            observation["valueQuantity"] = {
                "value": plain_number(float(value)),
                "unit": "score",
                "system": UCUM,
                "code": "{score}",
            }
        if not pd.isna(band):
            observation["interpretation"] = [{"text": str(band)}]
        entries.append(observation)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"{BASE}/{e['resourceType']}/{e['id']}", "resource": e} for e in entries
        ],
    }
    return validated_resource("Bundle", bundle)


def _answer(item: Item, value: object) -> dict[str, Any] | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    kind = item.response.kind
    if kind is ResponseKind.FREE_TEXT:
        answer: dict[str, Any] = {"valueString": str(value)}
    else:
        number = float(value)  # type: ignore[arg-type]
        if kind is ResponseKind.YES_NO:
            answer = {"valueBoolean": number == 1}
        elif kind is ResponseKind.LIKERT:
            coding: dict[str, Any] = {"code": str(round(number))}
            label = dict(item.response.anchors).get(round(number))
            if label is not None:
                coding["display"] = label
            answer = {"valueCoding": coding}
        elif kind is ResponseKind.NUMBER and item.response.step is not None:
            answer = {"valueInteger": round(number)}
        else:
            answer = {"valueDecimal": Decimal(str(round(number, 6)))}
    out: dict[str, Any] = {"linkId": item.id, "answer": [answer]}
    if item.text is not None:
        out["text"] = item.text
    return out
