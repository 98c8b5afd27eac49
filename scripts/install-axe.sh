#!/usr/bin/env bash
# Fetches axe-core (axe.min.js) for the browser check's accessibility gate from PyPI's
# axe-playwright-python wheel, which ships it, into .build/axe. Only the script is used (injected
# through the browser check's own DevTools client), so Playwright is not installed. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
package="axe-playwright-python==0.1.8"   # ships axe-core 4.12.1
target=.build/axe/axe_playwright_python/axe.min.js
[ -f "$target" ] && exit 0
python=/usr/bin/python3
"$python" -m pip --version >/dev/null 2>&1 || scripts/install-deps.sh python3-pip >/dev/null
mkdir -p .build/axe
"$python" -m pip download -q --no-deps -d .build/axe "$package"
"$python" - <<'PY'
import glob, zipfile
wheel = sorted(glob.glob(".build/axe/axe_playwright_python-*.whl"))[-1]
zipfile.ZipFile(wheel).extract("axe_playwright_python/axe.min.js", ".build/axe")
PY
echo "axe: installed $target from $package"
