#!/usr/bin/env bash
# Renders the HTML report of the committed example log in a real headless browser (Debian's
# chromium) and checks that the page shows its charts: the rendered DOM holds the two stage
# timelines (inline SVG, one bar per stage), and a screenshot has the bars' colour where the
# charts are drawn.
#
# Usage: scripts/check-report-html.sh [OUT_DIR]     (keeps report.html and report.png there)
# Needs: chromium (apt-get install chromium), python3; builds sparkfix unless SPARKFIX is set.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
SPARKFIX="${SPARKFIX:-$REPO/target/debug/sparkfix}"
[ -x "$SPARKFIX" ] || (cd "$REPO" && cargo build --locked --quiet)

cd "$REPO"
"$SPARKFIX" report --unsafe-fixes --format html --output "$OUT/report.html" \
    --profile tests/eventlogs/logs/spark4/customer_purchase_analytics \
    tests/eventlogs/jobs/customer_purchase_analytics.py

browse() {
    "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --no-first-run --disable-extensions "$@" "file://$OUT/report.html" 2>/dev/null
}
browse --dump-dom >"$OUT/dom.html"
browse --window-size=1000,2400 --screenshot="$OUT/report.png" >/dev/null

python3 - "$OUT/dom.html" "$OUT/report.png" <<'PY'
import re, struct, sys, zlib

dom = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg[^>]*class=\"timeline\"", dom)
bars = dom.count('class="stage"')
assert len(svgs) == 2, f"expected 2 timelines in the rendered page, found {len(svgs)}"
assert bars >= 10, f"expected a bar per stage, found {bars}"

def pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG (what chromium writes) into rows of (r, g, b)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1: line[x] = (line[x] + left) & 255
            elif kind == 2: line[x] = (line[x] + up) & 255
            elif kind == 3: line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return rows

rows = pixels(sys.argv[2])
# The stage bars are #4263eb; count pixels near that colour.
bar = sum(1 for row in rows for (r, g, b) in row if abs(r - 0x42) < 24 and abs(g - 0x63) < 24 and abs(b - 0xeb) < 24)
assert bar > 2000, f"the screenshot shows almost no stage bars ({bar} pixels)"
print(f"ok: 2 timelines, {bars} stage bars in the rendered DOM, {bar} bar pixels in the screenshot")
PY
echo "report: $OUT/report.html, screenshot: $OUT/report.png"
