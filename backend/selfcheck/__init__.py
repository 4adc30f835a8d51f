"""The private self-check: content as data, scoring as a pure function, pages and API."""
