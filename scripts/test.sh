#!/usr/bin/env bash
# Install everything the tests need (Python packages; Debian chromium and CJK fonts for the
# browser tests, sphinxsearch's searchd for the cluster tests, catdoc/antiword for .doc files,
# when missing) and run lint and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
  || ! command -v searchd >/dev/null 2>&1 || ! command -v catdoc >/dev/null 2>&1 \
  || ! command -v antiword >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk sphinxsearch catdoc antiword >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/pytest "$@"
