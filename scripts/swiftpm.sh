#!/usr/bin/env bash
# Runs `swift ARGS...` (build or test) and recovers from a course folder that was copied or
# moved: SwiftPM's module cache records absolute paths, and the compiler then refuses it
# ("was compiled with module cache path ..."). The cache is cleared, with a notice, and the
# command runs once more; everything else SwiftPM built is kept.
set -uo pipefail
swift=${SWIFT:-swift}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$swift" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] && grep -q "was compiled with module cache path" "$log"; then
  echo "swiftpm: this folder moved since its last build; clearing SwiftPM's module cache and trying again"
  find .build -maxdepth 3 -type d -name ModuleCache -prune -exec rm -rf {} +
  "$swift" "$@"
  status=$?
fi
exit "$status"
