#!/usr/bin/python3
"""Loads every page of a built site in headless Chromium and fails on what a reader would hit.

Usage: browser_check.py SITE_DIR [--screenshots DIR] [--search WORD=PAGE ...] [--axe AXE_MIN_JS] [--jobs N]

Drives Chromium through the DevTools protocol (Debian's chromium and python3-websocket) and
reports, one line each, `PAGE: problem`:
  - a console error or an uncaught exception,
  - a failed request (a missing stylesheet, font, figure or script),
  - a link to an anchor that does not exist on its page, or to a page that is not in the site,
  - an image without alt text, or one that did not load,
  - a KaTeX error left in the page,
  - a display equation wider than the text column at desktop width,
  - a page wider than a phone's screen (390 px): the whole page scrolls sideways,
  - a citation whose full reference does not show when the citation has keyboard focus,
  - a formula without KaTeX's MathML (what screen readers read),
  - with --axe (axe-core's axe.min.js, from PyPI's axe-playwright-python): any serious or
    critical accessibility violation axe-core finds, in light and in dark mode,
  - an explorable figure (`figure.explorable`) whose slider does not appear, or does not change
    the picture (its pixels, its alt text and the value shown) when set to another value, and
    again when moved by an arrow key,
  - with --search WORD=PAGE: on the index, `/` then WORD in the search box must list a result
    linking into PAGE, and following it must land on that section (repeatable).
With --screenshots it saves each page at phone (390 px) and desktop (1280 px) widths, in light
and dark mode, for a person to look at. Pages are checked --jobs at a time, each in its own
Chromium (default: one per core). Exits 1 if any problem was found, 2 if it could not run.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import unquote, urljoin, urlparse

try:
    import websocket  # Debian: python3-websocket
except ImportError:
    print("browser_check: install Debian's python3-websocket", file=sys.stderr)
    sys.exit(2)

WIDTHS = {"phone": 390, "desktop": 1280}
SCHEMES = ["light", "dark"]
PAGE_CHECKS = r"""
(() => {
  const problems = [];
  for (const img of document.images) {
    if (!img.getAttribute('alt')) problems.push('image without alt text: ' + img.getAttribute('src'));
    else if (img.complete && img.naturalWidth === 0) problems.push('image did not load: ' + img.getAttribute('src'));
  }
  for (const eq of document.querySelectorAll('.katex-display')) {
    if (eq.scrollWidth > eq.clientWidth + 1) {
      const tex = eq.querySelector('.katex-mathml');
      problems.push('display equation wider than the column at desktop width (split it over lines): ' +
                    (tex ? tex.textContent : '').replace(/\s+/g, ' ').slice(0, 60));
    }
  }
  const noMathML = [...document.querySelectorAll('.katex')].filter(k => !k.querySelector('.katex-mathml math'));
  if (noMathML.length) problems.push(noMathML.length + ' formula(s) without MathML for screen readers');
  const errors = document.querySelectorAll('.katex-error');
  if (errors.length) problems.push(errors.length + ' KaTeX error(s), first: ' + errors[0].textContent);
  const citation = document.querySelector('a.citation');
  if (citation) {
    citation.focus();
    const note = citation.parentElement.querySelector('.cite-note');
    if (!note || getComputedStyle(note).display === 'none' || !note.textContent.trim())
      problems.push('a focused citation does not show its reference: ' + citation.textContent);
    const entry = document.getElementById(citation.getAttribute('href').slice(1));
    if (!entry) problems.push('a citation links to no entry: ' + citation.getAttribute('href'));
    citation.blur();
  }
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) links.push(a.href);
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return JSON.stringify({problems, links, ids, height: document.documentElement.scrollHeight});
})()
"""
# At phone width nothing may make the whole page wider than the screen (a box may scroll inside
# itself). The culprit is found by hiding elements, deepest first, since overflowing text (a long
# word in a heading) lies outside its element's box.
PHONE_CHECK = r"""
((width) => {
  const page = () => document.documentElement.scrollWidth;
  const wide = page();
  if (wide <= width + 1) return null;
  let culprit = document.body;
  for (let searching = true; searching;) {
    searching = false;
    for (const child of culprit.children) {
      const display = child.style.display;
      child.style.display = 'none';
      const narrower = page() < wide;
      child.style.display = display;
      if (narrower) { culprit = child; searching = true; break; }
    }
  }
  const name = culprit.tagName.toLowerCase() + (culprit.getAttribute('class') ? '.' + culprit.getAttribute('class').split(' ')[0] : '');
  const text = (culprit.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50);
  return 'page is ' + wide + ' px wide on a ' + width + ' px phone screen (because of ' + name + ' «' + text + '»)';
})
"""


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="browser-check-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + self.profile,
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and len(open(port_file).read().split("\n")) >= 2):
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        port, path = open(port_file).read().split("\n")[:2]
        self.socket = websocket.create_connection("ws://127.0.0.1:%s%s" % (port, path), timeout=60)
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ["Page", "Runtime", "Log", "Network"]:
            self.call(domain + ".enable", session=True)
        # Scrollbars fade in and out; hidden, the same page gives the same screenshot.
        self.call("Emulation.setScrollbarsHidden", {"hidden": True}, session=True)

    def call(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    del self.events[index]
                    return event
            self.socket.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.socket.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise RuntimeError("timed out waiting for " + method)

    def drain(self, seconds):
        """Collects events for a while (late requests, fonts)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.socket.settimeout(max(0.05, deadline - time.time()))
            try:
                self.events.append(json.loads(self.socket.recv()))
            except websocket.WebSocketTimeoutException:
                break
        self.socket.settimeout(60)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=True)
        return result["result"].get("value")

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events):
    """Console errors, exceptions and failed requests among the protocol events."""
    found = []
    requests = {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            url = requests.get(params["requestId"], "?")
            found.append("failed request: %s (%s)" % (url, params.get("errorText")))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append("uncaught exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append("console error: %s %s" % (params["entry"]["text"], params["entry"].get("url", "")))
    return found


AXE_RUN = r"""
axe.run(document, {resultTypes: ['violations']}).then(result => JSON.stringify(
  result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
    v.id + ' (' + v.impact + '): ' + v.help + ', ' + v.nodes.length + ' element(s), first ' +
    v.nodes[0].target.join(' ') + ((v.nodes[0].any[0] || {}).message ? ': ' + v.nodes[0].any[0].message : ''))))
"""


def axe_problems(browser, axe_source):
    """axe-core's serious and critical violations on the loaded page, in light and dark mode."""
    found = []
    browser.evaluate(axe_source + ";true")
    for scheme in SCHEMES:
        browser.call("Emulation.setEmulatedMedia",
                     {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session=True)
        found += ["axe, %s mode: %s" % (scheme, v) for v in json.loads(browser.evaluate(AXE_RUN))]
    browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
    return found


def load(browser, url):
    browser.events.clear()
    browser.call("Page.navigate", {"url": url}, session=True)
    browser.wait_for("Page.loadEventFired")
    browser.drain(0.2)


def wait_until(browser, expression, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = browser.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    return None


EXPLORABLE_STATE = r"""
((id) => {
  const f = document.getElementById(id), img = f.querySelector('img'), input = f.querySelector('input[type=range]');
  const out = f.querySelector('output');
  return JSON.stringify({value: input.value, min: input.min, max: input.max, src: img.currentSrc || img.src,
                         alt: img.alt, shown: out.textContent, loaded: img.complete && img.naturalWidth > 0});
})
"""


def picture(browser, figure_id):
    """The explorable figure's image as the screen shows it (a PNG screenshot of its box)."""
    # Lazy images load once scrolled into view.
    browser.evaluate("document.getElementById(%s).querySelector('img').scrollIntoView({block: 'center'})"
                     % json.dumps(figure_id))
    wait_until(browser, "(() => { const i = document.getElementById(%s).querySelector('img'); "
                        "return i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 0; })()"
               % json.dumps(figure_id))
    box = json.loads(browser.evaluate(
        "(() => { const r = document.getElementById(%s).querySelector('img').getBoundingClientRect(); "
        "return JSON.stringify({x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: Math.max(r.height, 1)}); })()"
        % json.dumps(figure_id)))
    browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": dict(box, scale=1)}, session=True)
    return shot["data"]


def frame_file(page_url, src):
    """The bytes a frame's src stands for: a data: URI decoded, or the file beside the page."""
    if src.startswith("data:"):
        return unquote(src.split(",", 1)[1]).encode("utf-8")
    path = unquote(urlparse(urljoin(page_url, src)).path)
    with open(path, "rb") as handle:
        return handle.read()


def set_slider(browser, figure_id, value):
    """Sets an explorable figure's slider to VALUE as a script would, and tells the page."""
    browser.evaluate("(() => { const i = document.getElementById(%s).querySelector('input[type=range]'); "
                     "i.value = %s; i.dispatchEvent(new Event('input', {bubbles: true})); })()"
                     % (json.dumps(figure_id), json.dumps(value)))


def check_explorables(browser, page_url):
    """Moves each explorable figure's slider, by value and by an arrow key, and compares the
    picture before and after; returns (problems, number of figures checked)."""
    ids = browser.evaluate("[...document.querySelectorAll('figure.explorable')].map(f => f.id)") or []
    problems = []
    for figure_id in ids:
        where = "explorable figure #%s" % figure_id
        if not wait_until(browser, "document.getElementById(%s).hasAttribute('data-ready') && "
                                   "!document.getElementById(%s).querySelector('.explore').hidden"
                          % (json.dumps(figure_id), json.dumps(figure_id))):
            problems.append("%s: its slider never appeared (frames not loaded)" % where)
            continue
        state = lambda: json.loads(browser.evaluate("%s(%s)" % (EXPLORABLE_STATE.strip(), json.dumps(figure_id))))
        loaded = lambda: wait_until(browser, "(() => { const i = document.getElementById(%s).querySelector('img'); "
                                             "return i.complete && i.naturalWidth > 0; })()" % json.dumps(figure_id))
        before, before_pixels = state(), picture(browser, figure_id)
        initial = before
        if int(before["max"]) < 1:
            problems.append("%s: a slider with one frame" % where)
            continue
        # By value: the other end of the range from where it starts.
        target = before["min"] if int(before["value"]) == int(before["max"]) else before["max"]
        set_slider(browser, figure_id, target)
        loaded()
        moved, moved_pixels = state(), picture(browser, figure_id)
        for what, key in [("set to another value", None), ("moved by an arrow key", "ArrowLeft")]:
            if key:
                before, before_pixels = moved, moved_pixels
                key = "ArrowLeft" if int(before["value"]) > int(before["min"]) else "ArrowRight"
                code = 37 if key == "ArrowLeft" else 39
                browser.evaluate("document.getElementById(%s).querySelector('input[type=range]').focus()"
                                 % json.dumps(figure_id))
                for kind in ("keyDown", "keyUp"):
                    browser.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                            "windowsVirtualKeyCode": code}, session=True)
                loaded()
                moved, moved_pixels = state(), picture(browser, figure_id)
                if abs(int(moved["value"]) - int(before["value"])) != 1:
                    problems.append("%s: %s moved the slider from %s to %s" % (where, key, before["value"], moved["value"]))
            if moved["src"] == before["src"] or moved_pixels == before_pixels:
                problems.append("%s: the picture did not change when the slider was %s" % (where, what))
            if moved["alt"] == before["alt"] or moved["shown"] == before["shown"]:
                problems.append("%s: the alt text or the value shown did not change when the slider was %s" % (where, what))
            if not moved["loaded"]:
                problems.append("%s: the frame did not load when the slider was %s" % (where, what))
        # Dark mode: a frame the script drew (a data: URI, not a .svg file) keeps the light
        # plot background its black axes and text need.
        browser.call("Emulation.setEmulatedMedia",
                     {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}, session=True)
        background = browser.evaluate("getComputedStyle(document.getElementById(%s).querySelector('img'))"
                                      ".backgroundColor" % json.dumps(figure_id))
        browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
        if moved["src"].startswith("data:image/svg") and background in ("rgba(0, 0, 0, 0)", "transparent"):
            problems.append("%s: in dark mode a moved SVG frame has no light background" % where)
        # Back at the first value, the script's frame is the one the page was written with:
        # the same picture and alt text (a frame off by one, or joined wrongly, is not).
        set_slider(browser, figure_id, initial["value"])
        loaded()
        back = state()
        # The frame the script built must be, byte for byte, the one the page was written with
        # (compared as files: two screenshots of one picture may differ while it is decoded).
        if frame_file(page_url, back["src"]) != frame_file(page_url, initial["src"]):
            problems.append("%s: back at its first value the slider shows another picture than the page "
                            "was written with" % where)
        if back["alt"] != initial["alt"] or back["shown"] != initial["shown"]:
            problems.append("%s: back at its first value the slider shows another alt text or value" % where)
    return problems, len(ids)


def check_search(browser, site, word, page):
    """Types WORD in the index's search box as a reader would and follows the result into PAGE."""
    load(browser, "file://" + os.path.join(site, "index.html"))
    browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "/", "code": "Slash", "text": "/",
                                            "windowsVirtualKeyCode": 191}, session=True)
    browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "/", "code": "Slash",
                                            "windowsVirtualKeyCode": 191}, session=True)
    if not browser.evaluate("document.activeElement && document.activeElement.id === 'search'"):
        return ["index.html: `/` does not focus the search box"]
    browser.call("Input.insertText", {"text": word}, session=True)
    hrefs = wait_until(browser, "(() => { const a = [...document.querySelectorAll('#search-results a')]; "
                                "return a.length ? a.map(x => x.getAttribute('href')) : null; })()")
    if not hrefs:
        return ["index.html: searching for %r lists no result" % word]
    target = next((h for h in hrefs if h.split("#")[0] == page), None)
    if not target:
        return ["index.html: searching for %r lists no result in %s (got %s)" % (word, page, ", ".join(hrefs[:5]))]
    browser.evaluate("document.querySelector('#search-results a[href=\"%s\"]').click()" % target)
    landed = wait_until(browser, "location.href.endsWith(%s) && document.readyState === 'complete' && location.href"
                        % json.dumps(target))
    if not landed:
        return ["index.html: following the result %s did not open it" % target]
    if "#" in target:
        anchor = target.split("#", 1)[1]
        where = browser.evaluate("(() => { const e = document.getElementById(%s); if (!e) return 'missing'; "
                                 "const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight ? 'visible' : 'off'; })()"
                                 % json.dumps(anchor))
        if where != "visible":
            return ["%s: the search result's section #%s is %s after following it" % (page, anchor, where)]
    return []


