"""One error policy: JSON under /api, calm pages elsewhere, never a 500 for bad input."""

from __future__ import annotations

from tests.pagecheck import check_page


def test_api_errors_have_the_stable_json_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert set(response.get_json()) == {"code", "status", "message", "errors"}


def test_api_validation_error_names_the_field(client):
    body = client.get("/api/v1/checklist?lang=klingon").get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    assert body["errors"]["lang"] == ["Must be one of: en, es."]


def test_api_method_not_allowed_is_json_with_allow(client):
    response = client.post("/api/v1/checklist")
    assert response.status_code == 405
    assert response.get_json()["code"] == 405
    assert "GET" in response.headers["Allow"]


def test_missing_page_is_an_html_page_in_the_persons_language(client):
    response = client.get("/nowhere", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    facts = check_page(response.get_data(as_text=True), "/nowhere")
    assert facts.h1 == ["No encontramos la página"]


def test_oversized_body_is_413_not_500(client):
    response = client.post("/check", data={"memory": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too much" in response.get_data(as_text=True)


def test_garbage_form_is_a_clear_400(client):
    response = client.post(
        "/check", data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 400)
    assert response.status_code != 500


def test_unexpected_error_is_a_calm_500_page_and_logged_without_the_query(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret-detail")

    response = client.get("/boom?token=abc123")
    assert response.status_code == 500
    assert "secret-detail" not in response.get_data(as_text=True)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and "abc123" not in logged


def test_database_outage_answers_503_with_retry_after(app, client):
    from sqlalchemy.exc import OperationalError

    @app.get("/needs-db")
    def needs_db():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    response = client.get("/needs-db")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_field_errors_on_list_items_are_json_with_string_keys(app, client):
    from flask_smorest import abort

    @app.get("/api/v1/list-errors")
    def list_errors():
        abort(422, message="bad", errors={"contacts": {0: {"value": ["Missing."]}}, "name": ["x"]})

    response = client.get("/api/v1/list-errors")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "contacts": {"0": {"value": ["Missing."]}},
        "name": ["x"],
    }
