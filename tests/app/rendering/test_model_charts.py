"""The report's charts follow the model: one bar and one radar spoke per factor, whatever their number.

Run against both shipped models (``both_models``): four spokes for the default model, five for the
five-factor variant (questionnaires/five-factor/).
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Response
from app.rendering.charts import bars_figure, radar_figure
from app.responses.report import chart_inputs
from tests.support.reports import store_report

pytestmark = pytest.mark.both_models


def spokes(fig) -> list:
    """The radar's spokes: the lines drawn from the centre (0) to the rim (100)."""
    (ax,) = fig.axes
    return [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 100]]


@pytest.mark.parametrize("slug", ["loopbaan-apk", "leercultuur"])
def test_bars_and_radar_have_one_bar_and_one_spoke_per_factor(app, defs, slug):
    code = store_report(app, slug=slug, value=4)
    with app.test_request_context("/?lang=nl"):
        response = db.session.query(Response).one()
        bars, cutoffs, title, labels = chart_inputs(response, "nl")
        assert [b.label for b in bars] == [f.label.nl for f in defs.model.factors]
        radar = radar_figure(bars, cutoffs, title, labels)
        angles = sorted(round(line.get_xdata()[0], 6) for line in spokes(radar))
        assert len(angles) == len(defs.model.factors) == len(set(angles))
        points = [line for line in radar.axes[0].get_lines() if line.get_marker() == "o"]
        assert len(points) == len(bars)  # every factor scored: a point on each spoke
        assert len(bars_figure(bars, cutoffs, title, labels).axes[0].patches) == 2 * len(bars)  # track + bar
    assert code


def test_the_report_page_draws_every_factor_in_the_radar(app, client, defs):
    code = store_report(app, value=2)
    html = client.get(f"/r/{code}?grafiek=radar").get_data(as_text=True)
    radar = re.search(r'<figure class="chart chart-radar">(.*?)</figure>', html, re.S).group(1)
    for factor in defs.model.factors:
        assert radar.count(f">{factor.label.nl}<") + radar.count(f"> {factor.label.nl}<") >= 1, factor.id
