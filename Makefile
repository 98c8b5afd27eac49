# The course: `make site` builds everything and writes site/; `make test` runs every test.
SWIFT ?= swift
CONFIG ?= release
BIN := .build/$(CONFIG)
NOTEBOOK := $(BIN)/notebook
FILTER ?=
FUZZ_SECONDS ?= 600
FUZZ_SEED ?=
FUZZ_CORPUS := Tests/Fuzz/corpus chapters Tests/NotebookTests/Fixtures

# Debian's OpenBLAS 0.3.21 picks Haswell kernels on AVX-512 machines; SkylakeX is ~1.8x faster.
ifneq ($(shell grep -m1 -o avx512f /proc/cpuinfo 2>/dev/null),)
export OPENBLAS_CORETYPE ?= SkylakeX
endif

.PHONY: all deps build libs site test unit check browser student bench clean golden references fuzz fuzz-short \
  test-check test-course test-browser test-others test-fuzz

# `make test` builds first, then runs its phases (below) with SKIP_BUILD=1.
BUILD := $(if $(SKIP_BUILD),,build)

all: site

deps:
	@scripts/install-deps.sh

build: deps
	@SWIFT=$(SWIFT) scripts/swiftpm.sh build -c $(CONFIG)

libs: deps
	@SWIFT=$(SWIFT) scripts/swiftpm.sh build -c $(CONFIG) --product Latent

site: build
	$(NOTEBOOK) build

unit: build
	@SWIFT=$(SWIFT) scripts/swiftpm.sh test

# --strict: a warning (a number typed into prose, a compiler warning) fails the course's check.
check: $(BUILD)
	$(NOTEBOOK) check --strict

# Everything `unit`, `fuzz-short`, `check` and `browser` run, in two lanes at once once all is
# built: no phase keeps a 2-core machine busy on its own (chapter programs, compilers, Chromium
# and the tests wait on each other). The course lane runs `check`, which runs the instructor's
# chapters, then CourseExerciseTests, which finds them in the cache and runs the student edition
# (resumed from their checkpoints), then `browser`, which finds both editions in the cache; the
# other lane runs the rest of the unit tests, then fuzz-short. Each phase's output is printed when
# it ends, with a `time: PHASE N s` line. SwiftPM locks .build while it runs, so
# CourseExerciseTests runs from the test bundle.
XCTEST := .build/debug/LatentCoursePackageTests.xctest
COURSE_TESTS := CourseExerciseTests
test:
	@scripts/timed.sh build $(MAKE) --no-print-directory build
	@SWIFT=$(SWIFT) scripts/timed.sh build-tests scripts/swiftpm.sh build --build-tests
	@$(MAKE) --no-print-directory -j2 --output-sync=target SKIP_BUILD=1 test-browser test-fuzz

test-check:
	@scripts/timed.sh check $(MAKE) --no-print-directory check

test-course: test-check
	@scripts/timed.sh course-tests $(XCTEST) NotebookTests.$(COURSE_TESTS)

test-browser: test-course
	@scripts/timed.sh browser $(MAKE) --no-print-directory browser

test-others:
	@SWIFT=$(SWIFT) scripts/timed.sh other-tests scripts/swiftpm.sh test --skip-build --skip $(COURSE_TESTS)

test-fuzz: test-others
	@scripts/timed.sh fuzz-short $(MAKE) --no-print-directory fuzz-short

# Mutated chapters through every stage that needs no compiler: fails on a crash, an input slower
# than 2 s of CPU time, or a line outside the file; the failing input, shrunk, lands in .build/fuzz.
fuzz: build
	$(BIN)/notebook-fuzz --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) $(FUZZ_CORPUS)

# Half a minute of fuzzing in `make test`, from a fixed seed so it tries the same inputs in the
# same order; how many it reaches depends on the machine (about 2,500 here), so the long
# exploration is `make fuzz`, and what it finds joins Tests/Fuzz/corpus.
fuzz-short: $(BUILD)
	$(BIN)/notebook-fuzz --seconds 30 --seed 19 $(FUZZ_CORPUS)

# The course site and its student edition in headless Chromium (skipped when Chromium is
# missing, except under CI); screenshots at phone and desktop widths, light and dark, land in
# .build/screenshots (the student edition's in .build/screenshots/student).
# axe-core (scripts/install-axe.sh, from PyPI) checks every page of the course site, light and
# dark, for serious or critical accessibility violations (the student edition's pages share its
# templates and are not checked again, to keep CI short); under CI a failed install fails it.
# With Chromium present, its DevTools client (python3-websocket) is installed when missing;
# if that cannot be done the browser check is skipped with a notice (CI installs both first).
AXE := .build/axe/axe_playwright_python/axe.min.js
browser: $(BUILD)
	@if [ -x /usr/bin/chromium ] && [ -z "$$CI" ] && ! /usr/bin/python3 -c 'import websocket' 2>/dev/null; then \
	  scripts/install-deps.sh python3-websocket || echo "browser: could not install python3-websocket"; fi
	@if { [ -x /usr/bin/chromium ] && /usr/bin/python3 -c 'import websocket' 2>/dev/null; } || [ -n "$$CI" ]; then \
	  if ! scripts/install-axe.sh; then \
	    if [ -n "$$CI" ]; then exit 1; fi; \
	    echo "browser: axe-core could not be installed from PyPI (scripts/install-axe.sh): the accessibility check is skipped"; fi; \
	  axe=""; [ -f $(AXE) ] && axe="--axe $(AXE)"; \
	  $(NOTEBOOK) build --out .build/browser-site && \
	  scripts/browser_check.py .build/browser-site --screenshots .build/screenshots --search pathwise=05-reparameterization.html $$axe && \
	  $(NOTEBOOK) build --edition student --out .build/browser-student && \
	  scripts/browser_check.py .build/browser-student/site --screenshots .build/screenshots/student; \
	else echo "browser: skipped (needs Debian's chromium and python3-websocket: scripts/install-deps.sh chromium python3-websocket)"; fi

# The student edition: chapters without solutions and their site, in student/.
student: build
	$(NOTEBOOK) build --edition student --out student

bench: build
	@scripts/bench.sh "$(FILTER)"

clean:
	rm -rf .build site student .notebook-cache

# Re-records the golden HTML of the fixture chapter and the writer's per-construct snapshots; review
# the diff before committing.
golden: build
	NOTEBOOK_RECORD=1 $(SWIFT) test --filter "GoldenPageTests|WriterSnapshotTests"

# Recomputes every external reference the chapters check with numpy, scipy, scikit-learn and
# mpmath at pinned versions (in a virtual environment under .build), and fails on a mismatch.
references:
	@scripts/install-deps.sh python3-venv
	@[ -x .build/references-venv/bin/python ] || python3 -m venv .build/references-venv
	@.build/references-venv/bin/pip install -q -r scripts/requirements-references.txt
	.build/references-venv/bin/python scripts/references.py --check
