"""Anonymity that survives arithmetic: each test tries one attack on what the advisor sees, and shows it fail.

``k`` protects a group only if no combination of what is shown isolates a person: the export's rows
against the team report's figures, one page against another, a chart's geometry against its table.
The data are those of ``tests/support/team_data.py`` (every campaign there closed on 28 March 2026).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.campaigns.dashboard import dashboard
from app.extensions import db
from app.models import Campaign, Response
from app.rendering.team_charts import Spread, spread_chart
from app.responses.codes import code_hash
from app.team.report import build_team_report
from tests.support.flows import profile_for
from tests.support.team_data import EMPLOYER_BY_KNOB, WORKERS, fill, logged_in, make_campaign, questionnaire, raw

FACTOR_ITEMS = {"motivation": "mot", "awareness": "bew", "means": "mid", "opportunities": "kan"}


def export_rows(advisor, campaign_id: int, lang: str = "nl") -> list[dict[str, str]]:
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv?lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def worker(value: int, skip: str | None = None) -> dict[str, int]:
    """Keyed answers, every item ``value``; the items of factor ``skip`` left unanswered (not scored)."""
    keyed = {f"{prefix}_{i}": value for prefix in FACTOR_ITEMS.values() for i in range(1, 11)}
    return {item: v for item, v in keyed.items() if skip is None or not item.startswith(FACTOR_ITEMS[skip])}


def store_partial(app, keyed: dict[str, int], campaign_id: int, department_id: int | None) -> None:
    """Store a completed check-up through the API with only the items of ``keyed`` answered."""
    q = questionnaire(app, "loopbaan-apk")
    answers = {item: v for item, v in raw(q, {i.id: keyed.get(i.id, 3) for i in q.items}).items() if item in keyed}
    response = app.test_client().post("/api/v1/questionnaires/loopbaan-apk/responses",
                                      json={"answers": answers, "profile": profile_for(q)})
    assert response.status_code == 201, response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(Response).where(Response.report_hash == code_hash(
            response.get_json()["report_code"])))
        row.campaign_id, row.department_id = campaign_id, department_id
        db.session.commit()


def set_dates(app, campaign_id: int, opens_on: date, closes_on: date) -> None:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.opens_on, campaign.closes_on = opens_on, closes_on
        db.session.commit()


def report_of(app, campaign_id: int, lang: str = "nl"):
    with app.test_request_context(f"/?lang={lang}"):
        return build_team_report(db.session.get(Campaign, campaign_id), lang)


# 1. Row-level exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, words", [("nl", "De campagne is nog open"), ("en", "The campaign is still open")])
def test_export_is_refused_while_the_campaign_is_open(app, lang, words):
    # Attack: export today and again next week; the new rows are the people who answered in between.
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS + WORKERS)
    today = date.today()
    set_dates(app, campaign_id, today - timedelta(days=7), today)  # the last day is still open
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    for route in ("export.csv", "export.xlsx"):
        refused = advisor.get(f"/advisor/campaigns/{campaign_id}/{route}?lang={lang}")
        assert refused.status_code == 409 and refused.mimetype == "text/html"
        assert words in refused.get_data(as_text=True)
    page = advisor.get(f"/advisor/campaigns/{campaign_id}/report?lang={lang}").get_data(as_text=True)
    assert "export.csv" not in page and "export.xlsx" not in page
    set_dates(app, campaign_id, today - timedelta(days=7), today - timedelta(days=1))  # closed yesterday
    assert advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv").status_code == 200
    assert "export.csv" in advisor.get(f"/advisor/campaigns/{campaign_id}/report").get_data(as_text=True)


def test_export_rows_come_in_a_new_random_order_each_time(app, monkeypatch):
    # Attack: rows sorted by content (or by time) put a known answer pattern in a known place.
    campaign_id, org_id, _deps = make_campaign(app)
    for value in range(1, 6):
        for skip in (None, "opportunities"):
            store_partial(app, worker(value, skip), campaign_id, None)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    orders = [[tuple(r.values()) for r in export_rows(advisor, campaign_id)] for _ in range(4)]
    assert all(sorted(order) == sorted(orders[0]) for order in orders) and len(set(orders[0])) == 10
    assert len({tuple(order) for order in orders}) > 1  # 10 distinct rows: the same order 4 times is 1 in 10!³
    import app.team.export as export

    shuffled = []

    class Recording:
        def shuffle(self, rows):
            shuffled.append(len(rows))
            rows.reverse()

    monkeypatch.setattr(export.secrets, "SystemRandom", Recording)
    export_rows(advisor, campaign_id)
    assert shuffled == [10]


def test_a_factor_scored_for_fewer_than_k_is_empty_in_the_whole_export(app):
    # Attack: the report hides opportunities (3 scored < k = 5); the export showed the three scores.
    campaign_id, org_id, _deps = make_campaign(app)
    for value in (1, 2, 3, 4, 5, 2):
        store_partial(app, worker(value, "opportunities" if value in (1, 2) else None), campaign_id, None)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    rows = export_rows(advisor, campaign_id)
    assert len(rows) == 6
    assert {r["score_opportunities"] for r in rows} == {""}
    assert {r[c] for r in rows for c in r if c.startswith("kan_")} == {""}  # its items would give it back
    assert sorted(r["score_motivation"] for r in rows) == ["0.0", "100.0", "25.0", "25.0", "50.0", "75.0"]
    assert {r["department"] for r in rows} == {""}  # no departments in this campaign


def test_a_department_scored_for_fewer_than_k_on_a_factor_is_empty_there_with_its_complement(app):
    # k = 5. Productie 6, Kantoor 6, Winkel 6 respondents, all shown; in Winkel only 2 are scored on
    # opportunities. The report hides Winkel's mean for it, and (2 < k could be derived from the total)
    # one of the other two as well. Attack: the export showed Winkel's 2 scores (and the report's n and
    # mean minus the other rows' scores gave them too). Now the export empties what the report hides,
    # and the emptied rows hold at least k scored.
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor", "Winkel"))
    for name in ("Productie", "Kantoor", "Winkel"):
        for n in range(6):
            skip = "opportunities" if name == "Winkel" and n >= 2 else None
            store_partial(app, worker(1 + n % 5, skip), campaign_id, deps[name])
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    report = report_of(app, campaign_id)
    means = {d.name: d.means["opportunities"] for d in report.profile.departments}
    hidden_means = {name for name, mean in means.items() if mean is None}
    assert "Winkel" in hidden_means and len(hidden_means) == 2
    scored_in_report = next(f.n for f in report.profile.factors if f.id == "opportunities")
    assert scored_in_report == 14
    rows = export_rows(advisor, campaign_id)
    by_group: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_group.setdefault(r["department"], []).append(r)
    assert sorted(by_group) == ["Kantoor", "Productie", "Winkel"]
    for name, group in by_group.items():
        visible = [r["score_opportunities"] for r in group if r["score_opportunities"]]
        assert not visible or len(visible) >= 5, name
        if not visible:
            assert {r[c] for r in group for c in r if c.startswith("kan_")} == {""}, name
    visible = sum(1 for r in rows if r["score_opportunities"])
    assert scored_in_report - visible == 0 or scored_in_report - visible >= 5
    emptied = {name for name, group in by_group.items() if not any(r["score_opportunities"] for r in group)}
    assert emptied == hidden_means  # exactly what the report hides
    assert {r["score_motivation"] != "" for r in rows} == {True}  # other factors stay


@pytest.mark.parametrize("lang, other", [("nl", "Overig"), ("en", "Other")])
def test_departments_below_k_are_merged_into_one_other_group(app, lang, other):
    # k = 5. Productie 5, Kantoor 3, Winkel 2: Kantoor and Winkel together hold 5.
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor", "Winkel"))
    where = [deps["Productie"]] * 5 + [deps["Kantoor"]] * 3 + [deps["Winkel"]] * 2
    fill(app, campaign_id, [WORKERS[n % 5] for n in range(10)], where)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    rows = export_rows(advisor, campaign_id, lang)
    assert sorted(r["department"] for r in rows) == sorted(["Productie"] * 5 + [other] * 5)


def test_the_other_group_never_holds_fewer_than_k(app):
    # k = 5. Productie 6, Kantoor 6, Winkel 2, no department 1. Attack: "Overig" with only the 3 of Winkel
    # and no department would be a group below k. Complementary suppression puts Productie (lowest id of
    # the two equally small ones) in it as well, as on the dashboard and in the report.
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor", "Winkel"))
    where = [deps["Productie"]] * 6 + [deps["Kantoor"]] * 6 + [deps["Winkel"]] * 2 + [None]
    fill(app, campaign_id, [WORKERS[n % 5] for n in range(15)], where)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    counts: dict[str, int] = {}
    for r in export_rows(advisor, campaign_id):
        counts[r["department"]] = counts.get(r["department"], 0) + 1
    assert counts == {"Kantoor": 6, "Overig": 9}
    assert all(n >= 5 for n in counts.values())


def test_export_groups_hold_k_or_none_for_any_department_sizes():
    # The rule itself, over many department sizes: every group the export names (or calls "Overig")
    # holds at least k, and so does what the emptied rows of a factor hold.
    import random

    from app.team.export import OTHER, emptied_groups, export_groups
    from app.team.profile import hidden_groups
    from scoring import DimensionScore, ScoreResult

    class Row:
        def __init__(self, department_id, scored):
            self.department_id = department_id
            self.scores = ScoreResult("loopbaan-apk", "1", "worker",
                                      {"f": DimensionScore(50.0 if scored else None, None, 1, 1)}, {})

    rng = random.Random(19)
    for _ in range(400):
        k = rng.randint(3, 6)
        departments = {i: f"d{i}" for i in range(1, rng.randint(1, 5) + 1)}
        rs = [Row(rng.choice([*departments, None]), rng.random() < 0.7) for _ in range(rng.randint(k, 30))]
        groups = export_groups(rs, departments, k)
        sizes = {g: groups.count(g) for g in set(groups)}
        assert all(n >= k for n in sizes.values()), (k, sizes)
        emptied = emptied_groups(rs, departments, groups, k, lambda r: r.scores.factors["f"].score is not None)
        scored_rows = [r for r in rs if r.scores.factors["f"].score is not None]
        hidden_in_report = hidden_groups(scored_rows, departments, k)
        assert {g for g in sizes if g != OTHER and g in hidden_in_report} <= emptied  # never what the report hides
        scored = {g: sum(1 for r, h in zip(rs, groups, strict=True) if h == g and r in scored_rows) for g in sizes}
        assert all(scored[g] == 0 or scored[g] >= k for g in sizes if g not in emptied), (k, scored, emptied)
        if set(sizes) - emptied:  # something is shown: the total minus it must not isolate fewer than k
            assert sum(scored[g] for g in emptied) == 0 or sum(scored[g] for g in emptied) >= k, (k, scored, emptied)
        assert OTHER not in sizes or sizes[OTHER] >= k


# 2. The same suppression everywhere ---------------------------------------------------------------------


def test_dashboard_report_and_export_hide_the_same_of_two_equally_small_departments(app):
    # k = 5. Zaal 5, Atelier 5, Winkel 1: Winkel is hidden, and one of the two fives with it (1 < k could be
    # derived). The dashboard broke the tie by id (Zaal, made first), the report by name (Atelier): the
    # two pages together showed both fives, and 11 - 5 - 5 gave Winkel's 1. Now every page hides the same.
    campaign_id, org_id, deps = make_campaign(app, departments=("Zaal", "Atelier", "Winkel"))
    assert deps["Zaal"] < deps["Atelier"]
    where = [deps["Zaal"]] * 5 + [deps["Atelier"]] * 5 + [deps["Winkel"]]
    fill(app, campaign_id, [WORKERS[n % 5] for n in range(11)], where)
    app.config["ANONYMITY_K"] = 5
    with app.test_request_context("/"):
        rows = dashboard(db.session.get(Campaign, campaign_id), k=5)
    workers = next(row for row in rows if row.slug == "loopbaan-apk")
    on_dashboard = {d.name: d.counts.completed for d in workers.departments if d.name is not None}
    in_report = {d.name: d.n for d in report_of(app, campaign_id).profile.departments}
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    in_export = {r["department"] for r in export_rows(advisor, campaign_id)} - {"Overig"}
    shown_dashboard = {name for name, n in on_dashboard.items() if n is not None}
    shown_report = {name for name, n in in_report.items() if n is not None}
    assert shown_dashboard == shown_report == in_export == {"Atelier"}
    # what the pages show together leaves at least k hidden
    visible = {name: n for page in (on_dashboard, in_report) for name, n in page.items() if n is not None}
    assert 11 - sum(visible.values()) >= 5


# 3. Charts no more precise than their tables ------------------------------------------------------------


def bar_values(svg: str) -> list[list[float]]:
    """Per row of bars (same top and bottom), each bar's length as a share of the row's longest (0-100)."""
    rows: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for d in re.findall(r'<path d="([^"]+)"[^>]*clip-path', svg):
        points = [tuple(map(float, p.split())) for p in re.findall(r"[ML] ([-\d.]+ [-\d.]+)", d)]
        if len(points) == 4 and d.strip().endswith("z"):
            xs, ys = {p[0] for p in points}, {p[1] for p in points}
            if len(xs) == 2 and len(ys) == 2:
                rows.setdefault((min(ys), max(ys)), []).append((min(xs), max(xs)))
    values = []
    for bars in rows.values():
        left = min(x0 for x0, _ in bars)
        full = max(x1 for _, x1 in bars) - left
        values.append(sorted(round((x1 - x0) / full * 100, 4) for x0, x1 in bars))
    return values


def spread_ends(svg: str) -> list[tuple[float, float]]:
    """The ends of each spread line (horizontal, two points), on 0-100 with the axis of the chart's bars."""
    bars = {}
    for d in re.findall(r'<path d="([^"]+)"[^>]*clip-path', svg):
        points = [tuple(map(float, p.split())) for p in re.findall(r"[ML] ([-\d.]+ [-\d.]+)", d)]
        if len(points) == 4:
            bars.setdefault("x", set()).update(p[0] for p in points)
    left, right = min(bars["x"]), max(bars["x"])
    ends = []
    for d in re.findall(r'<path d="([^"]+)"[^>]*clip-path[^>]*stroke="#', svg):
        points = [tuple(map(float, p.split())) for p in re.findall(r"[ML] ([-\d.]+ [-\d.]+)", d)]
        if len(points) == 2 and points[0][1] == points[1][1]:
            ends.append(tuple(round((x - left) / (right - left) * 100, 4) for x, _ in points))
    return ends


