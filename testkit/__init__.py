"""Real parts that tests and benchmarks both use: a Web Push receiver that plays the push
service (push_receiver.py, with the checks it makes in push_checks.py) and the first-load
byte counter (first_load.py). Nothing here imports `tests` or `bench`, so `bench/` never
imports `tests/`."""
