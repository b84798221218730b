# Every target first makes sure .venv exists and matches requirements.txt,
# so any target works first on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp

.PHONY: setup serve build check test schema urls bench preview clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	cp requirements.txt $(STAMP)

# Both build the Pagefind search index after the pages (macros/hook.py on_post_build).
serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Edit one story and see it on save: builds that story with its hubs only (a couple
# of seconds at any number of stories), no search index. Links to other stories 404.
preview: $(STAMP)
	@test -n "$(STORY)" || { echo "usage: make preview STORY=<story id: its file name in stories/ without .md>"; exit 2; }
	RIPPLES_PREVIEW="$(STORY)" $(VENV)/bin/mkdocs serve --no-strict --dev-addr 127.0.0.1:8000

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

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/build.py

clean:
	rm -rf site .pytest_cache
