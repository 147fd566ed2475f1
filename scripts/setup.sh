#!/usr/bin/env bash
# Create .venv and install the coach with pinned dependencies (idempotent; fast when already done).
# Usage: scripts/setup.sh [--dev]   (--dev adds test tools, Ray for the batch tests, Chromium and ffmpeg for the
# browser tests, strace)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

apt_install() {  # apt_install PACKAGE… (as root, or through sudo)
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: please install $* (needs root)" >&2; return 1; }
    sudo="sudo"
  fi
  echo "setup: installing $* with apt" >&2
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "$@" >/dev/null
}

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || {
  echo "setup: needs Python 3.11 (found $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
}

# A venv whose pip does not run (e.g. created without ensurepip) is recreated.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt_install python3.11-venv  # Debian/Ubuntu ship venv/ensurepip separately
  fi
  "$PY" -m venv .venv
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${1:-}
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q -e ".[dev,cluster]"  # the tests run batch review on a local Ray too
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi

if [ "${1:-}" = "--dev" ] && { [ ! -x /usr/bin/chromium ] || ! command -v ffmpeg >/dev/null 2>&1 \
    || ! command -v strace >/dev/null 2>&1; }; then
  apt_install chromium ffmpeg strace  # strace: the offline test reads every connection attempt
  [ -x /usr/bin/chromium ] && command -v ffmpeg >/dev/null 2>&1 && command -v strace >/dev/null 2>&1 || {
    echo "setup: chromium, ffmpeg or strace still missing after apt" >&2
    exit 1
  }
fi
