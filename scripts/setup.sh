#!/usr/bin/env bash
# Create .venv and install the coach with pinned dependencies (idempotent; fast when already done).
# Usage: scripts/setup.sh [--dev]   (--dev adds test tools, Chromium and ffmpeg for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)${1:-}
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q -e ".[dev]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi
if [ "${1:-}" = "--dev" ] && { [ ! -x /usr/bin/chromium ] || ! command -v ffmpeg >/dev/null 2>&1; }; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium chromium-driver ffmpeg >/dev/null
fi
