"""Everything the database holds about one man, found generically.

Starting from his ``Participant`` row, the walk follows every *reverse* relation (rows that
point at a row already found: his enrollments, their attendance, answers, scores, alerts,
practice logs, ...), hidden ones (``related_name="+"``) and automatic many-to-many through
tables included, so a model added later by any app is included without changing this module.
Forward relations (the group, the program, a staff member) are not followed: those rows are
not about him. django-simple-history's historical versions of every row found are added,
because old versions are data about him too; historical rows of rows deleted long ago are
found by their own (hidden) relation to him.

Two tables name him by a bare id rather than a foreign key (``SOFT_REFERENCES``): the access
log's ``enrollment_id`` and the export audit's ``participant_pk``.

What may leave is chosen by data class (``alliance.data_classes``), never by app label: the
walk takes the classes a builder may carry and leaves out whole models of other classes,
partner rows of mixed models (``outcomes.FollowUp`` from a partner interview) and nothing
below them. A purge walks every class.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from alliance.audit.models import AccessEvent
from alliance.data_classes import DataClass, class_of, partner_rows
from alliance.participants.models import Enrollment, Participant
from alliance.rights.models import DataExport

ALL_CLASSES = frozenset(DataClass)

#: (model, column, model whose primary key the column holds) for ids kept without a relation.
SOFT_REFERENCES: tuple[tuple[type[models.Model], str, type[models.Model]], ...] = (
    (AccessEvent, "enrollment_id", Enrollment),
    (DataExport, "participant_pk", Participant),
)

_NOT_OWNED = (models.SET_NULL, models.SET_DEFAULT)


@dataclass
class Holdings:
    """Primary keys of every row held about one man, grouped by model."""

    rows: dict[type[models.Model], set[object]] = field(default_factory=lambda: defaultdict(set))

    def add(self, model: type[models.Model], pks: set[object]) -> set[object]:
        new = pks - self.rows[model]
        self.rows[model] |= new
        return new

    def querysets(self) -> list[tuple[type[models.Model], models.QuerySet[models.Model]]]:
        """Each model with its rows, models in a stable order (app label, model name)."""
        out = []
        for model in sorted(self.rows, key=lambda m: m._meta.label_lower):
            pks = self.rows[model]
            if pks:
                out.append((model, model._base_manager.filter(pk__in=pks).order_by("pk")))
        return out

    @property
    def row_count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    historical = getattr(manager, "model", None)
    if not isinstance(historical, type) or not issubclass(historical, models.Model):
        return None
    return None if historical is model else historical


def reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every relation pointing at ``model``, hidden ones (``related_name="+"``) included."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if isinstance(f, models.ForeignObjectRel)
    ]


def _found(
    related: type[models.Model], lookup: str, pks: set[object], classes: frozenset[DataClass]
) -> set[object]:
    rows = related._base_manager.filter(**{f"{lookup}__in": pks})
    partner = partner_rows(related)
    if partner is not None and DataClass.PARTNER not in classes:
        rows = rows.exclude(partner)
    return set(rows.values_list("pk", flat=True))


def collect_holdings(
    participant: Participant,
    *,
    classes: frozenset[DataClass] = ALL_CLASSES,
    owned_only: bool,
) -> Holdings:
    """Walk every reverse relation from ``participant``, keeping rows of ``classes`` only.

    ``owned_only`` (for purges) does not follow relations whose ``on_delete`` is SET_NULL or
    SET_DEFAULT: such rows outlive the man by design (Django clears the link on delete).
    """
    holdings = Holdings()
    frontier: list[tuple[type[models.Model], set[object]]] = [
        (Participant, holdings.add(Participant, {participant.pk}))
    ]
    while frontier:
        model, pks = frontier.pop()
        for relation in reverse_relations(model):
            related = relation.related_model
            if not isinstance(related, type) or class_of(related) not in classes:
                continue
            if relation.many_to_many:
                # Rows linked through a many-to-many relation are shared with others: list
                # them, but do not walk on from them. (The through rows, which are his, are
                # found by the through table's own hidden relation.)
                if not owned_only:
                    holdings.add(related, _found(related, relation.field.name, pks, classes))
                continue
            if owned_only and relation.on_delete in _NOT_OWNED:
                continue
            new = holdings.add(related, _found(related, relation.field.name, pks, classes))
            if new:
                frontier.append((related, new))
        for holder, column, target in SOFT_REFERENCES:
            if target is model and class_of(holder) in classes:
                holdings.add(holder, _found(holder, column, pks, classes))
    for model in list(holdings.rows):
        historical = _history_model(model)
        if historical is None:
            continue
        # Historical rows store the original primary key in the model's pk column name.
        pk_name = model._meta.pk.attname
        versions = set(
            historical._base_manager.filter(**{f"{pk_name}__in": holdings.rows[model]}).values_list(
                "pk", flat=True
            )
        )
        holdings.add(historical, versions)
    return holdings


def deletion_order(holdings: Holdings) -> list[type[models.Model]]:
    """Models ordered so that a row is deleted before any row it points at."""
    models_found = set(holdings.rows)
    graph: dict[type[models.Model], set[type[models.Model]]] = {m: set() for m in models_found}
    for model in models_found:
        for fk in model._meta.get_fields():
            target = getattr(fk, "related_model", None)
            if fk.many_to_one or fk.one_to_one:
                if fk.auto_created and not fk.concrete:
                    continue  # a reverse one-to-one, not a column of this model
                if target in models_found and target is not model:
                    # ``target`` must come after ``model``: it depends on model being gone.
                    graph[target].add(model)
    return list(graphlib.TopologicalSorter(graph).static_order())
