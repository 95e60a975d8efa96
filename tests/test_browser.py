"""Neo4j Browser, served by the local test server, runs a canned query in headless Chromium.

The seed article is ingested with `kg ingest`; Chromium (Debian's `chromium`, driven by Playwright
with `executable_path`, never a Playwright-downloaded browser) opens http://127.0.0.1:<http>/browser/,
fills the connect form (bolt://127.0.0.1:<bolt>, neo4j, the test password), runs the two steps of
`kg.graph.queries.browser_steps` for `allies` with country "North Korea" (the `:param` lines, then the query), shows
the result as a table and checks that Russia is listed as North Korea's partner. The screenshot is
kept in test-artifacts/browser-allies.png (test-artifacts/browser-failure.png when a step fails).

A second test checks kg's Browser style, which the local server applies on connect
(`browser.post_connect_cmd`): it runs the "kg parameters" favorite, then the `ties` favorite as
the zip holds it, keeps test-artifacts/browser-ties.png and reads from the SVG that each edge is
filled with its type's colour (MUTUAL_DEFENSE green, INVADED red, every edge in its stance's family).

The query is run apart from its `:param` lines because Browser runs a script with several
statements in multi-statement mode, which shows each statement's status but not its rows.

Chromium: /usr/bin/chromium (override with KG_TEST_CHROMIUM); `bash scripts/setup.sh` installs it
with apt-get when it is missing and it runs as root. Without it the test fails, it is not skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.graph.queries import browser_steps, favorite_text, get_query, load_queries, parameters_favorite
from kg.graph.style import palette, relation_colours
from kg.settings import Settings
from kg.vocabulary import relations

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "corpus" / "seed-russia-north-korea-pact.txt"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOT = ARTIFACTS / "browser-allies.png"
GRAPH_SCREENSHOT = ARTIFACTS / "browser-ties.png"
FAILURE_SCREENSHOT = ARTIFACTS / "browser-failure.png"
CHROMIUM = os.environ.get("KG_TEST_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 30_000
LOCAL = not os.environ.get("NEO4J_URI")  # an external server's Browser address is unknown

pytestmark = [pytest.mark.browser, pytest.mark.neo4j,
              pytest.mark.skipif(not LOCAL, reason="the server is external (NEO4J_URI): no local Browser")]


def tid(name: str) -> str:
    return f'[data-testid="{name}"]'


@pytest.fixture
def page(tmp_path: Path) -> Iterator:
    """A page of a fresh headless Chromium (its own user-data-dir under tmp_path), closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install -e '.[test]' (or bash scripts/setup.sh)",
                    pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `bash scripts/setup.sh` as root, or "
                    "`apt-get install chromium`, or set KG_TEST_CHROMIUM", pytrace=False)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900}, timeout=TIMEOUT_MS,
        )
        try:
            tab = context.pages[0] if context.pages else context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            yield tab
        finally:
            context.close()