def test_the_spread_chart_draws_the_rounded_figures_of_the_table():
    # Attack: read the mean (and the SD) from the bar's length to a few thousandths, more than the table's 65 ± 28.
    svg = spread_chart([Spread("Motivatie", 64.6, 28.49)], (50.0, 75.0), "Titel", ("a", "b"))
    assert bar_values(svg) == [[65.0, 100.0]]
    assert spread_ends(svg) == [(37.0, 93.0)]
    assert ">65 ± 28<" in svg


def test_the_team_report_charts_draw_no_more_digits_than_the_tables(app):
    # The five workers of team_data: motivation SD √812.5 = 28.504 (table: 29), awareness and means have
    # irrational SDs, direction's workers' mean is 53.75 (table: 54). The geometry gave them back exactly.
    campaign_id, _org, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS, employers=[EMPLOYER_BY_KNOB])
    report = report_of(app, campaign_id)
    factors = [f for f in report.profile.factors if f.mean is not None]
    exact = [(f.mean - f.sd, f.mean + f.sd) for f in factors]
    assert any(abs(low - round(low)) > 0.01 for low, _ in exact)  # the attack had digits to find
    table = [(round(f.mean) - round(f.sd), round(f.mean) + round(f.sd)) for f in factors]
    assert spread_ends(report.charts["spread"]) == [(float(max(lo, 0)), float(min(hi, 100))) for lo, hi in table]
    drawn = [v for row in bar_values(report.charts["employer"]) for v in row]
    assert all(v == round(v) for v in drawn), drawn
    assert 54.0 in drawn and 53.75 not in drawn


