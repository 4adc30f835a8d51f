"""/api/docs: the API documentation as a plain page built from /api/openapi.json.

Swagger UI and ReDoc load scripts from a CDN and run inline scripts; both would break the
privacy promise (no request to another host) and the CSP. This page needs neither.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from backend.extensions import api

blp = Blueprint("apidocs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@blp.get("/api/docs")
def docs():
    """Every operation of the API with its parameters and responses."""
    spec = api.spec.to_dict()
    operations = [
        {"path": path, "method": method.upper(), **operation}
        for path, item in sorted(spec.get("paths", {}).items())
        for method, operation in item.items()
        if method in METHODS
    ]
    return render_template(
        "pages/apidocs.html", title="Steady API", spec=spec, operations=operations
    )
