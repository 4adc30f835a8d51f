"""A reminder worker in its own process, for the multi-process tests.

    python -m tests.reminders.worker_process '<settings as JSON>' send-due|run

It builds a testing app with those settings (the database URL among them) and runs the real
`flask reminders <command>` inside it.
"""

from __future__ import annotations

import json
import sys

from backend import create_app
from backend.reminders.cli import reminders


def main() -> None:
    settings = json.loads(sys.argv[1])
    app = create_app({"TESTING": True, **settings})
    with app.app_context():
        reminders.main(args=sys.argv[2:], prog_name="flask reminders")


if __name__ == "__main__":
    main()
