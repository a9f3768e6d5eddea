"""Instrument interchange: JSON, item-wording packs, FHIR R4 and REDCap.

Pure functions over text and parsed objects; the ``alliance instruments`` command does the
file reading and writing. See docs/instruments.md, "Interchange and the command line".
"""

from alliance.core.instruments.interchange.fhir import export_questionnaire, import_questionnaire
from alliance.core.instruments.interchange.fhir_administration import export_administration
from alliance.core.instruments.interchange.packs import (
    ItemPack,
    apply_pack,
    read_csv_packs,
    read_fhir_pack,
)
from alliance.core.instruments.interchange.redcap import export_redcap, import_redcap
from alliance.core.instruments.interchange.serialize import (
    ImportResult,
    InterchangeError,
    NotImported,
    definition_to_dict,
)

__all__ = [
    "ImportResult",
    "InterchangeError",
    "ItemPack",
    "NotImported",
    "apply_pack",
    "definition_to_dict",
    "export_administration",
    "export_questionnaire",
    "export_redcap",
    "import_questionnaire",
    "import_redcap",
    "read_csv_packs",
    "read_fhir_pack",
]
