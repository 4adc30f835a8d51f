"""Dark mode changes colours and nothing else: every `prefers-color-scheme: dark` block of
our style sheets only sets custom properties on :root, and no script or template asks for the
colour scheme. The axe tests rely on it: in dark they run only the rules that read colours
(tests/axe.py), since every other rule would answer as it did in light."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLE_SHEETS = sorted((ROOT / "frontend" / "static" / "css").glob("*.css"))
DARK = re.compile(r"@media[^{]*prefers-color-scheme\s*:\s*dark[^{]*\{")


def block_after(text: str, opening: int) -> str:
    """The text between the brace at `opening` and its matching closing brace."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[opening + 1 : index]
    raise AssertionError("unbalanced braces")


def rules(block: str) -> list[tuple[str, list[str]]]:
    """(selector, [property, …]) for each rule of a block without nested at-rules."""
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        declarations = [d.split(":", 1)[0].strip() for d in body.split(";") if d.strip()]
        found.append((selector.strip(), declarations))
    return found


def dark_blocks(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [block_after(text, match.end() - 1) for match in DARK.finditer(text)]


def test_dark_mode_sets_only_custom_properties_on_root():
    assert STYLE_SHEETS
    blocks = [block for sheet in STYLE_SHEETS for block in dark_blocks(sheet.read_text())]
    assert blocks  # app.css has one
    for block in blocks:
        assert "@" not in block
        for selector, properties in rules(block):
            assert selector == ":root"
            assert properties and all(name.startswith("--") for name in properties), properties


def test_the_check_sees_a_dark_rule_that_changes_more_than_colours():
    sheet = "@media (prefers-color-scheme: dark) { :root { --ink: #fff; } .box { display: none; } }"
    selectors = [selector for block in dark_blocks(sheet) for selector, _ in rules(block)]
    assert selectors == [":root", ".box"]


def test_no_script_or_template_asks_for_the_colour_scheme():
    asked = [
        path.relative_to(ROOT)
        for folder in ("frontend/static/js", "frontend/templates")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and "vendor" not in path.parts
        and "prefers-color-scheme" in path.read_text(errors="ignore")
    ]
    # base.html's theme-color metas colour the browser's own bar, not the page.
    assert [str(path) for path in asked] == ["frontend/templates/base.html"]
