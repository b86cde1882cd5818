"""Text drawn into a chart is drawn literally: a ``$`` in a campaign title or department name is no
mathematics (matplotlib read ``$…$`` as mathtext, and ``$\\foo$`` failed with a 500)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from app.rendering.charts import Bar, Pair, profile_bars, profile_compare, profile_radar
from app.rendering.team_charts import BandCount, Spread, bands_chart, spread_chart
from tests.support.team_data import WORKERS, fill, logged_in, make_campaign

EARLIER, LATER, DEPARTMENT = r"$\foo$", r"_$x^2$ 100% \n", "50$ $x^2$"


def chart_text(html: str) -> str:
    """The text of every inline SVG chart in ``html``, whitespace collapsed."""
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs, "no chart on the page"
    return " ".join(" ".join(re.sub(r"<[^>]+>", " ", svg).split()) for svg in svgs)


@pytest.fixture
def campaigns(app):
    """An earlier campaign titled ``$\\foo$`` (five workers in department ``50$ $x^2$``) and a later one, titled
    with a leading underscore, a ``$`` pair, a ``%`` and a backslash; both in one organisation. Their ids, and
    an advisor of the organisation."""
    earlier, org_id, deps = make_campaign(app, EARLIER, departments=(DEPARTMENT,))
    fill(app, earlier, WORKERS, [deps[DEPARTMENT]] * 5)
    later, _org, _deps = make_campaign(app, LATER, org_id=org_id, opens_on=date(2026, 10, 1))
    fill(app, later, WORKERS)
    return earlier, later, logged_in(app, "adviseur@example.org", (org_id,))


def test_the_team_report_draws_titles_with_dollars_literally(campaigns):
    earlier, later, advisor = campaigns
    own = advisor.get(f"/advisor/campaigns/{earlier}/report")
    assert own.status_code == 200
    assert DEPARTMENT in own.get_data(as_text=True)  # the department's figures (5 = k) are shown, by name
    compared = advisor.get(f"/advisor/campaigns/{later}/report?vergelijk={earlier}")
    assert compared.status_code == 200
    text = chart_text(compared.get_data(as_text=True))
    assert f"Eerder: {EARLIER}" in text and f"Nu: {LATER}" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed (Debian's poppler-utils)")
def test_the_team_pdf_draws_titles_with_dollars_literally(campaigns, tmp_path):
    earlier, later, advisor = campaigns
    response = advisor.get(f"/advisor/campaigns/{later}/report.pdf?vergelijk={earlier}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "team.pdf"
    path.write_bytes(response.data)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert f"Eerder: {EARLIER}" in text  # the chart's legend: the page's own text says "Nulmeting"


@pytest.mark.parametrize("words", [r"$\foo$", "50$ $x^2$", "$", r"\$", "$$", "_label"])
def test_every_chart_draws_any_text_literally(words):
    """One setting serves every chart: titles, labels, captions, legends."""
    cutoffs = (40.0, 70.0)
    bars = [Bar(words, 50.0, words), Bar("b", 20.0, "c")]
    charts = [
        profile_bars(bars, cutoffs, words, (words, words)),
        profile_radar([*bars, Bar("d", None, words)], cutoffs, words, (words, words)),
        profile_compare([Pair(words, 10.0, 20.0)], cutoffs, words, (words, words), (words, words)),
        spread_chart([Spread(words, 50.0, 10.0)], cutoffs, words, (words, words)),
        bands_chart([BandCount(words, {"low": 1, "medium": 2, "high": 3})],
                    {"low": words, "medium": "m", "high": "h"}, words),
    ]
    for svg in charts:
        assert words in " ".join(re.sub(r"<[^>]+>", " ", svg).split())
