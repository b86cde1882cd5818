"""Hypothesis posts arbitrary fields and values, with a valid CSRF token, to the pages with forms: never a 5xx."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.protection.input_check import storable
from tests.support.flows import csrf_token, post_profile
from tests.support.reports import store_report

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def field_names(known: list[str]):
    """Real field names, near misses and anything at all."""
    return st.one_of(st.sampled_from(known), st.sampled_from(known).map(lambda n: n + "x"), st.text(max_size=20))


def values(known: list[str]):
    return st.one_of(st.sampled_from(known), st.integers(-10**12, 10**12).map(str), st.text(max_size=60),
                     st.just(""), st.sampled_from(["unknown", "back", "next", "2026-02-30", "31-12-2026"]))


def form_posts(names: list[str], known_values: list[str]):
    """A list of (name, value) pairs: names may repeat, as a browser sends several checkboxes."""
    return st.lists(st.tuples(field_names(names), values(known_values)), max_size=12)


def post(client, url: str, pairs: list[tuple[str, str]], token: str):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict([*pairs, ("csrf_token", token)]))


def _page_fields(defs, slug: str) -> tuple[list[str], list[str]]:
    q = defs.questionnaires[slug]
    names = ["action"] + [f"p_{p.id}" for p in q.profile] + [f"a_{i.id}" for i in q.items]
    known = [o.value for p in q.profile for o in p.options] + [str(v.value) for v in q.scale.labels]
    return names, known


def test_questionnaire_pages_never_fail_on_any_post(client, defs):
    q = defs.questionnaires["loopbaan-apk"]
    post_profile(client, q)  # a started response, so the step pages take the posts
    token = csrf_token(client.get(f"/q/{q.slug}/stap/1").get_data(as_text=True))
    names, known = _page_fields(defs, q.slug)
    urls = [f"/q/{q.slug}"] + [f"/q/{q.slug}/stap/{n}" for n in range(1, len(q.sections) + 2)]

    @SETTINGS
    @given(url=st.sampled_from(urls), pairs=form_posts(names, known))
    def check(url, pairs):
        response = post(client, url, pairs, token)
        assert response.status_code < 500, (url, pairs)
        assert response.status_code in (200, 302, 400, 404)

    check()


def test_next_steps_form_never_fails_on_any_post(app, client):
    code = store_report(app)
    page = client.get(f"/r/{code}").get_data(as_text=True)
    token = csrf_token(page)
    advice = client.get(f"/api/v1/reports/{code}").get_json()["advice"]
    ids = [rec["id"] for recs in advice.values() for rec in recs]
    names = ["step"] + [f"when_{i}" for i in ids]

    @SETTINGS
    @given(pairs=form_posts(names, ids))
    def check(pairs):
        response = post(client, f"/r/{code}/stappen", pairs, token)
        assert response.status_code in (302, 400), pairs

    check()


def test_report_query_strings_never_fail(app, client):
    code = store_report(app)

    @SETTINGS
    @given(params=st.dictionaries(st.sampled_from(["vergelijk", "grafiek", "lang", "x"]), st.text(max_size=40)))
    def check(params):
        # Text no database can store (a NUL) is refused before the page (app/protection/input_check.py).
        expected = 200 if all(storable(value) for value in params.values()) else 400
        assert client.get(f"/r/{code}", query_string=params).status_code == expected

    check()


def test_compare_form_never_fails_on_any_post(app, client):
    """The compare form and the PDF of a comparison are posted (the earlier code stays out of the URL)."""
    earlier = store_report(app, value=2)
    code = store_report(app)
    token = csrf_token(client.get(f"/r/{code}").get_data(as_text=True))
    known = [earlier, f"http://localhost/r/{earlier}", code, "radar", "staaf"]

    @SETTINGS
    @given(pairs=form_posts(["vergelijk", "grafiek"], known))
    def check(pairs):
        response = post(client, f"/r/{code}/vergelijk", pairs, token)
        assert response.status_code in (200, 400), pairs

    check()
    pdf = post(client, f"/r/{code}/pdf", [("vergelijk", earlier), ("vergelijk", "x")], token)
    assert pdf.status_code == 200
