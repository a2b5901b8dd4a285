#!/usr/bin/env bash
# Opens the HTML change page of Connect 2024/10/23 (botocore 1.35.46 -> 1.35.47, vendored) in
# headless Chromium, checks what the browser parsed, and takes a screenshot.
#
#   tests/scripts/change-page-screenshot.sh [OUT_DIR]     (default: target/change-page)
#
# Writes OUT_DIR/connect-2024-10-23.html, .dom.html (the DOM as Chromium parsed it) and .png.
# Without a Chromium it says so and exits 0: CI machines have none (Debian: apt-get install
# chromium). CODEGEN=path/to/codegen uses that binary instead of building one with cargo.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/target/change-page}"
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$browser" ]]; then
    echo "skipped: no Chromium found (apt-get install chromium, or set CHROMIUM)"
    exit 0
fi

if [[ -z "${CODEGEN:-}" ]]; then
    build=(cargo build --quiet -p codegen)
    if command -v flock >/dev/null; then build=(flock /tmp/cargo-build.lock "${build[@]}"); fi
    (cd "$root" && "${build[@]}")
    CODEGEN="${CARGO_TARGET_DIR:-$root/target}/debug/codegen"
fi

mkdir -p "$out"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
models="$root/tests/fixtures/diff/botocore"
for version in 1.35.46 1.35.47; do
    mkdir -p "$scratch/$version"
    gzip -dc "$models/$version/service-2.json.gz" > "$scratch/$version/service-2.json"
done

page="$out/connect-2024-10-23.html"
"$CODEGEN" diff "$scratch/1.35.46/service-2.json" "$scratch/1.35.47/service-2.json" \
    --format change-page-html --date 2024-10-23 \
    --release-notes "$models/1.35.47/changes.json" > "$page"

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run
    --user-data-dir="$scratch/profile")
"$browser" "${flags[@]}" --dump-dom "file://$page" > "$out/connect-2024-10-23.dom.html" 2>/dev/null
"$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,2000 \
    --screenshot="$out/connect-2024-10-23.png" "file://$page" >/dev/null 2>&1

dom="$out/connect-2024-10-23.dom.html"
fail() { echo "FAILED: $*" >&2; exit 1; }
grep -q '<title>2024/10/23 - Amazon Connect Service - 1 new 2 updated api methods</title>' "$dom" \
    || fail "the title is not in the DOM Chromium parsed"
for method in StartScreenSharing DescribeContact StartWebRTCContact; do
    grep -q "<details id=\"$method\" open=\"\">" "$dom" || fail "no open box for $method"
done
[[ -s "$out/connect-2024-10-23.png" ]] || fail "no screenshot"
echo "ok: $page opened in $("$browser" --version 2>/dev/null | head -1); screenshot $out/connect-2024-10-23.png"
