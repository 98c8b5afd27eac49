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
# In a folder of its own, then moved into place whole: `make test` runs the browser tests and
# `make browser` at once, and either may be the first to install it.
mkdir -p .build/axe
scratch=$(mktemp -d .build/axe/install.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
"$python" -m pip download -q --no-deps -d "$scratch" "$package"
"$python" - "$scratch" <<'PY'
import glob, sys, zipfile
wheel = sorted(glob.glob(sys.argv[1] + "/axe_playwright_python-*.whl"))[-1]
zipfile.ZipFile(wheel).extract("axe_playwright_python/axe.min.js", sys.argv[1])
PY
mkdir -p "$(dirname "$target")"
mv -f "$scratch/axe_playwright_python/axe.min.js" "$target"
echo "axe: installed $target from $package"
