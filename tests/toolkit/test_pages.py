"""The toolkit's pages render for everyone, in each language, and pass the page checker."""

from __future__ import annotations

import pytest

from tests.pagecheck import check_page

TOOLKIT_PAGES = ["/plan", "/taper"]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", TOOLKIT_PAGES)
def test_toolkit_page_passes_the_page_checker_in_each_language(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    facts = check_page(response.get_data(as_text=True), path)
    assert facts.lang == lang
    assert "Set-Cookie" not in response.headers
