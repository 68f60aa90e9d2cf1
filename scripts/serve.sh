#!/usr/bin/env bash
# Install Fazhi Index into .venv, index corpus/ and serve the web UI on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
.venv/bin/fazhi index corpus --index index
exec .venv/bin/fazhi serve --index index --host 127.0.0.1 --port "${PORT:-8080}"
