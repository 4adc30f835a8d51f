"""gunicorn settings for bench/signup_parts.py: the web process's own settings
(backend/gunicorn_conf.py), and in each worker the timing of the parts every sign-up needs
(bench/profile_signup.py's PARTS), written on exit to $STEADY_BENCH_PARTS/<pid>.json."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.gunicorn_conf import *  # noqa: F403
from backend.gunicorn_conf import post_worker_init as _reads_bodies_whole

_timing = None


def post_worker_init(worker) -> None:
    global _timing
    _reads_bodies_whole(worker)
    from bench.profile_signup import timing_parts

    _timing = timing_parts()
    _timing.totals = _timing.__enter__()


def worker_exit(_server, _worker) -> None:
    if _timing is not None:
        folder = Path(os.environ["STEADY_BENCH_PARTS"])
        (folder / f"{os.getpid()}.json").write_text(json.dumps(_timing.totals))
