"""Drive a headless Chromium over the DevTools protocol, through a pipe: no driver, no package.

`--remote-debugging-pipe` makes Chromium read protocol messages from file descriptor 3 and write
them to descriptor 4, each JSON message ended by a NUL byte — no websocket, so the standard
library is enough. Used by the review site's browser test and to take the README's screenshots
(`python -m pipeline.review.browser OUT DEST_DIR`).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Debian's package installs `chromium`; other systems name the same browser differently.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_TIMEOUT = 30.0  # seconds for one page to load or one command to answer, on a loaded CI machine


class BrowserError(Exception):
    """Chromium is missing, exited, or did not answer in time."""


def find_browser() -> str | None:
    """The path of a Chromium-family browser on PATH (or $TONGBAO_CHROMIUM), or None."""
    named = os.environ.get("TONGBAO_CHROMIUM")
    if named:
        return named if Path(named).exists() else shutil.which(named)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, executable: str | None = None, *, width: int = 1400, height: int = 900) -> None:
        executable = executable or find_browser()
        if executable is None:
            raise BrowserError("no chromium on PATH: install Debian's 'chromium' package")
        self._profile = tempfile.mkdtemp(prefix="tongbao-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The browser expects its ends on descriptors 3 and 4 exactly.
        self._process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                f"--user-data-dir={self._profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=_dup_to(to_browser_r, from_browser_w),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page.enable", "Runtime.enable"):
            self.call(domain, session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("chromium exited")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._send(message)
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str) -> None:
        """Load a page and wait for its load event (its scripts have run by then)."""
        self.events.clear()
        navigation = self.call("Page.navigate", {"url": url}, session=True)
        if "loaderId" not in navigation:
            return  # the same page with another #fragment: no new document, no load event
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive(deadline))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the middle of the first element matching `selector` with real mouse events."""
        box = self.evaluate(
            "(function(){var e=document.querySelector(" + json.dumps(selector) + ");"
            "if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
            "return [r.left+r.width/2, r.top+r.height/2];})()"
        )
        if box is None:
            raise BrowserError(f"nothing matches {selector}")
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                session=True,
            )

    def screenshot(self, path: Path) -> None:
        """Save the visible part of the page as PNG."""
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def dialogs(self) -> list[dict[str, Any]]:
        """alert/confirm/prompt dialogs the page opened (a script that ran where it must not)."""
        return [e for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        try:
            self._send({"id": 0, "method": "Browser.close"})
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _dup_to(read_end: int, write_end: int) -> Any:
    def child() -> None:
        # Move both ends above 4 first, so placing one on 3 cannot close the other.
        high_r, high_w = os.dup(read_end), os.dup(write_end)
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)
        os.set_inheritable(3, True)
        os.set_inheritable(4, True)

    return child


def take_screenshots(site: Path, dest: Path, doc_page: str, ref: str) -> list[Path]:
    """Screenshots of a review site's index and of one circular page with row `ref` clicked."""
    dest.mkdir(parents=True, exist_ok=True)
    index, circular = dest / "review-index.png", dest / "review-circular.png"
    with Browser(width=1400, height=900) as browser:
        browser.open((site / "index.html").resolve().as_uri())
        browser.screenshot(index)
        browser.open((site / doc_page).resolve().as_uri())
        browser.click(f"#{ref}")
        browser.evaluate("window.scrollTo(0, 0)")
        browser.screenshot(circular)
    return [index, circular]


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool for docs/ screenshots
    site_dir, out_dir, page, row = sys.argv[1:5]
    for written in take_screenshots(Path(site_dir), Path(out_dir), page, row):
        print(written)
