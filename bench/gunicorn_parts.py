"""gunicorn settings for bench/signup_parts.py: the web process's own settings
(backend/gunicorn_conf.py), and in each worker the timing of the parts every sign-up needs
(bench/profile_signup.py's PARTS), written on exit to $STEADY_BENCH_PARTS/<pid>.json."""

import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.gunicorn_conf import *  # noqa: F403
from backend.gunicorn_conf import post_worker_init as _reads_bodies_whole

_timers = ExitStack()  # open for the worker's life
_totals: dict[str, float] = {}  # the timers' own totals, added to as sign-ups run


def post_worker_init(worker) -> None:
    global _totals
    _reads_bodies_whole(worker)
    from bench.profile_signup import timing_parts

    _totals = _timers.enter_context(timing_parts())


def worker_exit(_server, _worker) -> None:
    folder = Path(os.environ["STEADY_BENCH_PARTS"])
    (folder / f"{os.getpid()}.json").write_text(json.dumps(_totals))
