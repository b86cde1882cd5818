"""The factor profile on the report: bars (default) or radar, both accessible, each rendered once."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import ReportChart, Response
from app.rendering.charts import Bar, profile_bars, profile_radar
from app.responses import report as report_module
from tests.support.reports import store_report

CUTOFFS = (50.0, 75.0)
LABELS = ("gemiddeld vanaf 50", "hoog vanaf 75")
POINTS = [Bar("Motivatie", 54, "54 · gemiddeld"), Bar("Bewustzijn", 82, "82 · hoog"),
          Bar("Middelen", None, "te weinig antwoorden"), Bar("Kansen", 21, "21 · laag")]


def figure(page: str, kind: str) -> str:
    match = re.search(rf'<figure class="chart chart-{kind}[^"]*">.*?</figure>', page, re.S)
    assert match, f"no {kind} chart on the page"
    return match.group(0)


def svg_text(svg: str) -> str:
    return htmllib.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


@pytest.mark.parametrize("draw", [profile_bars, profile_radar])
def test_every_dimension_is_named_with_number_and_band_in_words(draw):
    svg = draw(POINTS, CUTOFFS, "Je profiel (0 tot 100)", LABELS)
    text = svg_text(svg)
    for point in POINTS:
        assert point.label in text
        assert point.caption in text
    assert "Je profiel (0 tot 100)" in text


@pytest.mark.parametrize("draw", [profile_bars, profile_radar])
def test_chart_svg_is_safe_to_inline(draw):
    svg = draw(POINTS, CUTOFFS, "Titel", LABELS)
    assert svg.startswith("<svg")
    assert "<script" not in svg and "<style" not in svg and ' style="' not in svg
    # Same input, same SVG: what is cached equals what would be drawn again.
    assert svg == draw(POINTS, CUTOFFS, "Titel", LABELS)


def test_bars_and_radar_have_distinct_element_ids():
    ids = [re.findall(r' id="([^"]+)"', draw(POINTS, CUTOFFS, "T", LABELS)) for draw in (profile_bars, profile_radar)]
    assert ids[0] and ids[1]
    assert not set(ids[0]) & set(ids[1])


def test_report_shows_bars_by_default_and_offers_the_radar(app, client):
    code = store_report(app)
    page = client.get(f"/r/{code}").get_data(as_text=True)
    bars, radar = figure(page, "bars"), figure(page, "radar")
    assert "chart-inactive" not in bars and "chart-inactive" in radar
    for fig in (bars, radar):
        # The chart is an image for assistive technology, named by its caption.
        label_id = re.search(r'role="img" aria-labelledby="([^"]+)"', fig).group(1)
        assert re.search(rf'<figcaption id="{label_id}">[^<]+</figcaption>', fig)
    choice = re.search(r'<p class="chart-choice[^"]*">.*?</p>', page, re.S).group(0)
    assert re.search(r'aria-current="true">staafdiagram<', choice)
    assert f'href="/r/{code}?grafiek=radar#profile-title"' in choice


def test_radar_choice_is_a_link_that_needs_no_javascript(app, client):
    code = store_report(app)
    page = client.get(f"/r/{code}?grafiek=radar").get_data(as_text=True)
    assert "chart-inactive" in figure(page, "bars")
    assert "chart-inactive" not in figure(page, "radar")
    assert re.search(r'aria-current="true">radardiagram<', page)


def test_unknown_chart_kind_falls_back_to_bars(app, client):
    code = store_report(app)
    page = client.get(f"/r/{code}?grafiek=taart").get_data(as_text=True)
    assert "chart-inactive" not in figure(page, "bars")


def test_numbers_of_the_chart_are_also_in_the_table(app, client, defs):
    code = store_report(app, value=2)
    result = client.get(f"/api/v1/reports/{code}").get_json()
    page = htmllib.unescape(client.get(f"/r/{code}?grafiek=radar").get_data(as_text=True))
    table = re.search(r'<table class="scores">.*?</table>', page, re.S).group(0)
    radar = svg_text(figure(page, "radar"))
    for factor in defs.model.factors:
        score = round(result["factors"][factor.id]["score"])
        assert re.search(rf"<th scope=\"row\">{factor.label.nl}</th><td>{score}</td>", table)
        assert f"{score} · " in radar


def test_each_chart_is_rendered_once_per_language(app, client, monkeypatch):
    code = store_report(app)
    assert client.get(f"/r/{code}").status_code == 200

    def fail(*args, **kwargs):
        raise AssertionError("chart drawn again")

    monkeypatch.setattr(report_module, "profile_bars", fail)
    monkeypatch.setattr(report_module, "profile_radar", fail)
    assert client.get(f"/r/{code}?grafiek=radar").status_code == 200
    with app.app_context():
        keys = set(db.session.scalars(select(ReportChart.key)))
    assert keys == {"bars.2-nl", "radar.2-nl"}

    monkeypatch.undo()
    english = client.get(f"/r/{code}?lang=en").get_data(as_text=True)
    assert "Motivation" in svg_text(figure(english, "radar"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReportChart)) == 4


def test_a_chart_another_request_stored_meanwhile_is_kept_not_a_500(app, client, monkeypatch):
    """The first views of a new report (page, radar, PDF) come at once: while this request draws the
    bars, another one stores them. This request keeps that row and answers 200."""
    code = store_report(app)
    real = report_module.profile_bars

    def drawn_while_another_request_stores_it(*args, **kwargs):
        svg = real(*args, **kwargs)
        with db.engine.begin() as other:  # another request's connection and transaction
            response_id = other.execute(select(Response.id)).scalar_one()
            other.execute(insert(ReportChart).values(response_id=response_id, key="bars.2-nl", svg=svg))
        return svg

    monkeypatch.setattr(report_module, "profile_bars", drawn_while_another_request_stores_it)
    assert client.get(f"/r/{code}").status_code == 200
    with app.app_context():
        keys = sorted(db.session.scalars(select(ReportChart.key)))
    assert keys == ["bars.2-nl", "radar.2-nl"]
