"""Data classes: what kind of data every model, field and row holds, and who may receive it.

Every model declares one class in a ``data_class`` attribute; a model whose fields or rows mix
classes adds ``data_class_fields`` (field name -> class) or ``data_class_partner_rows`` (a
``Q`` that selects its rows of class ``partner``). Third-party models (Django's auth and
sessions, django-otp, django-axes) are declared in ``THIRD_PARTY`` below; django-simple-history's
historical models follow their base model, and many-to-many through tables follow the model
that declares the relation. ``tests/security/test_data_classes.py`` fails when an installed
model has no class.

Builders of anything that leaves the program or reaches the man (his data-rights export, court
and probation documents, the research export, the backups' manifest, CSV downloads) select
what they read by class, never by app label: partner-sourced rows live in ``outcomes`` too.

The classes (docs/security.md, "Data classes"):

``identity``               who he is: code, initials, contact, docket, referral contacts.
``clinical-therapeutic``   what he said or did in the work: check-outs, questionnaires, practice,
                           accountability logs, plan goals, free-text notes about him. Reaches a
                           court or probation document only with a matching release.
``clinical-reportable``    facts a mandate makes reportable: enrollment, attendance, status.
``partner``                anything his partner said, or anything that reveals she was contacted.
                           Never reaches him, a facilitator, a document, a research file or a log.
``operational``            how the program runs: programs, groups, sessions, settings, audit.
``security``               secrets and guards: password and PIN hashes, token hashes, sessions,
                           lockouts, second factors. Never leaves in any export.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db import models


class DataClass(StrEnum):
    IDENTITY = "identity"
    THERAPEUTIC = "clinical-therapeutic"
    REPORTABLE = "clinical-reportable"
    PARTNER = "partner"
    OPERATIONAL = "operational"
    SECURITY = "security"


#: Models of installed third-party apps, by ``app_label.modelname``.
THIRD_PARTY: dict[str, DataClass] = {
    "auth.permission": DataClass.OPERATIONAL,
    "auth.group": DataClass.OPERATIONAL,
    "auth.user": DataClass.SECURITY,  # staff accounts: password hashes
    "contenttypes.contenttype": DataClass.OPERATIONAL,
    "sessions.session": DataClass.SECURITY,
    "otp_totp.totpdevice": DataClass.SECURITY,
    "otp_static.staticdevice": DataClass.SECURITY,
    "otp_static.statictoken": DataClass.SECURITY,
    "axes.accessfailurelog": DataClass.SECURITY,
    "axes.accessattempt": DataClass.SECURITY,
    "axes.accessattemptexpiration": DataClass.SECURITY,
    "axes.accesslog": DataClass.SECURITY,
    # Background tasks: a task's path, its arguments (ids, never a value from a record) and
    # its small result; an export's file lives in outcomes.ResearchExportFile.
    "django_tasks_database.dbtaskresult": DataClass.OPERATIONAL,
}

#: What may leave in the man's own data-rights export.
EXPORTABLE_TO_HIM = frozenset(
    {DataClass.IDENTITY, DataClass.THERAPEUTIC, DataClass.REPORTABLE, DataClass.OPERATIONAL}
)
#: What a court or probation document may carry without a release (therapeutic needs one).
REPORTABLE_WITHOUT_RELEASE = frozenset(
    {DataClass.IDENTITY, DataClass.REPORTABLE, DataClass.OPERATIONAL}
)


class UnclassifiedModel(LookupError):
    """A model declares no data class: add ``data_class`` to it (or to ``THIRD_PARTY``)."""


def _declaring_model(model: type[models.Model]) -> type[models.Model]:
    """The model whose declaration ``model`` follows (itself unless historical or a through)."""
    base = getattr(model, "instance_type", None)  # django-simple-history
    if isinstance(base, type) and issubclass(base, models.Model) and base is not model:
        # The history of a many-to-many field follows its through table, which follows its owner.
        return _declaring_model(base)
    owner = model._meta.auto_created  # an automatic many-to-many through table
    if isinstance(owner, type) and issubclass(owner, models.Model):
        return owner
    return model


def class_of(model: type[models.Model]) -> DataClass:
    """The model's declared class; raises ``UnclassifiedModel`` when it has none."""
    declaring = _declaring_model(model)
    declared = declaring.__dict__.get("data_class")
    if declared is None:
        declared = THIRD_PARTY.get(declaring._meta.label_lower)
    if declared is None:
        raise UnclassifiedModel(f"{declaring._meta.label} declares no data class.")
    return DataClass(declared)


