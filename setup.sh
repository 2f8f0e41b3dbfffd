#!/usr/bin/env bash
# Set up paiban on Debian/Ubuntu, idempotently: pinned system packages (Pango,
# fontconfig, HarfBuzz subsetter, the CJK fonts of fonts/fonts.lock.toml), a virtual
# environment in .venv and the package in it. Run as root (or with sudo available).
#   bash setup.sh          runtime only
#   bash setup.sh --test   also the test tools (pytest, PyMuPDF, pikepdf, Playwright
#                          driving Debian's chromium, poppler-utils, qpdf, Dask)
#   bash setup.sh --cluster  also Dask distributed, for a machine of a paiban cluster
set -euo pipefail
cd "$(dirname "$0")"

# The fonts are pinned: a font update changes the pages, and archived editions
# must rebuild the same. Their sha256 are in fonts/fonts.lock.toml.
packages=(
  "fonts-noto-cjk=1:20220127+repack1-1"
  "fonts-noto-cjk-extra=1:20220127+repack1-1"
  "fonts-lxgw-wenkai=1.250+repack-1"
  # Fallback faces: symbols and marks (DejaVu Sans), rare ideographs of CJK
  # Extensions B–H (HanaMinA, HanaMinB, BabelStone Han).
  "fonts-dejavu-core=2.37-6" "fonts-hanazono=20170904-2.1" "fonts-babelstone-han=15.0.5-2"
  # The default CMYK output profile for print PDFs. Not pinned: Debian replaces the
  # version with every Ghostscript security fix (the old one vanishes from the
  # archive), while the profile itself has not changed; the print cache key hashes it.
  libgs-common
  # Pango and HarfBuzz shape and place every glyph: pinned like the fonts, and
  # checked at start by paiban/environment.py (SHAPING_LIBRARIES).
  "libpango-1.0-0=1.50.12+ds-1" "libpangoft2-1.0-0=1.50.12+ds-1"
  "libharfbuzz0b=6.0.0+dfsg-3" "libharfbuzz-subset0=6.0.0+dfsg-3" fontconfig
  python3 python3-venv python3-pip
)
if [[ "${1:-}" == "--test" ]]; then
  # libatomic1: Playwright's bundled node driver needs it; minimal Debian lacks it.
  packages+=(poppler-utils qpdf chromium libatomic1)
fi

missing=()
for spec in "${packages[@]}"; do
  name=${spec%%=*}
  want=${spec#*=}
  have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
  if [[ "$have" != "install ok installed"* ]] || { [[ "$spec" == *=* ]] && [[ "$have" != *" $want" ]]; }; then
    missing+=("$spec")
  fi
done
if (( ${#missing[@]} )); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

python=python3
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
extra=""; [[ "${1:-}" == "--test" ]] && extra="[test]"
[[ "${1:-}" == "--cluster" ]] && extra="[cluster]"
stamp=".venv/.installed$extra"
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".$extra"
  touch "$stamp"
fi
# An editable install compiles nothing: paiban's bytecode is written here (again for
# the modules changed since), so that no command compiles them first, not even where
# PYTHONDONTWRITEBYTECODE keeps every process from writing it.
.venv/bin/python -m compileall -q paiban >/dev/null
