# Every target first makes sure .venv exists and matches requirements.txt,
# so any target works first on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp
# Node tools the tests run (Nu Html Checker), pinned in package-lock.json.
NODE_STAMP := node_modules/.package-lock.stamp

.PHONY: setup serve build check test schema urls bench clean

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	cp requirements.txt $(STAMP)

# --ignore-scripts: vnu-jar's install script would try to download a Java; the
# system's Java runs the jar (tests skip its check on a laptop without Java).
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Never add -q or -v next to --strict: MkDocs 1.6 then lets broken anchors through.
build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict --clean

check: $(STAMP)
	$(PY) -m macros check

schema: $(STAMP)
	$(PY) -m macros schema --write

urls: $(STAMP)
	$(MAKE) build
	$(PY) -m macros urls --update

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/build.py

clean:
	rm -rf site .pytest_cache
