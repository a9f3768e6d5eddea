"""Data rights: export everything held about a man; purge men whose records are past retention.

Both write an audit row (``DataExport``, ``RetentionPurge``) that never names the man.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone

from alliance.audit.models import AccessEvent
from alliance.audit.services import erase_subject
from alliance.core.enrollment import CLOSED_STATUSES
from alliance.data_classes import EXPORTABLE_TO_HIM, fields_of_class, withheld
from alliance.encryption import EncryptedBinaryField
from alliance.history import set_history_user
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment, Participant
from alliance.rights.holdings import (
    _history_model,
    collect_holdings,
    deletion_order,
)
from alliance.rights.models import DataExport, RetentionPolicy, RetentionPurge

# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    row_count: int


def _files_of(model: type[Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedBinaryField)}


def _attachment_name(row: Model, field: str) -> str:
    name = getattr(row, "attachment_name", None)
    return str(name(field)) if callable(name) else f"{row.pk}-{field}.bin"


def _readable(model_rows: list[tuple[str, list[dict[str, object]]]]) -> str:
    return render_to_string("rights/export_summary.html", {"tables": model_rows})


def export_participant(*, actor: User, participant: Participant) -> Export:
    """A zip of JSON (one file per model) and a readable HTML summary; audited."""
    holdings = collect_holdings(participant, classes=EXPORTABLE_TO_HIM, owned_only=False)
    now = timezone.now()
    buffer = io.BytesIO()
    tables: list[tuple[str, list[dict[str, object]]]] = []
    files: dict[str, int] = {}
    manifest: dict[str, object] = {
        "format": "alliance-participant-export/2",
        "exported_at": now.isoformat(),
        "participant_id": participant.pk,
        # The same list for every man, whatever he has: what is left out of his export must
        # not tell him whether his partner was ever contacted.
        "excluded": withheld(EXPORTABLE_TO_HIM),
        "files": files,
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, queryset in holdings.querysets():
            rows = list(queryset)
            label = model._meta.label_lower
            # Encrypted files (his documents, signed agreements) leave as files of their own,
            # decrypted, next to the JSON that describes them.
            attached = [
                f for f in fields_of_class(model, EXPORTABLE_TO_HIM) if f in _files_of(model)
            ]
            fields = [f for f in fields_of_class(model, EXPORTABLE_TO_HIM) if f not in attached]
            data = serializers.serialize("json", rows, indent=1, fields=fields)
            archive.writestr(f"data/{label}.json", data)
            files[f"data/{label}.json"] = len(rows)
            for row in rows:
                for name in attached:
                    content = getattr(row, name)
                    if content:
                        path = f"files/{label}/{_attachment_name(row, name)}"
                        archive.writestr(path, bytes(content))
                        files[path] = 1
            tables.append(
                (
                    f"{model._meta.verbose_name_plural} ({label})",
                    [{"id": row["pk"], **row["fields"]} for row in json.loads(data)],
                )
            )
        archive.writestr("summary.html", _readable(tables))
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, cls=DjangoJSONEncoder))
    with transaction.atomic():
        DataExport.objects.create(
            organization_id=participant.organization_id,
            participant_pk=participant.pk,
            actor=actor,
            exported_at=now,
            row_count=holdings.row_count,
        )
    return Export(
        filename=f"alliance-participant-{participant.pk}-{now:%Y%m%d}.zip",
        content=buffer.getvalue(),
        row_count=holdings.row_count,
    )


# --- Retention ------------------------------------------------------------------------------


def retention_years(organization: Organization) -> int:
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    return policy.years if policy else int(settings.RETENTION_YEARS)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(organization: Organization, *, years: int) -> dt.date:
    today = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(organization.time_zone))
    return _years_before(today, years)


def purgeable_participants(
    organization: Organization, *, cutoff: dt.date, only: int | None = None
) -> list[int]:
    """Men with at least one enrollment, every one closed and ended before ``cutoff``.

    ``only`` limits the question to one man (the re-check inside his purge transaction).
    """
    closed = [status.value for status in CLOSED_STATUSES]
    men = Participant.objects.filter(organization=organization)
    if only is not None:
        men = men.filter(pk=only)
    # A man is kept if any enrollment is open, has no end date, or ended on or after the cutoff.
    keep = (
        Enrollment.objects.filter(participant__organization=organization)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff) | ~Q(status__in=closed))
        .values("participant_id")
    )
    return list(
        men.filter(enrollments__isnull=False)
        .exclude(pk__in=keep)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _delete_holdings(participant: Participant) -> None:
    holdings = collect_holdings(participant, owned_only=True)
    # Audit rows outlive him: the access log loses whom each row was about (staff stay
    # accountable for what they opened), and the export audit keeps a bare database id, as
    # RetentionPurge.purged_ids does, which no longer names anyone.
    erase_subject(event_ids=holdings.rows.pop(AccessEvent, set()))  # type: ignore[arg-type]
    holdings.rows.pop(DataExport, None)
    tracked = {model: _history_model(model) for model in holdings.rows}
    history_models = {m for m in holdings.rows if _is_historical(m)}
    for model in deletion_order(holdings):
        if model not in history_models:
            model._base_manager.filter(pk__in=holdings.rows[model]).delete()
    # Versions found by their own relation to him (rows deleted long ago included).
    for versions in history_models:
        versions._base_manager.filter(pk__in=holdings.rows[versions]).delete()
    # Deleting a tracked row writes one more historical version; remove every version.
    for model, historical in tracked.items():
        if historical is not None:
            pk_name = model._meta.pk.attname
            historical._base_manager.filter(**{f"{pk_name}__in": holdings.rows[model]}).delete()


def _is_historical(model: type[Model]) -> bool:
    return isinstance(getattr(model, "instance_type", None), type)


def _purge_one(participant_pk: int, purge: RetentionPurge) -> bool:
    with transaction.atomic():
        participant = Participant.objects.select_for_update().filter(pk=participant_pk).first()
        # Re-check inside the transaction: an enrollment may have been reopened meanwhile.
        if participant is None or not purgeable_participants(
            purge.organization, cutoff=purge.cutoff, only=participant_pk
        ):
            return False
        _delete_holdings(participant)
        purge.purged_count += 1
        purge.purged_ids = [*purge.purged_ids, participant_pk]
        purge.save(update_fields=["purged_count", "purged_ids"])
    return True


@dataclass(frozen=True)
class PurgeResult:
    organization: Organization
    years: int
    cutoff: dt.date
    participant_ids: list[int]
    dry_run: bool


def purge_closed(*, organization: Organization, dry_run: bool) -> PurgeResult:
    """Delete every man of ``organization`` whose records are past the retention period.

    One transaction per man, so a failure leaves each man either whole or gone; the audit row
    is updated inside the same transaction as each deletion. A dry run writes nothing.
    """
    years = retention_years(organization)
    cutoff = retention_cutoff(organization, years=years)
    candidates = purgeable_participants(organization, cutoff=cutoff)
    if dry_run:
        return PurgeResult(organization, years, cutoff, candidates, dry_run=True)
    purge = RetentionPurge.objects.create(
        organization=organization,
        started_at=timezone.now(),
        policy_years=years,
        cutoff=cutoff,
    )
    done = [pk for pk in candidates if _purge_one(pk, purge)]
    purge.finished_at = timezone.now()
    purge.save(update_fields=["finished_at"])
    return PurgeResult(organization, years, cutoff, done, dry_run=False)


# --- Policy ---------------------------------------------------------------------------------


def set_retention_policy(*, actor: User, organization: Organization, years: int) -> None:
    """Set the organization's retention period; the change is kept in the policy's history."""
    with transaction.atomic():
        policy = (
            RetentionPolicy.objects.select_for_update().filter(organization=organization).first()
        )
        if policy is None:
            policy = RetentionPolicy(organization=organization, years=years)
        elif policy.years == years:
            return
        policy.years = years
        set_history_user(policy, actor)
        policy.full_clean()
        policy.save()


def clear_retention_policy(*, actor: User, organization: Organization) -> bool:
    """Go back to the deployment default; the deletion is kept in the policy's history."""
    with transaction.atomic():
        policy = (
            RetentionPolicy.objects.select_for_update().filter(organization=organization).first()
        )
        if policy is None:
            return False
        set_history_user(policy, actor)
        policy.delete()
    return True
