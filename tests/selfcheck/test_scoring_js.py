"""The JavaScript scorer (frontend/static/js/selfcheck-scoring.js) against the shared vectors.

tests/selfcheck/test_scoring.py runs the same file against the Python scorer, so the two
implementations cannot drift apart. Here the module runs in the real browser, with the rules
the device gets from /api/v1/checklist.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

VECTORS = json.loads((Path(__file__).parent.parent / "selfcheck" / "vectors.json").read_text())[
    "cases"
]

SCORE_EVERY_CASE = """
async (cases) => {
  const { scoreAnswers, InvalidAnswer } = await import("/static/js/selfcheck-scoring.js");
  const response = await fetch("/api/v1/checklist");
  const { rules } = await response.json();
  const embedded = JSON.parse(document.getElementById("app-selfcheck-rules").textContent);
  const results = cases.map((item) => {
    try {
      return { result: scoreAnswers(rules, item.answers) };
    } catch (error) {
      return {
        error: {
          invalid: error instanceof InvalidAnswer,
          question: error.question,
          message: String(error.message),
        },
      };
    }
  });
  return { results, sameRulesInPage: JSON.stringify(embedded) === JSON.stringify(rules) };
}
"""


@pytest.fixture(scope="module")
def scored(browser, live_server):
    """Every vector scored once, in one page of the real browser."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/check")
        return page.evaluate(SCORE_EVERY_CASE, VECTORS)
    finally:
        context.close()


def test_page_embeds_the_same_rules_as_the_api(scored):
    assert scored["sameRulesInPage"]


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[case["name"] for case in VECTORS])
def test_javascript_scorer_matches_shared_vectors(scored, index):
    case = VECTORS[index]
    outcome = scored["results"][index]
    if "error" in case:
        assert "error" in outcome, f"expected InvalidAnswer, got {outcome}"
        assert outcome["error"]["invalid"], outcome["error"]
        assert outcome["error"]["question"] == case["error"]
    else:
        assert outcome == {"result": case["expect"]}
