#!/usr/bin/env bash
# Set up this checkout on a fresh Debian/Ubuntu machine: Korean fonts, then a virtualenv in .venv.
#   bash deploy/setup.sh          # run-time only: decode, canonicalise, classify (no torch)
#   bash deploy/setup.sh --dev    # plus training, benchmarks and the test tools (torch, pytest)
# Fonts come from Debian's packages; they render the synthetic training letters and Hangul chart
# labels. Without apt (or without root) the step is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

FONT_PACKAGES=(fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-unfonts-extra
               fonts-baekmuk fonts-alee fonts-woowa-bm fontconfig)
PYTHON=${PYTHON:-python3}
EXTRAS=""
[[ "${1:-}" == "--dev" ]] && EXTRAS="[dev]"

if ! dpkg -s "${FONT_PACKAGES[@]}" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "== installing Korean fonts"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${FONT_PACKAGES[@]}" >/dev/null
  else
    echo "warning: cannot install ${FONT_PACKAGES[*]} (needs apt and root); synthetic data" \
         "and Hangul chart labels need them" >&2
  fi
fi

echo "== installing hangul-tutor${EXTRAS} into .venv"
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${EXTRAS}"
echo "== ready: .venv/bin/hangul-ml --help"
