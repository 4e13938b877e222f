# The README's commands. `make run` and `make test` set up everything they need from the repo alone.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test lint bench demo clean

$(BIN)/python:
	$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "清风需要 Python 3.11 或更高版本")'
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-run
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Secrets of this machine (git-ignored): the Django secret, the HMAC-SM3 key of the audit chain and the SM4 key of
# the confidential 四种形态 ledger.
.env: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print("QINGFENG_SECRET_KEY=" + secrets.token_urlsafe(50)); print("QINGFENG_AUDIT_KEY=" + secrets.token_hex(32)); print("QINGFENG_LEDGER_KEY=" + secrets.token_hex(16))' > .env
	@echo "已生成本机密钥文件 .env（请妥善保管，勿提交）"

run: $(VENV)/.installed-run .env
	$(BIN)/qingfeng migrate --noinput -v0
	$(BIN)/qingfeng demo
	@echo ""
	@echo "清风已启动：http://$(HOST):$(PORT)/   （Ctrl+C 停止）"
	$(BIN)/qingfeng runserver $(HOST):$(PORT)

serve: $(VENV)/.installed-run .env
	$(BIN)/qingfeng migrate --noinput -v0
	$(BIN)/qingfeng serve --host $(HOST) --port $(PORT)

# The whole suite. pytest's "no tests ran" (exit 5) is a failure here.
test: $(VENV)/.installed-dev .env
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no tests: failing"; exit 1; fi; exit $$rc

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

bench: $(VENV)/.installed-dev .env
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var test-output
