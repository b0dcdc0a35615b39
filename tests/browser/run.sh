#!/usr/bin/env bash
# Browser test suite for kader: builds the site twice (at / and under the
# sub-path /kennisbank/) and runs tests/browser/*.test.mjs against it in
# Debian's headless Chromium.
#
#   bash tests/browser/run.sh                 # everything
#   bash tests/browser/run.sh a11y keyboard   # only a11y.test.mjs and keyboard.test.mjs
#   bash tests/browser/run.sh bench/classifier.bench.mjs   # a file by its path here
#
# A test that misses something it needs (an optional page, a visual baseline)
# fails unless KADER_ALLOW_SKIP names it (lib/skip.mjs; never set by
# scripts/test or CI).
#
# Environment (all optional):
#   KADER_BIN=path          use this kader binary instead of `cargo build --release`
#   KADER_SITE_ROOT=dir     site folder to render (default: the repository root)
#   CHROMIUM_PATH=path      browser binary (default /usr/bin/chromium)
#   KADER_KEEP_OUT=1        keep the rendered sites (their folder is printed)
#   KADER_UPDATE_BASELINES=1  rewrite the visual baselines in tests/browser/baselines/
#   KADER_VISUAL=0          skip the pixel-diff comparison (screenshots are still taken)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
START=$(date +%s)

log() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------------------
# (a) Chromium from Debian (Playwright's own browser download is not used).
# ---------------------------------------------------------------------------
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  log "installing Debian chromium"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    chromium fonts-liberation fonts-dejavu-core
  if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "error: $CHROMIUM_PATH is still missing after installing Debian's chromium" >&2
    exit 1
  fi
fi
echo "browser: $("$CHROMIUM_PATH" --version 2>/dev/null || echo "$CHROMIUM_PATH")"

# ---------------------------------------------------------------------------
# (b) npm ci when node_modules is missing or does not match package-lock.json.
# ---------------------------------------------------------------------------
LOCK_SHA="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
STAMP="$HERE/node_modules/.kader-lock-sha256"
if [ ! -d "$HERE/node_modules" ] || [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SHA" ]; then
  log "npm ci"
  (cd "$HERE" && npm ci --no-audit --no-fund)
  echo "$LOCK_SHA" > "$STAMP"
fi

# ---------------------------------------------------------------------------
# (c) Build kader and render the site twice.
# ---------------------------------------------------------------------------
if [ -n "${KADER_BIN:-}" ]; then
  BIN="$KADER_BIN"
else
  log "cargo build --release"
  T0=$(date +%s)
  (cd "$REPO" && cargo build --release)
  BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/kader"
  echo "built in $(( $(date +%s) - T0 ))s"
fi
SITE_ROOT="${KADER_SITE_ROOT:-$REPO}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kader-browser.XXXXXX")"
cleanup() {
  if [ "${KADER_KEEP_OUT:-0}" = "1" ]; then
    echo "rendered sites kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

PORT1="$(node "$HERE/lib/server.mjs" --free-port)"
PORT2="$(node "$HERE/lib/server.mjs" --free-port)"
while [ "$PORT2" = "$PORT1" ]; do PORT2="$(node "$HERE/lib/server.mjs" --free-port)"; done

export KADER_BIN_PATH="$BIN"
export KADER_SITE_DIR="$WORK/site"
export KADER_SITE_URL="http://127.0.0.1:$PORT1/"
export KADER_SUB_DIR="$WORK/sub"
export KADER_SUB_URL="http://127.0.0.1:$PORT2/kennisbank/"

log "kader build (base $KADER_SITE_URL and $KADER_SUB_URL)"
"$BIN" build --quiet --root "$SITE_ROOT" --out "$KADER_SITE_DIR" --base-url "$KADER_SITE_URL"
"$BIN" build --quiet --root "$SITE_ROOT" --out "$KADER_SUB_DIR" --base-url "$KADER_SUB_URL"

# ---------------------------------------------------------------------------
# (d) Run the tests. One file at a time: each file serves the builds on the
# ports baked into them, and two Chromiums on two cores only slow each other.
# ---------------------------------------------------------------------------
export KADER_SCREENSHOT_DIR="$HERE/out/screenshots"
rm -rf "$KADER_SCREENSHOT_DIR"
mkdir -p "$KADER_SCREENSHOT_DIR"

FILES=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do
    case $name in
      *.mjs) FILES+=("$HERE/$name") ;;
      *) FILES+=("$HERE/$name.test.mjs") ;;
    esac
  done
else
  for f in "$HERE"/*.test.mjs; do FILES+=("$f"); done
fi

log "node --test (${#FILES[@]} files)"
STATUS=0
node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec "${FILES[@]}" || STATUS=$?

echo
echo "screenshots: $KADER_SCREENSHOT_DIR ($(find "$KADER_SCREENSHOT_DIR" -name '*.png' | wc -l) png)"
if [ -d "$HERE/out/diff" ]; then echo "visual diffs: $HERE/out/diff"; fi
echo "total time: $(( $(date +%s) - START ))s"
exit "$STATUS"
