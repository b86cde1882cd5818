"""The advisor workspace data model and its migration (upgrade keeps data, downgrade is clean)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Campaign, Department, NextStep, Organisation, ReportChart, Response, SharedReport, User

PREVIOUS = "447e044acb69"


def _response(**kw) -> Response:
    return Response(slug="loopbaan-apk", version="1", status=Response.COMPLETED, **kw)


def _campaign(org: Organisation, **kw) -> Campaign:
    values = {"title": "Voorjaar", "slugs": ["loopbaan-apk"], "opens_on": date(2026, 3, 1),
              "closes_on": date(2026, 3, 31)} | kw
    return Campaign(organisation=org, **values)


def test_campaign_is_open_on_its_first_and_last_day_only(app):
    with app.app_context():
        campaign = _campaign(Organisation(name="Bakkerij", size="10_49"))
        assert not campaign.is_open(date(2026, 2, 28))
        assert campaign.is_open(date(2026, 3, 1))
        assert campaign.is_open(date(2026, 3, 31))
        assert not campaign.is_open(date(2026, 4, 1))


def test_invite_codes_are_random_and_unique(app):
    with app.app_context():
        org = Organisation(name="Bakkerij", size="10_49")
        first, second = _campaign(org), _campaign(org)
        db.session.add_all([first, second])
        db.session.commit()
        assert len(first.invite_code) >= 21 and first.invite_code != second.invite_code
        second.invite_code = first.invite_code
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_deleting_a_campaign_deletes_its_responses_and_a_department_only_unlinks(app):
    with app.app_context():
        org = Organisation(name="Bakkerij", size="10_49")
        campaign = _campaign(org, departments=[Department(name="Winkel"), Department(name="Bakkerij")])
        db.session.add(campaign)
        db.session.flush()
        in_campaign = _response(campaign_id=campaign.id, department_id=campaign.departments[0].id)
        outside = _response()
        db.session.add_all([in_campaign, outside])
        db.session.commit()
        db.session.execute(text("DELETE FROM department WHERE id = :id"), {"id": in_campaign.department_id})
        db.session.commit()
        db.session.refresh(in_campaign)
        assert in_campaign.department_id is None and in_campaign.campaign_id == campaign.id
        db.session.execute(text("DELETE FROM campaign"))
        db.session.commit()
        assert db.session.scalars(select(Response.id)).all() == [outside.id]


def test_a_shared_report_goes_when_the_worker_deletes_the_response(app):
    with app.app_context():
        org = Organisation(name="Bakkerij", size="10_49")
        user = User(email="a@example.org", password_hash="x", role="advisor")
        response = _response()
        db.session.add_all([org, user, response])
        db.session.flush()
        db.session.add(SharedReport(organisation_id=org.id, response_id=response.id, added_by=user.id))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.add(SharedReport(organisation_id=org.id, response_id=response.id, added_by=user.id))
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(Response, response.id))
        db.session.commit()
        assert db.session.scalars(select(SharedReport)).all() == []


def test_advisors_are_assigned_to_organisations(app):
    with app.app_context():
        user = User(email="a@example.org", password_hash="x", role="advisor")
        org = Organisation(name="Bakkerij", size="10_49", advisors=[user])
        db.session.add(org)
        db.session.commit()
        assert user.organisations == [org] and user.is_active and not user.is_admin
        user.active = False
        assert not user.is_active


def test_upgrade_keeps_existing_responses_charts_and_steps_and_downgrade_is_clean(app):
    """On SQLite the response table is rebuilt; that must not cascade into its child tables."""
    with app.app_context():
        downgrade(revision=PREVIOUS)
        db.session.execute(text(
            "INSERT INTO response (id, slug, version, lang, status, profile, answers, created_at, updated_at) "
            "VALUES (7, 'loopbaan-apk', '1', 'nl', 'completed', '{}', '{}', '2026-01-01', '2026-01-01')"))
        db.session.execute(text("INSERT INTO report_chart (response_id, key, svg) VALUES (7, 'factors', '<svg/>')"))
        db.session.execute(text("INSERT INTO next_step (response_id, intervention_id, knob, due_date, position) "
                                "VALUES (7, 'talk', 'backing', '2026-02-01', 1)"))
        db.session.commit()
        upgrade()
        assert db.session.scalars(select(ReportChart.response_id)).all() == [7]
        assert db.session.scalars(select(NextStep.response_id)).all() == [7]
        assert db.session.get(Response, 7).campaign_id is None
        db.session.remove()
        downgrade(revision=PREVIOUS)
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"user", "organisation", "campaign", "department", "shared_report"}
        assert "campaign_id" not in {c["name"] for c in inspect(db.engine).get_columns("response")}
        assert db.session.execute(text("SELECT count(*) FROM report_chart")).scalar() == 1
        db.session.remove()
        upgrade()
