"""English is complete: every UI string in the code has a translation, and the compiled catalog is current."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
PO = REPO / "app/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extracted() -> set[str]:
    method_map = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map=method_map, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_ui_string_has_an_english_translation():
    catalog = read_po(PO.open("rb"))
    translated = {_texts(m.id)[0] for m in catalog if m.id and all(_texts(m.string)) and "fuzzy" not in m.flags}
    missing = sorted(extracted() - translated)
    assert not missing, "untranslated (run `make translations` and fill in the .po):\n" + "\n".join(missing)


def _texts(value) -> tuple[str, ...]:
    """A message id or string as a tuple: plural forms come as a tuple or list of texts."""
    return (value,) if isinstance(value, str) else tuple(value)


def test_compiled_catalog_matches_the_po_file():
    catalog = read_po(PO.open("rb"))
    po = {_texts(m.id): _texts(m.string) for m in catalog if m.id and all(_texts(m.string))}
    mo = {_texts(m.id): _texts(m.string) for m in read_mo(io.BytesIO(MO.read_bytes())) if m.id}
    stale = {key: value for key, value in po.items() if mo.get(key) != value}
    unknown = set(mo) - {_texts(m.id) for m in catalog if m.id}
    assert not stale and not unknown, "messages.mo is out of date: run `pybabel compile -d app/translations`"


PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_placeholders_survive_translation():
    wrong = []
    for m in read_po(PO.open("rb")):
        if m.id and all(_texts(m.string)):
            expected = sorted(PLACEHOLDER.findall(_texts(m.id)[-1]))
            wrong += [(m.id, text) for text in _texts(m.string) if sorted(PLACEHOLDER.findall(text)) != expected]
    assert not wrong


def test_english_pages_use_the_catalog(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Take charge of your development" in html
    assert "Neem de regie" not in html
    html = client.get("/q/loopbaan-apk").get_data(as_text=True)  # the choice is kept in the session
    assert "Step 1 of" in html and "Next" in html
