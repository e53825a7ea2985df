#!/usr/bin/env bash
# SysScan whole-scan benchmark on the uploads of a sick node, run by hand (never by the test suite).
#
#   Tests/Benchmarks/scan.sh                    # 1 GiB of logs, 3 runs per measure
#   SIZE=256M RUNS=1 Tests/Benchmarks/scan.sh   # quick run
#
# Builds (make_sick_node.py, from ../shared/corpus) one sick node's upload: loghub lines as Tomcat, app,
# syslog, auth and httpd logs, a real G1 log whose every line is a long pause, one OutOfMemoryError line
# repeated; and 20,000 small log files. Packs them as tar.gz, zip and tar.zst, and times side by side,
# in one run, page cache warm, medians of RUNS:
#   sysscan scan ARCHIVE --format json -o FILE     against   bsdtar -xOf ARCHIVE > /dev/null
#   sysscan scan FOLDER  --format json -o FILE     against   cat of its files > /dev/null
#   sysscan scan of the GC log alone and of the OOM log alone (MB/s)
#   igzip -dc on the tar.gz, when installed (Debian's isal), as the decompression floor
# with peak RSS (GNU time), and prints the ratios beside the goals.
#
# Environment: SIZE (K/M/G), RUNS, OUT_DIR (default /tmp/sysscan-scan-bench), DATA_DIR (the uploads, built
# once per SIZE; default /tmp/sysscan-scan-bench-data), SYSSCAN (a binary; default:
# swift build -c release --scratch-path .build-bench), THREADS (passed as --threads when set; default: the
# binary's, the cores available).
set -uo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$repo/../shared/corpus"
SIZE="${SIZE:-1G}"
RUNS="${RUNS:-3}"
OUT_DIR="${OUT_DIR:-/tmp/sysscan-scan-bench}"
SYSSCAN="${SYSSCAN:-}"
mkdir -p "$OUT_DIR"

log() { printf '[scan-bench] %s\n' "$*" >&2; }

bytes_of() {
    local v="$1"
    case "$v" in
    *G) echo $((${v%G} << 30)) ;;
    *M) echo $((${v%M} << 20)) ;;
    *K) echo $((${v%K} << 10)) ;;
    *) echo "$v" ;;
    esac
}

[ -d "$corpus/loghub" ] || { echo "scan.sh: $corpus/loghub not found (../shared beside the checkout)" >&2; exit 2; }
for tool in bsdtar python3 /usr/bin/time zstd; do
    command -v "$tool" > /dev/null || { echo "scan.sh: $tool is needed" >&2; exit 2; }
done

if [ -z "$SYSSCAN" ]; then
    log "building release binary"
    (cd "$repo" && swift build -c release --scratch-path "$repo/.build-bench" > "$OUT_DIR.build.log" 2>&1) || {
        echo "scan.sh: build failed, see $OUT_DIR.build.log" >&2
        exit 2
    }
    SYSSCAN="$repo/.build-bench/release/sysscan"
fi
export SYSSCAN_KNOWLEDGE_BASE="${KB:-$repo/KnownIssues}"

data="${DATA_DIR:-/tmp/sysscan-scan-bench-data}/$SIZE"
if [ ! -f "$data/.complete" ]; then
    log "building the uploads in $data"
    rm -rf "$data" && mkdir -p "$data"
    python3 "$here/make_sick_node.py" "$corpus" "$data" "$(bytes_of "$SIZE")" || exit 2
    (cd "$data" && bsdtar -czf node.tar.gz -C node . && bsdtar --format zip -cf node.zip -C node . \
        && bsdtar --zstd -cf node.tar.zst -C node . && bsdtar -czf small.tar.gz -C small .) || exit 2
    touch "$data/.complete"
fi

# median SECONDS of RUNS runs of a command; the largest max RSS (KiB) goes to $OUT_DIR/peak.txt
measure() {
    local times=() peak=0 i t kb
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -f '%e %M' -o "$OUT_DIR/time.txt" "$@" > /dev/null 2> "$OUT_DIR/stderr.txt"
        read -r t kb < <(tail -1 "$OUT_DIR/time.txt")
        times+=("$t")
        [ "$kb" -gt "$peak" ] && peak="$kb"
    done
    echo "$peak" > "$OUT_DIR/peak.txt"
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# /usr/bin/time runs programs, not shell functions: these expand to whole commands.
scan_of() { echo "$SYSSCAN" scan "$1" --format json -o "$OUT_DIR/report.json" --quiet ${THREADS:+--threads "$THREADS"}; }

rows=()
peak_mib() { echo $(($(cat "$OUT_DIR/peak.txt") / 1024)); }
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g) ? "PASS" : "FAIL" }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", b / s / 1e6; else print "n/a" }'; }

for kind in tar.gz zip tar.zst; do
    archive="$data/node.$kind"
    log "node.$kind"
    ref=$(measure bsdtar -xOf "$archive")
    ours=$(measure $(scan_of "$archive"))
    r=$(ratio "$ours" "$ref")
    goal=$([ "$kind" = tar.gz ] && echo 0.6 || echo 1.0)
    row "node.$kind ($(du -h "$archive" | cut -f1))" "$ours s" "bsdtar -xOf $ref s" "$r" "≤ $goal $(verdict "$r" "$goal")" "$(peak_mib) MiB"
done
if command -v igzip > /dev/null; then
    floor=$(measure igzip -dc "$data/node.tar.gz")
    row "igzip -dc node.tar.gz" "$floor s" "" "$(ratio "$floor" "$(measure bsdtar -xOf "$data/node.tar.gz")") of bsdtar" "" ""
fi
log "node folder"
ref=$(measure sh -c "find '$data/node' -type f -exec cat {} + > /dev/null")
ours=$(measure $(scan_of "$data/node"))
r=$(ratio "$ours" "$ref")
row "node folder" "$ours s ($(mbps "$(du -sb "$data/node" | cut -f1)" "$ours") MB/s)" "cat $ref s" "$r" "≤ 5 $(verdict "$r" 5)" "$(peak_mib) MiB"
log "small files"
ref=$(measure bsdtar -xOf "$data/small.tar.gz")
ours=$(measure $(scan_of "$data/small.tar.gz"))
r=$(ratio "$ours" "$ref")
row "20,000 small files, tar.gz" "$ours s" "bsdtar -xOf $ref s" "$r" "≤ 2 $(verdict "$r" 2)" "$(peak_mib) MiB"
for only in gc-only oom-only; do
    log "$only"
    bytes=$(du -sb "$data/$only" | cut -f1)
    ours=$(measure $(scan_of "$data/$only"))
    speed=$(mbps "$bytes" "$ours")
    goal=$([ "$only" = gc-only ] && echo 500 || echo 300)
    pass=$(awk -v s="$speed" -v g="$goal" 'BEGIN { print (s >= g) ? "PASS" : "FAIL" }')
    row "$only ($((bytes / 1048576)) MiB, every line a hit)" "$ours s" "" "$speed MB/s" "≥ $goal MB/s $pass" "$(peak_mib) MiB"
done

{
    echo "## Whole-scan benchmark ($SIZE of logs, median of $RUNS, $(nproc) cores)"
    echo
    echo "| upload | sysscan scan | reference | ratio or speed | goal | peak RSS |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee "$OUT_DIR/results.md"
