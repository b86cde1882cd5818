"""The application factory: instance folder, secret key, configuration sources, definitions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import create_app
from scoring import DefinitionError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("REGIEKOMPAS_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


def test_instance_folder_and_secret_are_created_once(instance):
    app = create_app()
    secret_file = instance / "secret_key"
    assert instance.is_dir() and secret_file.is_file()
    assert app.config["SECRET_KEY"] == secret_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) == 64
    assert (secret_file.stat().st_mode & 0o077) == 0  # readable by the owner only
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept, not regenerated
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'regiekompas.sqlite'}"


def test_environment_wins(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/elsewhere.sqlite")
    monkeypatch.setenv("FLASK_ANONYMITY_K", "7")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.sqlite"
    assert app.config["ANONYMITY_K"] == 7
    assert not (instance / "secret_key").exists()


def test_instance_config_file_is_read(instance):
    instance.mkdir()
    (instance / "config.py").write_text("ANONYMITY_K = 8\n")
    assert create_app().config["ANONYMITY_K"] == 8


def test_invalid_definitions_stop_the_start_with_every_problem(instance, tmp_path, monkeypatch):
    broken = tmp_path / "questionnaires"
    shutil.copytree(REPO / "questionnaires", broken)
    text = (broken / "loopbaan-apk.yaml").read_text()
    (broken / "loopbaan-apk.yaml").write_text(text.replace("factor: motivation", "factor: motivatoin", 1))
    monkeypatch.setenv("FLASK_DEFINITIONS_DIR", str(broken))
    with pytest.raises(DefinitionError) as info:
        create_app()
    assert "questionnaires/loopbaan-apk.yaml: sections[0].items[0].factor: unknown factor 'motivatoin'" in str(
        info.value)


@pytest.mark.parametrize(("url", "ping"), [("sqlite:///{tmp}/db.sqlite", False),
                                           ("postgresql+psycopg://u:p@db.invalid/rk", True)])
def test_connections_are_pinged_before_use_only_on_a_server_database(tmp_path, url, ping):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url.format(tmp=tmp_path)})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is ping


def test_an_explicit_ping_setting_is_kept(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
