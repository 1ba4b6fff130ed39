"""The preview page in a real browser: headless Chromium (Debian's package) driven by Playwright.

``.ci/run`` installs ``chromium`` with apt when it is missing, and ``playwright`` comes with the
``[dev]`` extra; no browser build is ever downloaded (``executable_path`` points at the system
one). Without either, these tests fail rather than skip: CI must run them.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from ssmlkit.serve import SpeechServer, make_server

CHROMIUM = os.environ.get("SSMLKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Where the screenshot goes: $SSMLKIT_SCREENSHOTS, else the test's temporary directory.
SHOTS_ENV = "SSMLKIT_SCREENSHOTS"

BROKEN = (
    '<speak voice="longanyang">\n  第一句话。\n  <break time="fast"/>\n  第二句话。\n</speak>\n'
)
FIXED = BROKEN.replace('time="fast"', 'time="2s"')


@pytest.fixture(scope="module")
def server() -> Iterator[SpeechServer]:
    srv = make_server("127.0.0.1", 0, log=lambda _line: None)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: SpeechServer) -> Iterator[Page]:
    pg = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    root = server.base_url.removesuffix("/v1")
    pg.on(
        "request",
        lambda r: None if r.url.startswith((root, "blob:", "data:")) else outside.append(r.url),
    )
    pg.goto(root + "/")
    yield pg
    pg.close()
    assert errors == []
    assert outside == []  # the page needs nothing but this server


def type_document(page: Page, text: str) -> None:
    editor = page.locator("#editor")
    editor.fill("")
    editor.type(text, delay=0)


def test_diagnostic_appears_at_its_line_and_goes_when_fixed(page: Page) -> None:
    page.wait_for_selector("#diagnostics li")
    type_document(page, BROKEN)
    item = page.wait_for_selector('#diagnostics li.error[data-line="3"]', timeout=10_000)
    assert item is not None
    assert "BR001" in item.inner_text()
    assert page.locator('#gutter .mark.error[data-line="3"]').count() == 1
    assert page.locator("#gutter .mark.error").count() == 1
    assert page.locator("#gutter .mark").count() == BROKEN.count("\n") + 1
    type_document(page, FIXED)
    page.wait_for_selector("#diagnostics li.clean", timeout=10_000)
    assert page.locator("#diagnostics li.error").count() == 0
    assert page.locator("#gutter .mark.error").count() == 0
    # the chunk map follows the document
    page.wait_for_selector("#chunks li:only-child")
    assert "lines 2-4" in page.locator("#chunks li").inner_text()


def test_play_renders_into_the_audio_element_with_its_timeline(page: Page, tmp_path: Path) -> None:
    page.wait_for_selector("#diagnostics li")
    type_document(page, FIXED)
    page.wait_for_selector("#diagnostics li.clean", timeout=10_000)
    bodies: list[bytes] = []

    def keep(route: Route) -> None:  # the real server answers; the test keeps a copy of the file
        answer = route.fetch()
        bodies.append(answer.body())
        route.fulfill(response=answer)

    page.route("**/v1/audio/speech", keep)
    page.click("#play")
    page.wait_for_selector("#audio[data-bytes]")
    assert len(bodies) == 1
    with wave.open(io.BytesIO(bodies[0])) as w:
        rendered = w.getnframes() / w.getframerate()
    # the page marks the element once the browser has read the file's length (the page's CSP
    # forbids eval, so waiting uses selectors, not wait_for_function)
    page.wait_for_selector("#audio[data-ready]", state="attached", timeout=15_000)
    shown = page.evaluate("document.getElementById('audio').duration")
    assert abs(shown - rendered) <= 0.1 * rendered, (shown, rendered)
    page.wait_for_selector("#timeline .seg")
    assert page.locator("#timeline .seg").count() == 2
    assert page.locator("#timeline .brk").count() == 1
    # the break block is drawn where the 2 s of silence are: about 2/duration of the width
    box = page.locator("#timeline").bounding_box()
    brk = page.locator("#timeline .brk").bounding_box()
    assert box is not None
    assert brk is not None
    assert abs(brk["width"] / box["width"] - 2.0 / rendered) < 0.03
    shots = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "preview.png"), full_page=True)
    assert (shots / "preview.png").stat().st_size > 10_000