def run_in_editor(page, text: str) -> None:
    """Put `text` into Browser's main editor (pasted, so Monaco neither auto-indents nor auto-closes
    brackets and quotes) and run it with the run button."""
    editor = page.locator("#monaco-main-editor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.evaluate(
        """(text) => {
            const area = document.querySelector('#monaco-main-editor textarea');
            const data = new DataTransfer();
            data.setData('text/plain', text);
            area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )
    last_line = text.strip().splitlines()[-1].strip()  # in view: the editor scrolls to the cursor
    page.wait_for_function(
        """(last) => {
            const lines = document.querySelector('#monaco-main-editor .view-lines');
            return lines !== null && lines.textContent.replace(/\\u00a0/g, ' ').includes(last);
        }""",
        arg=last_line,
    )
    page.locator(tid("editor-Run")).click()


def connect(page, kg_env: dict[str, str], settings: Settings) -> None:
    """Log in to the local Browser, wait for the post-connect command (kg's style), clear the frames."""
    page.goto(f"http://127.0.0.1:{kg_env['KG_HTTP_PORT']}/browser/")
    page.locator(tid("boltaddress")).wait_for()
    page.select_option(tid("bolt-scheme-select"), "bolt://")
    page.fill(tid("boltaddress"), f"127.0.0.1:{kg_env['KG_BOLT_PORT']}")
    page.fill(tid("username"), settings.username)
    page.fill(tid("password"), settings.password or "")
    page.locator(tid("connect")).click()
    page.get_by_text("You are connected as user").wait_for()
    page.locator(tid("frame")).filter(has_text="relationship.MUTUAL_DEFENSE").first.wait_for()

    run_in_editor(page, ":clear")
    page.locator(tid("frame")).first.wait_for(state="detached")


def run_script(page, lines: list[str]) -> None:
    """Run several statements (`:param` lines) as one script and wait until each has succeeded."""
    run_in_editor(page, "\n".join(lines))
    done = page.locator(f'{tid("multi-statement-list-icon")}[title="Status: success"]')
    done.nth(len(lines) - 1).wait_for()


def table_rows(table) -> list[dict[str, str]]:
    """The rows of a Browser result table as {column: text}, strings without their quotes."""
    headers = [text.strip() for text in table.locator('thead th[role="columnheader"]').all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [text.strip() for text in row.locator('td[role="cell"]').all_inner_texts()]
        rows.append({key: cell.removeprefix('"').removesuffix('"') for key, cell in zip(headers, cells, strict=True)})
    return rows


def test_browser_runs_the_allies_query(
    clean_db, run_kg: Callable, kg_env: dict[str, str], neo4j_settings: Settings, page
) -> None:
    result = run_kg("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    query = get_query("allies")
    params, cypher = browser_steps(query, {"country": "North Korea"})
    param_lines = params.splitlines()
    assert len(param_lines) == len(query.params)

    ARTIFACTS.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    FAILURE_SCREENSHOT.unlink(missing_ok=True)
    try:
        connect(page, kg_env, neo4j_settings)
        run_script(page, param_lines)

        run_in_editor(page, cypher)
        frame = page.locator(tid("frame")).first  # the newest frame is on top
        frame.locator(f'{tid("cypherFrameSidebarTable")}, {tid("cypherFrameErrorMessage")}').first.wait_for()
        error = frame.locator(tid("cypherFrameErrorMessage"))
        assert not error.count(), error.inner_text()
        frame.locator(tid("cypherFrameSidebarTable")).click()
        table = frame.locator("table")
        table.wait_for()
        table.locator("tbody tr").first.wait_for()
        page.screenshot(path=str(SCREENSHOT))
        rows = table_rows(table)
    except Exception:
        page.screenshot(path=str(FAILURE_SCREENSHOT))
        raise

    assert rows, "the result table is empty"
    assert set(rows[0]) >= {"actor", "partner", "relations", "evidence"}, rows[0]
    russia = [row for row in rows if row["partner"] == "Russia"]
    assert russia, f"Russia is not among the partners shown: {[row['partner'] for row in rows]}"
    assert russia[0]["actor"] == "North Korea"
    assert "MUTUAL_DEFENSE" in russia[0]["relations"], russia[0]


def drawn_relationships(page) -> list[tuple[str, str]]:
    """(type, fill colour) of every relationship drawn in the newest graph frame's SVG (the type is
    that of the datum d3 bound to the element: the caption may be cut short)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="frame"]')[0]
                    .querySelectorAll('g.relationship')].map(g => [
                      g.__data__.type, g.querySelector('path.b-outline').getAttribute('fill')])"""
    )


def test_browser_draws_a_graph_favorite_in_kg_style(
    clean_db, run_kg: Callable, kg_env: dict[str, str], neo4j_settings: Settings, page
) -> None:
    """The parameters favorite, then the `ties` favorite as written in the zip: Browser (styled on
    connect by the local server, nothing run by hand) draws hostile edges red, cooperative green."""
    result = run_kg("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    queries = load_queries()
    colours = relation_colours()
    ARTIFACTS.mkdir(exist_ok=True)
    GRAPH_SCREENSHOT.unlink(missing_ok=True)
    FAILURE_SCREENSHOT.unlink(missing_ok=True)
    try:
        connect(page, kg_env, neo4j_settings)
        run_script(page, [line for line in parameters_favorite(queries.values()).splitlines()
                          if line.startswith(":param ")])
        run_in_editor(page, favorite_text(queries["ties"]))
        frame = page.locator(tid("frame")).first
        frame.locator(f'g.relationship, {tid("cypherFrameErrorMessage")}').first.wait_for()
        error = frame.locator(tid("cypherFrameErrorMessage"))
        assert not error.count(), error.inner_text()
        page.wait_for_timeout(1500)  # the force layout settles
        page.screenshot(path=str(GRAPH_SCREENSHOT))
        drawn = drawn_relationships(page)
    except Exception:
        page.screenshot(path=str(FAILURE_SCREENSHOT))
        raise

    fills = {rel_type: fill.upper() for rel_type, fill in drawn}
    assert fills.get("MUTUAL_DEFENSE") == colours["MUTUAL_DEFENSE"], drawn
    assert fills.get("INVADED") == colours["INVADED"], drawn
    stance = {r.rel_type: r.stance for r in relations().values()}
    families = {name: {c.upper() for c in spec["shades"]} for name, spec in palette()["stances"].items()}
    for rel_type, fill in fills.items():
        assert fill in families[stance[rel_type]], (rel_type, fill)
