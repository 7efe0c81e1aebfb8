#!/usr/bin/env bash
# Set up this checkout on a fresh Debian/Ubuntu machine: Korean fonts, then a virtualenv in .venv.
#   bash deploy/setup.sh          # run-time only: decode, canonicalise, classify (no torch)
#   bash deploy/setup.sh --dev    # plus training, benchmarks and the test tools (torch, pytest)
# Fonts come from Debian's packages and from npm's @fontsource handwriting families (the Korean
# subset's .woff of each, copied to $HANGUL_NPM_FONT_DIR); they render the synthetic training
# letters and Hangul chart labels. SPEECH_PACKAGES speak a letter's sound offline (espeak-ng's
# Korean voice, bot/core/speech.py; docs/speech.md says why). Without apt/root or npm those steps
# are skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

FONT_PACKAGES=(fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-unfonts-extra
               fonts-baekmuk fonts-alee fonts-woowa-bm fontconfig)
SPEECH_PACKAGES=(espeak-ng
                 espeak-ng-data)
PYTHON=${PYTHON:-python3}
EXTRAS=""
[[ "${1:-}" == "--dev" ]] && EXTRAS="[dev]"

# debian_packages WHAT WITHOUT PACKAGE...: install the packages that are missing, saying WHAT;
# without apt and root, warn what goes WITHOUT them.
debian_packages() {
  local what=$1 without=$2
  shift 2
  dpkg -s "$@" >/dev/null 2>&1 && return
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "== installing $what"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "$@" >/dev/null
  else
    echo "warning: cannot install $* (needs apt and root); $without" >&2
  fi
}
debian_packages "Korean fonts" "synthetic data and Hangul chart labels need them" \
  "${FONT_PACKAGES[@]}"
debian_packages "offline Korean speech" "letters are sent without their sound" \
  "${SPEECH_PACKAGES[@]}"

# Handwriting families of @fontsource (major version 5, yeon-sung only published as 4).
NPM_FONTS=(gaegu@5 gamja-flower@5 hi-melody@5 single-day@5 east-sea-dokdo@5 poor-story@5
           yeon-sung@4 nanum-pen-script@5 nanum-brush-script@5 cute-font@5 kirang-haerang@5)
NPM_FONT_DIR=${HANGUL_NPM_FONT_DIR:-$HOME/.local/share/fonts/hangul-tutor}
if [[ $(ls "$NPM_FONT_DIR"/*.woff 2>/dev/null | wc -l) -lt ${#NPM_FONTS[@]} ]]; then
  if command -v npm >/dev/null 2>&1; then
    echo "== installing handwriting fonts from npm into $NPM_FONT_DIR"
    packs=$(mktemp -d)
    mkdir -p "$NPM_FONT_DIR"
    for font in "${NPM_FONTS[@]}"; do
      if (cd "$packs" && npm pack --silent "@fontsource/$font" >/dev/null 2>&1); then
        tar -xzf "$packs"/fontsource-"${font%@*}"-*.tgz -C "$packs" \
            "package/files/${font%@*}-korean-400-normal.woff"
        cp "$packs/package/files/${font%@*}-korean-400-normal.woff" "$NPM_FONT_DIR/"
      else
        echo "warning: npm could not fetch @fontsource/$font" >&2
      fi
    done
    rm -rf "$packs"
  else
    echo "warning: npm not found; the @fontsource handwriting fonts are not installed" >&2
  fi
fi

echo "== installing hangul-tutor${EXTRAS} into .venv"
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${EXTRAS}"
echo "== ready: .venv/bin/hangul-bot console  (or .venv/bin/hangul-ml --help)"
