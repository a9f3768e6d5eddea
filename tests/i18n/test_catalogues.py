"""The catalogues are complete, compiled, and every page a man opens marks all its wording."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

from alliance.languages import ENGLISH, FRENCH, SPANISH, language_code, language_of

ALLIANCE = Path(__file__).resolve().parents[2] / "alliance"
CATALOGUES = sorted((ALLIANCE / "locale").glob("*/LC_MESSAGES/django.po"))

#: Every template a man sees himself: his phone check-out, the kiosk, his practice pages, the
#: agreement he signs. (Staff pages are in English for now: docs/languages.md.)
HIS_TEMPLATES = [
    "measures/templates/measures/bare.html",
    "measures/templates/measures/respond.html",
    "measures/templates/measures/respond_closed.html",
    "measures/templates/measures/respond_thanks.html",
    "measures/templates/measures/_save_status.html",
    "measures/templates/measures/kiosk_pin.html",
    "measures/templates/measures/kiosk_roster.html",
    "measures/templates/measures/kiosk_staff.html",
    "practice/templates/practice/bare.html",
    "practice/templates/practice/phone_account.html",
    "practice/templates/practice/phone_closed.html",
    "practice/templates/practice/phone_home.html",
    "practice/templates/practice/phone_practice.html",
    "practice/templates/practice/phone_progress.html",
    "practice/templates/practice/phone_sign_in.html",
    "practice/templates/practice/phone_thanks.html",
    "fees/templates/fees/_phone_balance.html",
    "intake/templates/intake/bare.html",
    "intake/templates/intake/link_unavailable.html",
    "intake/templates/intake/sign.html",
    "intake/templates/intake/signed.html",
]


def test_there_is_a_catalogue_for_spanish_and_canadian_french():
    assert {path.parts[-3] for path in CATALOGUES} == {"es", "fr_CA"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_no_catalogue_has_an_untranslated_or_fuzzy_entry(path):
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_is_the_current_one(path, tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(path)).save_as_mofile(str(compiled))
    assert compiled.read_bytes() == path.with_suffix(".mo").read_bytes(), (
        "Recompile: .venv/bin/python scripts/catalogue_fill.py"
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_translations_keep_every_placeholder(path):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(path)):
        wanted = sorted(placeholder.findall(entry.msgid))
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            if msgstr:
                got = sorted(placeholder.findall(msgstr))
                # A singular may drop the count ("done once").
                assert set(got) <= set(wanted + placeholder.findall(entry.msgid_plural))
                if not entry.msgid_plural:
                    assert got == wanted, (entry.msgid, msgstr)


def _marked_and_unmarked(source: str) -> tuple[set[str], list[str]]:
    """The msgids a template marks, and the words it shows without marking."""
    marked: set[str] = set()
    shown: list[str] = []  # the template with every tag and variable blanked out
    inside: list[str] | None = None
    for token in Lexer(source).tokenize():
        content = token.contents
        if token.token_type == TokenType.TEXT:
            (inside if inside is not None else shown).append(content)
            continue
        if token.token_type == TokenType.VAR and inside is not None:
            inside.append(f"%({content.split('|')[0].strip()})s")
            continue
        shown.append(" 0 ")
        if token.token_type != TokenType.BLOCK:
            continue
        if content.startswith(("translate ", "trans ")):
            match = re.match(r'(?:translate|trans) "((?:[^"\\]|\\.)*)"', content)
            if match:
                marked.add(match.group(1))
        elif content.startswith(("blocktranslate", "blocktrans")):
            inside = []
        elif content.startswith("plural") and inside is not None:
            marked.add("".join(inside).strip())
            inside = []
        elif content.startswith(("endblocktranslate", "endblocktrans")) and inside is not None:
            marked.add("".join(inside).strip())
            inside = None
    html = "".join(shown)
    # Words a man reads that sit in attributes, then the text between tags.
    unmarked = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*[A-Za-z][^"]*)"', html)
    visible = re.sub(r"<!doctype[^>]*>|<[^>]*>|&\w+;", " ", html, flags=re.IGNORECASE)
    unmarked += re.findall(r"[A-Za-z][A-Za-z'’ ]*[A-Za-z]|[A-Za-z]", visible)
    return marked, unmarked


@pytest.mark.parametrize("name", HIS_TEMPLATES)
def test_his_pages_mark_every_word_for_translation(name):
    _, unmarked = _marked_and_unmarked((ALLIANCE / name).read_text(encoding="utf-8"))
    assert unmarked == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_word_his_pages_mark_is_in_the_catalogue(path):
    entries = polib.pofile(str(path))
    msgids = {e.msgid for e in entries} | {e.msgid_plural for e in entries if e.msgid_plural}
    for name in HIS_TEMPLATES:
        marked, _ = _marked_and_unmarked((ALLIANCE / name).read_text(encoding="utf-8"))
        assert marked <= msgids, (name, marked - msgids)


def test_the_checker_finds_an_unmarked_word():
    assert _marked_and_unmarked("<p>Hello {% translate 'x' %}</p>")[1] == ["Hello"]
    assert _marked_and_unmarked('<canvas aria-label="Pad">')[1] == ["Pad"]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Spanish", SPANISH),
        ("español", SPANISH),
        ("Espanol", SPANISH),
        ("es-MX", SPANISH),
        ("French", FRENCH),
        ("Français", FRENCH),
        ("fr_CA", FRENCH),
        ("English", ENGLISH),
        ("Punjabi", None),
        ("", None),
    ],
)
def test_a_language_is_read_however_intake_wrote_it(written, code):
    assert language_code(written) == code


def test_his_own_language_first_then_his_groups_then_english():
    assert language_of(primary_language="Spanish", group_language="French") == SPANISH
    assert language_of(primary_language="Punjabi", group_language="French") == FRENCH
    assert language_of(primary_language="Punjabi", group_language="Punjabi") == ENGLISH
