"""The UI languages: which there are, how a request's language is chosen, and shared words.

Dutch is the default; English is the second language. Every view that needs the language code asks
:func:`current_language`; templates get it as ``lang``.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import get_locale
from flask_babel import gettext as _

from scoring.definitions import LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "band_label", "current_language", "init_app", "select_locale"]

#: The UI languages are the definitions' languages, the default first; stored results hold a result
#: object for each.
DEFAULT_LANGUAGE = LANGUAGES[0]


def select_locale() -> str:
    """Flask-Babel's locale selector: ``?lang=`` (remembered in the session), else the session's, else Dutch."""
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        return lang
    remembered = session.get("lang")
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """This request's UI language code, as Flask-Babel chose it."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def band_label(band: str | None) -> str:
    """A band (``low``, ``medium``, ``high`` or none) in words."""
    labels = {"low": _("laag"), "medium": _("gemiddeld"), "high": _("hoog")}
    return labels.get(band or "", _("geen score"))


def init_app(app: Flask) -> None:
    """Templates get ``lang``, the current language code."""

    @app.context_processor
    def inject_lang() -> dict[str, str]:
        return {"lang": current_language()}
