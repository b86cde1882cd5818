"""How to read a team figure in plain words: the level of a factor's alpha, for every value.

The thresholds are the usual rules of thumb for Cronbach's alpha: 0.8 and higher good, 0.6 to 0.8
enough, below 0.6 (:data:`app.team.profile.ALPHA_MIN`, where the report adds a note) low. No figure
is computed here; this only names the value the release shows.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .profile import ALPHA_MIN

ALPHA_GOOD = 0.8  # from here on a factor's items hang together well

GOOD, ENOUGH, LOW, NONE = "good", "enough", "low", "none"


def alpha_level(alpha: float | None) -> str:
    """``good`` (≥ 0.8), ``enough`` (0.6 to 0.8), ``low`` (< 0.6) or ``none`` (not computable)."""
    if alpha is None:
        return NONE
    if alpha >= ALPHA_GOOD:
        return GOOD
    return ENOUGH if alpha >= ALPHA_MIN else LOW


def alpha_word(alpha: float | None) -> str:
    """The level of ``alpha`` as one word for the table cell."""
    return {GOOD: _("goed"), ENOUGH: _("voldoende"), LOW: _("laag"),
            NONE: _("niet te berekenen")}[alpha_level(alpha)]
