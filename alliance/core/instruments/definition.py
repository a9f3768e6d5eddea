"""The in-memory form of an instrument definition.

Every class here is a frozen dataclass built only by :func:`load_definition`, which checks the
JSON against the schema and the semantic rules first; code that receives an
:class:`InstrumentDefinition` may therefore assume it is consistent (every scale item exists,
bands cover the reachable range, and so on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class LicenceStatus(StrEnum):
    OPEN = "open"
    FREE_WITH_CITATION = "free_with_citation"
    PERMISSION_REQUIRED = "permission_required"
    LICENSED = "licensed"


class Respondent(StrEnum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    PARTNER = "partner"


class Confidentiality(StrEnum):
    THERAPEUTIC = "therapeutic"
    REPORTABLE = "reportable"


class ResponseKind(StrEnum):
    LIKERT = "likert"
    VAS = "vas"
    YES_NO = "yes_no"
    NUMBER = "number"
    FREE_TEXT = "free_text"


class Rule(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    PRORATED_SUM = "prorated_sum"
    MEAN_OF_SUBSCALE_MEANS = "mean_of_subscale_means"
    WEIGHTED_SUM_OF_SUBSCALES = "weighted_sum_of_subscales"

    @property
    def uses_items(self) -> bool:
        """True for rules computed from item answers, False for rules over other scales."""
        return self in (Rule.SUM, Rule.MEAN, Rule.PRORATED_SUM)


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    HIGHER_IS_WORSE = "higher_is_worse"


class NormKind(StrEnum):
    CLINICAL = "clinical"
    FUNCTIONAL = "functional"
    REFERENCE = "reference"


@dataclass(frozen=True)
class ResponseType:
    """What an item accepts.

    ``min``/``max`` are the accepted bounds (None for free text); ``step`` is the resolution an
    answer must sit on (1 for Likert, yes/no and integer numbers, 0.1 for visual-analogue
    lines, None for free text and real numbers).
    """

    kind: ResponseKind
    min: float | None
    max: float | None
    step: float | None
    anchors: tuple[tuple[int, str], ...] = ()

    @property
    def numeric(self) -> bool:
        return self.kind is not ResponseKind.FREE_TEXT


@dataclass(frozen=True)
class Item:
    id: str
    text: str | None
    response: ResponseType
    reverse: bool = False
    filler: bool = False


@dataclass(frozen=True)
class ItemWording:
    """An item's text and anchors in another language."""

    text: str
    anchors: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Translation:
    """A definition's wording in one other language; items it leaves out keep their own."""

    title: str
    items: Mapping[str, ItemWording]


@dataclass(frozen=True)
class MissingRule:
    """Exactly one of the two fields is set.

    A scale is scored when ``answered / n_items >= min_proportion_answered`` or when
    ``n_items - answered <= max_missing`` (and always needs at least one answer).
    """

    min_proportion_answered: float | None = None
    max_missing: int | None = None

    def allows_missing(self, n_items: int) -> bool:
        """Whether any item of an ``n_items``-item scale may be left unanswered."""
        if self.max_missing is not None:
            return self.max_missing > 0
        assert self.min_proportion_answered is not None
        return (n_items - 1) / n_items >= self.min_proportion_answered


@dataclass(frozen=True)
class NormSet:
    """A published (or local) reference sample for one scale.

    ``mean``, ``sd`` and ``n`` are None when the source gives only a reliability.
    """

    name: str
    kind: NormKind
    mean: float | None
    sd: float | None
    reliability: float | None
    n: int | None
    source: str


@dataclass(frozen=True)
class Band:
    """A half-open interval ``[min, max)``; the last band of a scale is closed ``[min, max]``."""

    label: str
    min: float
    max: float
    published: str | None = None


@dataclass(frozen=True)
class ReliableChangeSpec:
    norm_set: str
    criterion: float = 1.96
    clinical_norm_set: str | None = None
    functional_norm_set: str | None = None


@dataclass(frozen=True)
class Scale:
    """A subscale or total.

    Item rules (``sum``, ``mean``, ``prorated_sum``) use ``items`` and ``missing``; subscale
    rules (``mean_of_subscale_means``, ``weighted_sum_of_subscales``) use ``subscales`` (and
    ``weights``) and are missing whenever any component is missing.
    """

    id: str
    title: str
    rule: Rule
    direction: Direction
    range_min: float
    range_max: float
    items: tuple[str, ...] = ()
    subscales: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    multiplier: float = 1.0
    missing: MissingRule | None = None
    norms: tuple[NormSet, ...] = ()
    bands: tuple[Band, ...] = ()
    reliable_change: ReliableChangeSpec | None = None

    def norm_set(self, name: str) -> NormSet:
        for norm in self.norms:
            if norm.name == name:
                return norm
        raise KeyError(f"scale {self.id!r} has no norm set {name!r}")


@dataclass(frozen=True)
class Licence:
    status: LicenceStatus
    note: str


@dataclass(frozen=True)
class InstrumentDefinition:
    """A validated instrument definition; build it with :func:`load_definition`."""

    id: str
    version: str
    title: str
    citation: str
    licence: Licence
    items_bundled: bool
    respondent: Respondent
    target: str
    validated_externally: bool
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    confidentiality: Confidentiality = Confidentiality.THERAPEUTIC
    notes: str = ""
    #: Wording in other languages, by language code ("es", "fr-ca"): presentation, not what
    #: the instrument is, so two definitions that differ only here compare equal.
    translations: Mapping[str, Translation] = field(default_factory=dict, compare=False, hash=False)
    _item_index: dict[str, int] = field(default_factory=dict, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        self._item_index.update({item.id: i for i, item in enumerate(self.items)})

    def item(self, item_id: str) -> Item:
        return self.items[self._item_index[item_id]]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._item_index

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"instrument {self.id!r} has no scale {scale_id!r}")
