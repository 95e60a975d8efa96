"""exploration draft"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "corpus" / "seed-russia-north-korea-pact.txt"
ARTIFACTS = REPO / "test-artifacts"


def test_explore(clean_db, run_kg, kg_env, neo4j_settings) -> None:
    from playwright.sync_api import sync_playwright

    result = run_kg("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    ARTIFACTS.mkdir(exist_ok=True)
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
            viewport={"width": 1400, "height": 1000},
        )
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.on("console", lambda m: print("CONSOLE", m.type, m.text[:200]))
        page.goto(f"http://127.0.0.1:{kg_env['KG_HTTP_PORT']}/browser/")
        page.wait_for_selector('[data-testid="boltaddress"]', timeout=30000)
        page.select_option('[data-testid="bolt-scheme-select"]', "bolt://")
        page.fill('[data-testid="boltaddress"]', "127.0.0.1:17687")
        page.fill('[data-testid="username"]', "neo4j")
        page.fill('[data-testid="password"]', neo4j_settings.password)
        page.click('[data-testid="connect"]')
        page.get_by_text("You are connected as user").wait_for(timeout=30000)
        page.screenshot(path=str(ARTIFACTS / "x2.png"))
        from kg.queries import get_query, render_browser
        text = render_browser(get_query("allies"), {"country": "North Korea"})
        print(text)
        editor = page.locator("#monaco-main-editor")
        editor.click()
        page.keyboard.insert_text(":clear")
        page.keyboard.press("Control+Enter")
        page.wait_for_timeout(1000)
        editor.click()
        page.evaluate("""(text) => { const ta = document.querySelector('#monaco-main-editor textarea');
          const dt = new DataTransfer(); dt.setData('text/plain', text);
          ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }""", text)
        page.screenshot(path=str(ARTIFACTS / "x3.png"))
        page.keyboard.press("Control+Enter")
        page.locator('[data-testid="multi-statement-list-icon"][title="Status: success"]').nth(3).wait_for(timeout=30000)
        page.locator('[data-testid="multi-statement-list-title"]').nth(3).click()
        page.locator('[data-testid="cypherFrameSidebarTable"]').click(timeout=30000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(ARTIFACTS / "x4.png"))
        Path(ARTIFACTS / "x4.html").write_text(page.content())
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)
    os.environ  # noqa
