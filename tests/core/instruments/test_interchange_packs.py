"""Instrument packs: item wording loaded from a CSV or a FHIR Questionnaire, all or nothing.

The wording here is made up for the tests ("Placeholder statement 3"); no instrument's real
items are reproduced.
"""

from __future__ import annotations

import json

import pytest

from alliance.core.instruments import get_bundled, score
from alliance.core.instruments.interchange import (
    InterchangeError,
    ItemPack,
    apply_pack,
    export_questionnaire,
    read_csv_packs,
    read_fhir_pack,
)

UCLA = get_bundled("ucla3")
IDS = [item.id for item in UCLA.items]


def csv_pack(rows: list[tuple[str, str, str]], header: str = "item_id,text,language") -> str:
    lines = [header] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def full_rows(language: str = "en") -> list[tuple[str, str, str]]:
    return [(item_id, f"Placeholder statement {i}", language) for i, item_id in enumerate(IDS, 1)]


def problems(exc: pytest.ExceptionInfo[InterchangeError]) -> list[str]:
    return [f"{where}: {problem}" for where, problem in exc.value.problems]


def test_a_csv_pack_gives_one_pack_per_language() -> None:
    packs = read_csv_packs(UCLA, csv_pack(full_rows("en") + full_rows("es")))
    assert set(packs) == {"en", "es"}
    assert packs["es"].texts[IDS[0]] == "Placeholder statement 1"
    assert packs["en"].instrument_id == "ucla3"


def test_applying_a_pack_sets_the_text_and_changes_nothing_else() -> None:
    pack = read_csv_packs(UCLA, csv_pack(full_rows()))["en"]
    worded = apply_pack(UCLA, pack)
    assert [item.text for item in worded.items] == [f"Placeholder statement {i}" for i in (1, 2, 3)]
    assert [item.response for item in worded.items] == [item.response for item in UCLA.items]
    assert worded.scales == UCLA.scales
    assert worded.items_bundled is False  # loaded by the agency, not shipped
    assert UCLA.items[0].text is None  # the bundled definition is untouched


def test_a_worded_definition_scores_exactly_like_the_bare_one() -> None:
    import pandas as pd

    worded = apply_pack(UCLA, read_csv_packs(UCLA, csv_pack(full_rows()))["en"])
    frame = pd.DataFrame([dict.fromkeys(IDS, 2), dict.fromkeys(IDS, 3)])
    assert score(worded, frame).frame.equals(score(UCLA, frame).frame)


def test_extra_columns_blank_lines_a_bom_and_multiline_text_are_fine() -> None:
    text = "\ufeffitem_id,text,language,note\n\n"
    text += f'{IDS[0]},"First line\nsecond line",en,x\n'
    text += f"{IDS[1]},Two,en,\n{IDS[2]},Three,en,\n"
    pack = read_csv_packs(UCLA, text)["en"]
    assert pack.texts[IDS[0]] == "First line\nsecond line"


def test_every_problem_is_reported_with_its_line_and_nothing_is_returned() -> None:
    rows = [
        (IDS[0], "One", "en"),
        ("ucla3_99", "Unknown", "en"),
        (IDS[1], "", "en"),
        (IDS[0], "One again", "en"),
        (IDS[2], "Three", "english!"),
    ]
    with pytest.raises(InterchangeError) as exc:
        read_csv_packs(UCLA, csv_pack(rows))
    assert problems(exc) == [
        "line 3, column 'item_id': unknown item 'ucla3_99' for 'ucla3'",
        "line 4, column 'text': empty text",
        f"line 5, column 'item_id': '{IDS[0]}' in 'en' again (first on line 2)",
        "line 6, column 'language': 'english!' is not a language tag like 'en'",
        f"language 'en': no text for {IDS[1]}, {IDS[2]}",
    ]
    assert str(exc.value).startswith("line 3, column 'item_id': unknown item")
    assert "(and 4 more)" in str(exc.value)


def test_a_language_missing_items_is_refused_even_when_another_is_complete() -> None:
    rows = [*full_rows("en"), (IDS[0], "Uno", "es")]
    with pytest.raises(InterchangeError, match=r"language 'es': no text for"):
        read_csv_packs(UCLA, csv_pack(rows))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: empty file"),
        ("item_id,text\n", "line 1: missing column(s) language"),
        ("item_id,text,language\n", "line 2: no rows"),
        ("item_id,text,language\nucla3_01,Only two\n", "line 2: 2 fields, expected 3"),
    ],
)
def test_malformed_files_are_refused(text: str, message: str) -> None:
    with pytest.raises(InterchangeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv_packs(UCLA, text)


def test_a_fhir_questionnaire_is_a_pack_too() -> None:
    worded = apply_pack(UCLA, read_csv_packs(UCLA, csv_pack(full_rows("fr")))["fr"])
    questionnaire = export_questionnaire(worded)
    questionnaire["language"] = "fr"
    pack = read_fhir_pack(UCLA, json.dumps(questionnaire))
    assert pack.language == "fr"
    assert apply_pack(UCLA, pack) == worded


def test_a_vendor_questionnaire_with_groups_and_display_items_is_read() -> None:
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Please answer."},
            {
                "linkId": "g1",
                "type": "group",
                "item": [
                    {"linkId": item_id, "type": "choice", "text": f"Statement {i}"}
                    for i, item_id in enumerate(IDS)
                ],
            },
        ],
    }
    pack = read_fhir_pack(UCLA, questionnaire, language="en")
    assert dict(pack.texts) == {item_id: f"Statement {i}" for i, item_id in enumerate(IDS)}


def test_fhir_pack_problems_name_the_item() -> None:
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "language": "en",
        "item": [
            {"linkId": IDS[0], "type": "choice", "text": "One"},
            {"linkId": IDS[0], "type": "choice", "text": "One again"},
            {"linkId": "other", "type": "choice", "text": "Other"},
            {"linkId": IDS[1], "type": "choice"},
        ],
    }
    with pytest.raises(InterchangeError) as exc:
        read_fhir_pack(UCLA, questionnaire)
    assert problems(exc) == [
        f"item[1] (linkId '{IDS[0]}'): repeats item[0]",
        "item[2] (linkId 'other'): unknown item for 'ucla3'",
        f"item[3] (linkId '{IDS[1]}'): empty text",
        f"item: no text for {IDS[1]}, {IDS[2]}",
    ]


def test_a_questionnaire_for_another_instrument_or_without_language_is_refused() -> None:
    other = export_questionnaire(get_bundled("scs_sf"))
    with pytest.raises(InterchangeError, match="is for 'scs_sf', not 'ucla3'"):
        read_fhir_pack(UCLA, other, language="en")
    with pytest.raises(InterchangeError, match="no usable language"):
        read_fhir_pack(UCLA, export_questionnaire(UCLA))


def test_a_pack_for_another_instrument_or_other_items_is_refused() -> None:
    with pytest.raises(InterchangeError, match="is for 'scs_sf'"):
        apply_pack(UCLA, ItemPack("scs_sf", "en", {}))
    with pytest.raises(InterchangeError, match="missing ucla3_03; unknown extra"):
        apply_pack(UCLA, ItemPack("ucla3", "en", {IDS[0]: "a", IDS[1]: "b", "extra": "c"}))
