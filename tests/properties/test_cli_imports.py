"""``alliance instruments import-fhir|import-redcap|validate|score``: any file ends in a written
definition or a message and exit status 2, never a traceback or a half-written output file.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.cli import main
from alliance.core.instruments import get_bundled
from alliance.core.instruments.interchange import export_questionnaire
from alliance.core.instruments.interchange.redcap import COLUMNS
from alliance.instruments_cli import EXIT_ERROR
from tests.properties.strategies import cells, json_values, mutated

CLI = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
QUESTIONNAIRE = export_questionnaire(get_bundled("alliance_checkout"))
contents = st.one_of(
    json_values.map(json.dumps),
    mutated(QUESTIONNAIRE).map(json.dumps),
    st.lists(st.lists(cells, min_size=3, max_size=len(COLUMNS)), max_size=4).map(
        lambda rows: "\n".join([",".join(COLUMNS), *(",".join(r) for r in rows)])
    ),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)


def run(tmp_path: Path, command: list[str], content: str, capsys) -> None:
    source = tmp_path / "input"
    source.write_bytes(content.encode("utf-8", "surrogatepass"))
    out = tmp_path / "out.json"
    out.unlink(missing_ok=True)

    status = main(["instruments", *command, str(source), "--out", str(out)])

    err = capsys.readouterr().err
    if status == 0:
        assert json.loads(out.read_text(encoding="utf-8"))["items"]
    else:
        assert status == EXIT_ERROR
        assert err.startswith("alliance instruments: ")
        assert not out.exists(), "a refused import must not leave an output file"


@CLI
@given(contents)
def test_import_fhir_writes_a_definition_or_explains(tmp_path, capsys, content):
    run(tmp_path, ["import-fhir"], content, capsys)


@CLI
@given(contents)
def test_import_redcap_writes_a_definition_or_explains(tmp_path, capsys, content):
    run(tmp_path, ["import-redcap"], content, capsys)


@CLI
@given(contents)
def test_validate_accepts_or_explains(tmp_path, capsys, content):
    source = tmp_path / "definition.json"
    source.write_bytes(content.encode("utf-8", "surrogatepass"))

    status = main(["instruments", "validate", str(source)])

    err = capsys.readouterr().err
    assert status in (0, EXIT_ERROR)
    if status:
        assert err.startswith("alliance instruments: ")
