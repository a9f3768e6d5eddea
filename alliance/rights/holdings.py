"""Everything the database holds about one man, found generically.

Starting from his ``Participant`` row, the walk follows every *reverse* relation (rows that
point at a row already found: his enrollments, their attendance, answers, scores, alerts,
practice logs, ...), so a model added later by any app is included without changing this
module. Forward relations (the group, the program, a staff member) are not followed: those
rows are not about him. django-simple-history's historical versions of every row found are
added, because old versions are data about him too.

Partner-safety data (app label ``safety``) is left out of exports: a man must never receive
his partner's contact details or what she told the program. Purges include it.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from alliance.participants.models import Participant

#: Apps whose rows never leave in a man's export.
EXCLUDED_FROM_EXPORT = frozenset({"safety"})

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
    if historical is None or historical is model:
        return None
    return historical  # type: ignore[no-any-return]


def collect_holdings(
    participant: Participant, *, exclude_apps: frozenset[str] = frozenset(), owned_only: bool
) -> Holdings:
    """Walk every reverse relation from ``participant``.

    ``owned_only`` (for purges) does not follow relations whose ``on_delete`` is SET_NULL or
    SET_DEFAULT: such rows outlive the man by design (Django clears the link on delete).
    """
    holdings = Holdings()
    frontier: list[tuple[type[models.Model], set[object]]] = [
        (Participant, holdings.add(Participant, {participant.pk}))
    ]
    while frontier:
        model, pks = frontier.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if not isinstance(related, type) or related._meta.app_label in exclude_apps:
                continue
            if relation.many_to_many:
                # Rows linked through a many-to-many relation are shared with others: list
                # them, but do not walk on from them.
                if not owned_only:
                    accessor = relation.field.name
                    found = set(
                        related._base_manager.filter(**{f"{accessor}__in": pks}).values_list(
                            "pk", flat=True
                        )
                    )
                    holdings.add(related, found)
                continue
            if owned_only and relation.on_delete in _NOT_OWNED:
                continue
            name = relation.field.name
            found = set(
                related._base_manager.filter(**{f"{name}__in": pks}).values_list("pk", flat=True)
            )
            new = holdings.add(related, found)
            if new:
                frontier.append((related, new))
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
