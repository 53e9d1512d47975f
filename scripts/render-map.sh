#!/usr/bin/env bash
# Development only (not CI): renders a `melcnn map` HTML page (or an SVG) to a PNG with headless
# Chromium (Debian's `chromium` package: apt-get install chromium), to look at it.
# usage: scripts/render-map.sh map.html map.png [width height] [search text]
# (the search text is passed as the page's #search= fragment, to see the highlighting)
set -euo pipefail
IN=${1:?usage: render-map.sh page.html out.png [width height]}
OUT=${2:?usage: render-map.sh page.html out.png [width height]}
W=${3:-1280}
H=${4:-900}
FRAGMENT=${5:+#search=$5}
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || { echo "render-map.sh: chromium not found (apt-get install chromium)" >&2; exit 1; }
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
"$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$PROFILE" \
    --window-size="$W,$H" --screenshot="$(realpath -m "$OUT")" "file://$(realpath "$IN")$FRAGMENT" 2>/dev/null
echo "wrote $OUT"
