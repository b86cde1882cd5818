"""Comparing a report with an earlier one of the same questionnaire: the change per factor.

:func:`compare_results` is pure: it takes two stored result objects (the API result shape of
DESIGN.md) and the model, and returns rows with the earlier and current score and band. The
words for a row come from :func:`change_words`; the chart from :func:`comparison_chart`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from scoring import Model

from ..i18n import band_label
from ..rendering.charts import Pair, font_size, profile_compare

#: Why a factor was left out of a comparison.
NOT_IN_BOTH = "not_in_both"  # one of the two questionnaire versions does not measure it
UNSCORED = "unscored"  # too few answers in one of the two reports


@dataclass(frozen=True)
class Change:
    """One factor scored in both reports: earlier and current score (0-100) and band."""

    id: str
    label: str
    before: float
    after: float
    before_band: str
    after_band: str


@dataclass(frozen=True)
class Skipped:
    id: str
    label: str
    reason: str  # NOT_IN_BOTH or UNSCORED


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]
    skipped: tuple[Skipped, ...]
    versions: tuple[str, str]  # (earlier, current)


def compare_results(earlier: Mapping[str, Any], current: Mapping[str, Any], model: Model,
                    lang: str) -> Comparison:
    """The change per factor from ``earlier`` to ``current``, in the model's factor order.

    Only factors that both reports scored are compared. A factor that only one of the two
    questionnaire versions measures is skipped as :data:`NOT_IN_BOTH`; one with too few answers
    (score ``null``) in either report as :data:`UNSCORED`. A factor neither version measures is
    not mentioned at all.
    """
    before_factors, after_factors = earlier["factors"], current["factors"]
    changes, skipped = [], []
    for factor in model.factors:
        before, after = before_factors.get(factor.id), after_factors.get(factor.id)
        if before is None and after is None:
            continue
        label = factor.label(lang)
        if before is None or after is None:
            skipped.append(Skipped(factor.id, label, NOT_IN_BOTH))
        elif before["score"] is None or after["score"] is None:
            skipped.append(Skipped(factor.id, label, UNSCORED))
        else:
            changes.append(Change(factor.id, label, before["score"], after["score"],
                                  before["band"], after["band"]))
    versions = (earlier["questionnaire"]["version"], current["questionnaire"]["version"])
    return Comparison(tuple(changes), tuple(skipped), versions)


def change_words(change: Change) -> str:
    """The change in one line, in points and in words:
    "Motivatie: van 46 naar 25, 21 punten lager (van gemiddeld naar laag)", "… 11 punten hoger (bleef gemiddeld)".

    The difference is that of the rounded scores, so that the three numbers in the line agree.
    """
    before, after = round(change.before), round(change.after)
    difference = after - before
    if difference > 0:
        points = ngettext("%(num)d punt hoger", "%(num)d punten hoger", difference)
    elif difference < 0:
        points = ngettext("%(num)d punt lager", "%(num)d punten lager", -difference)
    else:
        points = _("even hoog")
    if change.before_band == change.after_band:
        bands = _("bleef %(band)s", band=band_label(change.after_band))
    else:
        bands = _("van %(before)s naar %(after)s", before=band_label(change.before_band),
                  after=band_label(change.after_band))
    return _("%(factor)s: van %(before)s naar %(after)s, %(points)s (%(bands)s)", factor=change.label,
             before=before, after=after, points=points, bands=bands)


def skipped_words(skipped: Skipped) -> str:
    """Why a factor is not in the comparison, in one line."""
    if skipped.reason == NOT_IN_BOTH:
        return _("%(factor)s: niet in beide versies van de vragenlijst gemeten", factor=skipped.label)
    return _("%(factor)s: te weinig antwoorden in een van de twee uitslagen", factor=skipped.label)


def comparison_chart(comparison: Comparison, cutoffs: tuple[float, float], dates: tuple[str, str]) -> str:
    """Both profiles in one chart (SVG): per factor the earlier and the current bar."""
    pairs = [Pair(c.label, c.before, c.after) for c in comparison.changes]
    return profile_compare(pairs, cutoffs, _("Eerder en nu (0 tot 100)"), (_("Eerder"), _("Nu")),
                           (_("Eerder (%(date)s)", date=dates[0]), _("Nu (%(date)s)", date=dates[1])),
                           text_size=font_size())
