#!/usr/bin/env bash
# Set up (first run only: Python deps, Chromium, ffmpeg) and run every test: ruff, mypy, unit, real-model and
# browser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff check coach tests scripts app.py
.venv/bin/python -m mypy  # the files and options are in pyproject.toml
exec .venv/bin/python -m pytest -q "$@"
