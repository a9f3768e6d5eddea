"""A program's competencies: the starting list, set-up writes, and which ones completion needs.

Washington (WAC 388-60B-0400) and Colorado (DVOMB, competency-based discharge) complete men
on demonstrated competencies rather than attendance alone (``shared/research/bip_standards.md``
gap 7). A program lists them here; facilitators sign them off for each man
(``alliance.participants.competencies``) and the compliance engine holds completion back
until the ones the program requires are approved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from alliance.history import set_history_user
from alliance.programs.models import Competency, CompetencyRule, Program
from alliance.programs.setup_services import SetupError

#: A starting list, in the project's own words, that a program edits to fit its curriculum.
#: Loosely follows the areas the WA and Colorado standards name (accountability, safety,
#: motivations); not their wording.
PRESET_COMPETENCIES: tuple[tuple[str, str], ...] = (
    (
        "Names his controlling behaviours",
        "Describes, in his own words and without blaming her, the ways he has controlled or "
        "frightened his partner.",
    ),
    (
        "Has a written safety plan",
        "Has written down his warning signs and what he will do instead of being abusive, "
        "and has gone through it with a facilitator.",
    ),
    (
        "Uses time-out",
        "Reports using a time-out as agreed in group, on more than one occasion, and what "
        "he did during it.",
    ),
    (
        "Keeps to his accountability plan",
        "Has kept the commitments in his accountability plan over the review period.",
    ),
    (
        "Understands the effects on his children",
        "Can say how his behaviour has affected his children and what he does differently.",
    ),
)


def required_competencies(program: Program) -> frozenset[str]:
    """Names of the competencies completion needs under the program's rule."""
    return required_competencies_by_program([program])[program.pk]


def required_competencies_by_program(programs: Iterable[Program]) -> dict[int, frozenset[str]]:
    """``required_competencies`` for many programs in one query."""
    rules = {p.pk: p.competencies_required for p in programs}
    result: dict[int, set[str]] = {pk: set() for pk in rules}
    wanted = [pk for pk, rule in rules.items() if rule != CompetencyRule.NONE]
    for program_id, name, required in Competency.objects.filter(
        program_id__in=wanted, is_active=True
    ).values_list("program_id", "name", "is_required"):
        if rules[program_id] == CompetencyRule.ALL or required:
            result[program_id].add(name)
    return {pk: frozenset(names) for pk, names in result.items()}


def _clean(name: str, description: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise SetupError("name", "give the competency a name.")
    if len(name) > 120:
        raise SetupError("name", "keep the name to 120 characters.")
    if len(description) > 1000:
        raise SetupError("description", "keep the description to 1000 characters.")
    return name, description.strip()


def _unique(program: Program, name: str, exclude: int | None = None) -> None:
    others = Competency.objects.filter(program=program, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise SetupError("name", "this program already has a competency with this name.")


@transaction.atomic
def add_competency(
    *,
    actor: AbstractBaseUser | None,
    program: Program,
    name: str,
    description: str = "",
    is_required: bool = True,
) -> Competency:
    """Add a competency at the end of the program's list."""
    name, description = _clean(name, description)
    Program.objects.select_for_update().filter(pk=program.pk).values_list("pk").get()
    _unique(program, name)
    last = program.competencies.aggregate(last=Max("order"))["last"] or 0
    competency = Competency(
        program=program,
        name=name,
        description=description,
        order=last + 1,
        is_required=is_required,
    )
    set_history_user(competency, actor)
    competency.save()
    return competency


@transaction.atomic
def add_preset_competencies(*, actor: AbstractBaseUser | None, program: Program) -> int:
    """Add the starting list's competencies the program does not have yet; how many."""
    have = {n.lower() for n in program.competencies.values_list("name", flat=True)}
    added = 0
    for name, description in PRESET_COMPETENCIES:
        if name.lower() not in have:
            add_competency(actor=actor, program=program, name=name, description=description)
            added += 1
    return added


@transaction.atomic
def edit_competency(
    *,
    actor: AbstractBaseUser | None,
    competency: Competency,
    name: str,
    description: str,
    is_required: bool,
    is_active: bool,
) -> Competency:
    """Change a competency. Its name is what reports show, so sign-offs follow the rename."""
    name, description = _clean(name, description)
    _unique(competency.program, name, exclude=competency.pk)
    competency.name = name
    competency.description = description
    competency.is_required = is_required
    competency.is_active = is_active
    set_history_user(competency, actor)
    competency.save()
    return competency


@transaction.atomic
def move_competency(
    *, actor: AbstractBaseUser | None, competency: Competency, direction: str
) -> None:
    """Swap a competency with its neighbour above or below."""
    items = list(competency.program.competencies.order_by("order", "pk"))
    index = next(i for i, item in enumerate(items) if item.pk == competency.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            set_history_user(item, actor)
            item.save(update_fields=["order"])


@transaction.atomic
def remove_competency(*, actor: AbstractBaseUser | None, competency: Competency) -> None:
    """Delete a competency nobody has been signed off for; otherwise retire it (inactive),
    so that past sign-offs keep their meaning."""
    if competency.sign_offs.exists():
        raise SetupError(
            None,
            f"“{competency.name}” has been signed off for at least one man; untick "
            "“In use” instead, which keeps the record.",
        )
    set_history_user(competency, actor)
    competency.delete()
