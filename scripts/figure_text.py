#!/usr/bin/python3
"""How large the text of each SVG figure of a built site is drawn, in CSS pixels, at one screen width.

Usage: figure_text.py SITE_DIR [--width 390] [--min 8.5]

A figure's text is sized in its viewBox units (the library's smallest, tick labels, is 11), and an
<img> of the figure scales it by rendered width / viewBox width. For each page this loads it in
headless Chromium (through browser_check.py's DevTools client) at the given width, as a phone
when it is under 800 px, and prints one line per figure: `PAGE FIGURE: N px (rendered W px of V)`,
then `figure text: smallest S px`. Exits 1 if any figure's smallest text is under --min, 2 if
it could not run.
"""

import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_check import Browser  # noqa: E402

MEASURE = """JSON.stringify([...document.querySelectorAll('img[src$=".svg"]')].map(
  i => [i.getAttribute('src'), i.getBoundingClientRect().width]))"""


def smallest_text(svg):
    """The viewBox width and the smallest font size of a figure, in its own units."""
    box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', svg)
    sizes = [float(s) for s in re.findall(r'font-size[:=]"?([\d.]+)(?:px)?', svg)]
    return (float(box.group(1)) if box else None), (min(sizes) if sizes else None)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    site = os.path.abspath(args[0])
    width = int(args[args.index("--width") + 1]) if "--width" in args else 390
    least = float(args[args.index("--min") + 1]) if "--min" in args else 8.5
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("figure_text: no Chromium: install Debian's chromium", file=sys.stderr)
        return 2
    browser = Browser(chromium)
    sizes, failed = [], False
    try:
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 800}, session=True)
        for page in sorted(name for name in os.listdir(site) if name.endswith(".html")):
            browser.call("Page.navigate", {"url": "file://" + os.path.join(site, page)}, session=True)
            browser.wait_for("Page.loadEventFired")
            browser.evaluate("document.fonts.ready.then(() => true)")
            for source, rendered in json.loads(browser.evaluate(MEASURE)):
                with open(os.path.join(site, source), encoding="utf-8") as figure:
                    box, font = smallest_text(figure.read())
                if not box or not font:
                    continue
                size = font * rendered / box
                sizes.append(size)
                print("%s %s: %.1f px (rendered %d px of %g)" % (page, source, size, rendered, box))
                failed |= size < least
    finally:
        browser.close()
    print("figure text: smallest %s px at %d px" % ("%.1f" % min(sizes) if sizes else "-", width))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