# 4. Each rule in one plain sentence, on the page where it changes what is seen --------------------------


@pytest.mark.parametrize("lang, sentences", [
    ("nl", ("in willekeurige volgorde", "samen als 'Overig'", "dan verbergen we op de campagnepagina, in dit rapport "
            "en in de download dezelfde", "kunt u downloaden als de campagne gesloten is",
            "De grafieken zijn afgerond op hele getallen, net als de tabellen")),
    ("en", ("in random order", "together as 'Other'", "we hide the same one on the campaign page, in this report "
            "and in the download", "once the campaign has closed", "The charts are rounded to whole numbers")),
])
def test_the_pages_state_each_rule_in_one_sentence(app, lang, sentences):
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor"))
    fill(app, campaign_id, WORKERS, [deps["Productie"]] * 3 + [deps["Kantoor"]] * 2)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    today = date.today()
    set_dates(app, campaign_id, today - timedelta(days=3), today + timedelta(days=3))
    html = advisor.get(f"/advisor/campaigns/{campaign_id}/report?lang={lang}").get_data(as_text=True)
    html = html.replace("&#39;", "'")
    for sentence in sentences:
        assert sentence in html, sentence
    campaign_page = advisor.get(f"/advisor/campaigns/{campaign_id}?lang={lang}").get_data(as_text=True)
    assert sentences[2].replace("in this report", "in the team report").replace(
        "in dit rapport", "in het teamrapport") in campaign_page