def field_classes(model: type[models.Model]) -> dict[str, DataClass]:
    """Concrete field name -> class, for every field whose class differs from the model's."""
    if model._meta.auto_created:  # a through table has only the two keys: no overrides
        return {}
    declaring = _declaring_model(model)
    overrides: dict[str, Any] = declaring.__dict__.get("data_class_fields", {})
    names = {f.name for f in model._meta.concrete_fields} | {
        f.attname for f in model._meta.concrete_fields
    }
    unknown = set(overrides) - names
    if unknown:
        raise UnclassifiedModel(
            f"{model._meta.label}.data_class_fields names no field: {', '.join(sorted(unknown))}."
        )
    return {name: DataClass(value) for name, value in overrides.items()}


def fields_of_class(model: type[models.Model], classes: Iterable[DataClass]) -> list[str]:
    """Names of the model's concrete fields whose class is one of ``classes``."""
    wanted = frozenset(classes)
    base = class_of(model)
    overrides = field_classes(model)
    return [
        f.name
        for f in model._meta.concrete_fields
        if overrides.get(f.name, overrides.get(f.attname, base)) in wanted
    ]


def partner_rows(model: type[models.Model]) -> models.Q | None:
    """The ``Q`` selecting the model's partner-class rows, if its rows mix classes."""
    if model._meta.auto_created:
        return None
    rows = _declaring_model(model).__dict__.get("data_class_partner_rows")
    return rows if isinstance(rows, models.Q) else None


def select_rows(
    model: type[models.Model],
    queryset: models.QuerySet[Any],
    allowed: frozenset[DataClass],
) -> models.QuerySet[Any]:
    """``queryset`` without the rows whose class is not in ``allowed`` (all, or partner rows)."""
    if class_of(model) not in allowed:
        return queryset.none()
    rows = partner_rows(model)
    if rows is not None and DataClass.PARTNER not in allowed:
        return queryset.exclude(rows)
    return queryset


def require_fields(
    model: type[models.Model],
    names: Iterable[str],
    allowed: frozenset[DataClass],
    *,
    builder: str,
) -> None:
    """Refuse to build when a builder is about to read a field of a class it may not carry."""
    base = class_of(model)
    overrides = field_classes(model)
    for name in names:
        model._meta.get_field(name)  # a typo is a FieldDoesNotExist, not a silent pass
        found = overrides.get(name, base)
        if found not in allowed:
            raise PermissionError(f"{builder} may not read {model._meta.label}.{name} ({found}).")


def withheld(allowed: frozenset[DataClass]) -> dict[str, list[str]]:
    """What a builder carrying ``allowed`` leaves out, by class: models, partner rows, fields.

    Computed from the declarations alone, never from the rows found, so that it reads the same
    for every man (whether his partner was ever contacted must not show in what is missing).
    """
    from django.apps import apps

    out: dict[str, list[str]] = {}
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        label = model._meta.label_lower
        found = class_of(model)
        if found not in allowed:
            out.setdefault(found, []).append(label)
            continue
        if partner_rows(model) is not None and DataClass.PARTNER not in allowed:
            out.setdefault(DataClass.PARTNER, []).append(f"{label} (partner rows)")
        for name, cls in field_classes(model).items():
            if cls not in allowed:
                out.setdefault(cls, []).append(f"{label}.{name}")
    return {cls: out[cls] for cls in sorted(out)}


def table_classes() -> dict[str, str]:
    """Database table -> class, for the backups' manifest (what each table in a copy holds)."""
    from django.apps import apps

    return {
        model._meta.db_table: str(class_of(model))
        for model in apps.get_models(include_auto_created=True)
    }
