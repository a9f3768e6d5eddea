"""The organization's letterhead: what heads and closes every letter and report it sends.

Its own module, importing only the organization model and the logo helper, so that the
document builders (``alliance.reports``) can use it without reaching anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.organizations.logo import data_uri
from alliance.organizations.models import Organization


@dataclass(frozen=True)
class Letterhead:
    """What heads and closes every letter and report the organization sends."""

    name: str
    address_lines: tuple[str, ...]
    phone: str
    #: ``data:`` URI of the logo (PNG or JPEG), or "" without one.
    logo_uri: str
    signature_lines: tuple[str, ...]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def letterhead(organization: Organization) -> Letterhead:
    logo = bytes(organization.logo or b"")
    return Letterhead(
        name=organization.name,
        address_lines=_lines(organization.address),
        phone=organization.phone,
        logo_uri=data_uri(logo, organization.logo_type) if logo else "",
        signature_lines=_lines(organization.signature_block),
    )
