#!/usr/bin/env bash
# Peak memory and time of a scan of a tar of many tiny entries, beside `bsdtar -tvf`, run by hand (never by
# the test suite). Memory must not grow with the entry count (goal: at most 128 MiB at 1,000,000 entries).
#
#   Tests/Benchmarks/many_entries.sh                  # 200,000 entries
#   ENTRIES=1000000 Tests/Benchmarks/many_entries.sh
#
# Environment: ENTRIES, DATA_DIR (default /tmp/sysscan-many-entries), SYSSCAN (default .build/debug/sysscan).
set -euo pipefail
export LC_ALL=C
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ENTRIES="${ENTRIES:-200000}"
DATA_DIR="${DATA_DIR:-/tmp/sysscan-many-entries}"
SYSSCAN="${SYSSCAN:-$repo/.build/debug/sysscan}"
mkdir -p "$DATA_DIR"
tar="$DATA_DIR/entries-$ENTRIES.tar"
if [ ! -f "$tar" ]; then
    # Headers only, generated as a stream: app logs of one line, in folders of 1,000.
    python3 - "$tar" "$ENTRIES" <<'PY'
import sys, tarfile, io
path, count = sys.argv[1], int(sys.argv[2])
line = b"2026-11-20 10:00:00,000 INFO fine\n"
with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tar:
    for i in range(count):
        info = tarfile.TarInfo(f"node/logs/d{i // 1000}/app-{i}.log")
        info.size = len(line)
        tar.addfile(info, io.BytesIO(line))
PY
fi
measure() { /usr/bin/time -f "%e s, peak %M KiB" "$@" > /dev/null 2> "$DATA_DIR/time.txt" || true; tail -1 "$DATA_DIR/time.txt"; }
echo "entries: $ENTRIES ($(du -h "$tar" | cut -f1))"
echo "bsdtar -tvf:   $(measure bsdtar -tvf "$tar")"
echo "sysscan scan:  $(measure "$SYSSCAN" scan "$tar" --format json -o "$DATA_DIR/report.json" -q)"
