"""Liveness and readiness."""

from __future__ import annotations

from backend import create_app


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_migrations_are_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["migrations"] == "current"


def test_readyz_is_503_before_migrations_run(tmp_path):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "behind"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    url = "postgresql+psycopg://nobody@127.0.0.1:9/nowhere?connect_timeout=1"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
