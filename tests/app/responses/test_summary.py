"""The report's summary is true: "highest on X" only when X is not low."""

from __future__ import annotations

from tests.support.reports import store_report


def test_all_low_scores_are_not_praised(app, client):
    html = client.get(f"/r/{store_report(app, value=2)}").get_data(as_text=True)
    assert "hoogst op" not in html
    assert "Al je scores zijn nu laag." in html
    english = client.get(f"/r/{store_report(app, value=2)}?lang=en").get_data(as_text=True)
    assert "All your scores are low for now." in english and "highest on" not in english


def test_the_highest_factor_is_named_when_it_is_not_low(app, client):
    html = client.get(f"/r/{store_report(app, value=4)}").get_data(as_text=True)
    assert "Je scoort het hoogst op" in html


def test_an_employer_with_all_low_scores_is_not_praised(app, client):
    html = client.get(f"/r/{store_report(app, 'leercultuur', value=2)}").get_data(as_text=True)
    assert "scoort het hoogst op" not in html
    assert "Alle scores van uw organisatie zijn nu laag." in html