def check_page(browser, site, page, shots, axe_source):
    """Every check of one page; returns (problems, its ids, its links, explorable figures)."""
    url = "file://" + os.path.join(site, page)
    browser.events.clear()
    # Each page starts as the first did: desktop width, the default colour scheme.
    browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTHS["desktop"], "height": 900, "deviceScaleFactor": 1, "mobile": False},
                 session=True)
    browser.call("Page.navigate", {"url": url}, session=True)
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("document.fonts.ready.then(() => true)")
    browser.drain(0.3)
    report = json.loads(browser.evaluate(PAGE_CHECKS))
    problems = problems_in(browser.events) + report["problems"]
    if axe_source:
        problems += axe_problems(browser, axe_source)
    moved, explorables = check_explorables(browser, url)
    problems += moved
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTHS["phone"], "height": 900, "deviceScaleFactor": 1, "mobile": True},
                 session=True)
    browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    too_wide = browser.evaluate("%s(%d)" % (PHONE_CHECK.strip(), WIDTHS["phone"]))
    if too_wide:
        problems.append(too_wide)
    if shots:
        for scheme in SCHEMES:
            browser.call("Emulation.setEmulatedMedia",
                         {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session=True)
            for name, width in WIDTHS.items():
                browser.call("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": 900, "deviceScaleFactor": 1,
                              "mobile": name == "phone"}, session=True)
                # A viewport as tall as the page: capturing beyond the viewport
                # sometimes leaves scrolled boxes (wide equations) unpainted.
                height = min(browser.evaluate("document.documentElement.scrollHeight"), 16000)
                browser.call("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": height, "deviceScaleFactor": 1,
                              "mobile": name == "phone"}, session=True)
                browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=True)
                with open(os.path.join(shots, "%s-%s-%s.png" % (page[:-5], name, scheme)), "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
    return ["%s: %s" % (page, p) for p in problems], set(report["ids"]), report["links"], explorables


def run_tasks(chromium, tasks, jobs):
    """Runs TASKS (functions of a Browser) on JOBS Chromiums at once, each taking the next task
    when it is done with one; returns their results in order. Pages are independent, so a
    2-core machine checks two at a time (axe-core and screenshots keep one core busy each)."""
    results = [None] * len(tasks)
    pending = list(enumerate(tasks))
    lock = threading.Lock()
    failures = []

    def work():
        try:
            browser = Browser(chromium)
        except Exception as error:  # noqa: BLE001 - reported after the other workers finish
            failures.append(error)
            return
        try:
            while not failures:
                with lock:
                    if not pending:
                        return
                    index, task = pending.pop(0)
                results[index] = task(browser)
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            browser.close()

    workers = [threading.Thread(target=work) for _ in range(max(1, min(jobs, len(tasks))))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    return results


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    site = os.path.abspath(args[0])
    shots = os.path.abspath(args[args.index("--screenshots") + 1]) if "--screenshots" in args else None
    searches = [args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "--search"]
    axe_source = open(args[args.index("--axe") + 1]).read() if "--axe" in args else None
    jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else len(os.sched_getaffinity(0))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("browser_check: no Chromium: install Debian's chromium", file=sys.stderr)
        return 2
    pages = sorted(name for name in os.listdir(site) if name.endswith(".html"))
    if shots:
        os.makedirs(shots, exist_ok=True)
    # The largest pages (with their figures) first, so that no long page is left to check alone
    # at the end.
    figures = os.path.join(site, "figures")
    figure_files = os.listdir(figures) if os.path.isdir(figures) else []

    def size(page):
        stem = page[:-len(".html")] + "-"
        return os.path.getsize(os.path.join(site, page)) + sum(
            os.path.getsize(os.path.join(figures, name)) for name in figure_files if name.startswith(stem))

    order = sorted(pages, key=lambda page: (-size(page), page))
    tasks = [lambda browser, page=page: check_page(browser, site, page, shots, axe_source) for page in order]

    def search(browser, word, page):
        browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": WIDTHS["desktop"], "height": 900, "deviceScaleFactor": 1, "mobile": False},
                     session=True)
        return check_search(browser, site, word, page)

    tasks += [lambda browser, word=word, page=page: search(browser, word, page) for word, page in searches]
    results = run_tasks(chromium, tasks, jobs)
    checked = dict(zip(order, results))
    problems, ids, links = [], {}, {}
    explorables = 0
    for page in pages:
        page_problems, ids[page], links[page], count = checked[page]
        problems += page_problems
        explorables += count
    for (word, page), found in zip(searches, results[len(order):]):
        problems += found
        if not found:
            print("search: %r leads to %s" % (word, page), file=sys.stderr)
    # Links between pages: the target page must exist and hold the anchor.
    for page, hrefs in links.items():
        for href in hrefs:
            parsed = urlparse(href)
            if parsed.scheme != "file":
                continue
            target = os.path.relpath(unquote(parsed.path), site)
            if target not in ids:
                problems.append("%s: broken link to %s" % (page, target))
            elif parsed.fragment and unquote(parsed.fragment) not in ids[target]:
                problems.append("%s: broken link to %s#%s (no such anchor)" % (page, target, parsed.fragment))
    for problem in problems:
        print(problem)
    if axe_source:
        print("axe-core: %d pages, light and dark" % len(pages), file=sys.stderr)
    if explorables:
        print("explorable figures: %d, each slider moved by value and by arrow key" % explorables, file=sys.stderr)
    print("browser check: %d pages, %d problems" % (len(pages), len(problems)), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
