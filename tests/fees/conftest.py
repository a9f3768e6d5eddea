"""Fees tests use the web personas (Riverside, frozen at Monday 10 March 2025 in Auckland).

Riverside charges in NZD. "Respectful Relationships" (group A) has an intake fee of 50.00,
25.00 a session and 15.00 of materials, and a sliding scale with three bands; nobody has been
charged yet. Mona (program manager) and Olga (admin) post charges and decide waivers; Ines
and Ian (intake) record payments and ask for waivers; Bob (supervisor) only reads; Alice
(facilitator), Eve (evaluator) and Petra (partner safety) see nothing of fees.
"""

from __future__ import annotations

import io

import pytest

from alliance.core.fees import AbsenceCharge
from alliance.fees import services
from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

SCALE = """band,household_size,max_income,fee_percent
Low,1,20000,20
Middle,1,50000,60
Full,1,,100
Low,2,30000,20
Middle,2,70000,60
Full,2,,100
"""


@pytest.fixture
def fees(world):  # noqa: F811
    services.set_currency(actor=world.olga, organization=world.riverside, currency="NZD")
    services.save_schedule(
        actor=world.mona,
        program=world.program,
        intake_fee=5000,
        session_fee=2500,
        materials_fee=1500,
        absences_charged=AbsenceCharge.NONE,
        charge_makeups=False,
    )
    services.load_scale(actor=world.mona, program=world.program, text=SCALE)
    return world


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
