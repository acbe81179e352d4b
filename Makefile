# Two commands do all set-up on a fresh Debian/Ubuntu machine:
#   make demo   -- create .venv (every extra), install, run the main job on the example collection
#   make test   -- create .venv with every extra and the test tools, install system packages, run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM_PACKAGES := fitsverify chromium postgresql

.PHONY: demo test test-under-load venv system-packages docs example bench clean

$(STAMP): pyproject.toml hlsp/_speedups.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all,test]'
	touch $(STAMP)

venv: $(STAMP)

# Installs the system programs the tests use when it can (root on Debian);
# tests that need a missing one skip with a reason (and fail under CI=true).
system-packages:
	@missing=""; \
	command -v fitsverify >/dev/null || missing="$$missing fitsverify"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "warning: could not install$$missing; tests that need them will skip"; \
	  else echo "note: missing$$missing (not root or no apt-get); tests that need them will skip"; fi; \
	fi

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# make test on a fresh clone of HEAD, 3 runs in a row, under a CPU hog per core
# (catches tests that depend on timing; see scripts/under_load.py).
test-under-load:
	$(PYTHON) scripts/under_load.py $(UNDER_LOAD_ARGS)

# Regenerate contributions/example/ (byte-identical unless the generator changed).
example: $(STAMP)
	$(BIN)/python scripts/make_example.py

docs: $(STAMP)
	$(BIN)/hlsp rules --markdown > docs/rules.md

# Benchmarks (see benchmarks/README.md); e.g. make bench BENCH_ARGS="--quick --only A,start"
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
