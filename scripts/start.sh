#!/usr/bin/env bash
# Set up (first run only) and start the coach app on http://localhost:8501 with the sample videos ready.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" --server.address "${ADDRESS:-localhost}" \
  --browser.gatherUsageStats false "$@"
