"""Authorization matrix: every advisor route (from the app's url_map) × anonymous, the organisation's
advisor, another organisation's advisor, and admin. New routes are covered automatically."""

from __future__ import annotations

import pytest

from app import create_app
from tests.support.advisor_world import login
from tests.support.flows import csrf_token

#: Pages that only an admin may use.
ADMIN_ONLY = {"advisor.new_organisation", "advisor.edit_organisation", "advisor.delete_organisation",
              "advisor.advisors", "advisor.deactivate_advisor"}
#: Routes whose URL holds no organisation's id: any logged-in user may use them.
UNSCOPED = {"advisor.dashboard", "advisor.logout", "advisor.new_organisation", "advisor.advisors"}
PUBLIC = {"advisor.login", "advisor.static"}


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) for every advisor route, read from a fresh app's url_map."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("advisor.") and rule.endpoint not in PUBLIC:
            routes += [(rule.endpoint, rule.rule, m) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(routes)


ROUTES = _routes()


def _url(rule: str, world) -> str:
    """The rule with the ids of organisation A's things (and advisor B as the account to manage)."""
    ids = {"organisation_id": world.org_a, "campaign_id": world.campaign_a, "shared_id": world.shared_a,
           "user_id": world.advisor_b}
    url = rule
    for name, value in ids.items():
        url = url.replace(f"<int:{name}>", str(value))
    assert "<" not in url, f"the matrix does not know a parameter of {rule}: add it to _url"
    return url


def test_the_matrix_sees_the_advisor_routes():
    endpoints = {e for e, _, _ in ROUTES}
    assert {"advisor.dashboard", "advisor.organisation", "advisor.campaign", "advisor.invitation",
            "advisor.new_campaign", "advisor.shared_report"} <= endpoints


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{m} {r}" for _, r, m in ROUTES])
@pytest.mark.parametrize("who", ["anonymous", "advisor", "other-advisor", "admin"])
def test_authorization_matrix(app, client, world, who, endpoint, rule, method):
    url = _url(rule, world)
    email = {"advisor": "a@example.org", "other-advisor": "b@example.org", "admin": "admin@example.org"}.get(who)
    if email:
        assert login(client, email).status_code == 302
    data = None
    if method != "GET":  # a valid CSRF token (and nothing else), so it is the access check that answers
        page = client.get("/advisor/login" if who == "anonymous" else "/advisor/")
        data = {"csrf_token": csrf_token(page.get_data(as_text=True))}
    response = client.open(url, method=method, data=data)
    status = response.status_code
    if who == "anonymous":
        if method == "GET":
            assert status == 302 and response.location.startswith("/advisor/login?next=")
        else:
            assert status == 401
    elif endpoint in ADMIN_ONLY and who != "admin":
        assert status in (403, 404)
    elif who == "other-advisor" and endpoint not in UNSCOPED:
        assert status == 404, f"{who} reached {url}"
        assert b"Bakkerij Alfa" not in response.data
    elif method == "GET" and endpoint in ("advisor.team_export_csv", "advisor.team_export_excel_csv",
                                          "advisor.team_export_xlsx", "advisor.team_export_sav"):
        # the world's campaigns are open: past the access check, the export is refused until they close
        assert status == 409 and "De campagne is nog open" in response.get_data(as_text=True)
    elif method == "GET":
        assert status == 200
    else:  # a POST without form data: refused as invalid or redirected, never a denial or a crash
        assert status not in (401, 403, 404) and status < 500


def test_advisors_see_only_their_organisations_on_the_dashboard(client, world):
    login(client, "b@example.org")
    html = client.get("/advisor/").get_data(as_text=True)
    assert "Bouwbedrijf Beta" in html and "Bakkerij Alfa" not in html
    client.post("/advisor/logout", data={})  # without CSRF token: stays logged in
    assert client.get("/advisor/").status_code == 200


def test_admin_sees_every_organisation(client, world):
    login(client, "admin@example.org")
    html = client.get("/advisor/").get_data(as_text=True)
    assert "Bouwbedrijf Beta" in html and "Bakkerij Alfa" in html


@pytest.mark.parametrize("path", [
    "/advisor/organisations/{org_b}", "/advisor/campaigns/{campaign_b}", "/advisor/campaigns/{campaign_b}/invitation",
    "/advisor/organisations/{org_b}/campaigns/new", "/advisor/organisations/{org_a}/reports/{shared_b}",
    "/advisor/organisations/999", "/advisor/campaigns/999",
])
def test_ids_of_another_organisation_give_404(client, world, path):
    login(client, "a@example.org")
    url = path.format(**vars(world))
    response = client.get(url)
    assert response.status_code == 404
    assert b"Bouwbedrijf Beta" not in response.data


def test_a_deactivated_advisor_is_logged_out_and_cannot_log_in(app, client, world):
    from app.extensions import db
    from app.models import User

    login(client, "a@example.org")
    with app.app_context():
        db.session.get(User, world.advisor_a).active = False
        db.session.commit()
    assert client.get("/advisor/").status_code == 302
    assert login(client, "a@example.org").status_code == 400
