"""The baseline for bench/pages.py: a bare Flask app with one "hello" route, served by the
same gunicorn settings as Steady, so the difference is Steady's own work per request."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The least a Flask route can do."""
    return "hello"
