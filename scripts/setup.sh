#!/usr/bin/env bash
# Installs what nianbao needs on a fresh Debian machine: system packages when missing, then node modules from
# the committed lockfile. Safe to re-run: it only installs what is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || need_apt+=(tesseract-ocr-chi-sim)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "nianbao setup: missing Debian packages ${need_apt[*]} and not root: install them, then re-run" >&2
    exit 1
  fi
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "nianbao setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Exactly the committed lockfile: npm ci never rewrites it. If it fails, package-lock.json is out of sync
  # with package.json: regenerate it with `npm install` and commit both.
  echo "nianbao setup: installing node modules from package-lock.json"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "nianbao setup: npm ci failed: package-lock.json must match package.json (run npm install, commit both)" >&2
    exit 1
  fi
fi
echo "nianbao setup: ready"
