#!/usr/bin/env bash
# SysScan upload digest: release-mode benchmark, run by hand (never by the test suite).
#
#   Tests/Benchmarks/sha256.sh                   # 1 GiB file, 3 runs each
#   SIZE=256M RUNS=1 Tests/Benchmarks/sha256.sh  # quick run
#
# Times `sha256sum FILE` and `sysscan digest FILE` (the SHA-256 by which the spool recognises an
# upload) side by side on the same file, in the page cache, alternating the two, and prints the median
# wall time of each and their ratio. Goal: hashing an upload is no slower than sha256sum (ratio <= 1).
#
# Environment:
#   SIZE=1G        file size (K/M/G suffixes, binary), random bytes, in a temporary folder deleted after
#   RUNS=3         runs of each command; the median is reported
#   SYSSCAN=/path  use this sysscan binary instead of building one
#                  (default: swift build -c release --scratch-path "$repo/.build-bench")
#   TMPDIR         where the temporary folder is made
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
SIZE="${SIZE:-1G}"
RUNS="${RUNS:-3}"
SYSSCAN="${SYSSCAN:-}"

log() { printf '[sha256] %s\n' "$*" >&2; }

if [[ -z "$SYSSCAN" ]]; then
    log "building sysscan (release)"
    swift build -c release --package-path "$repo" --scratch-path "$repo/.build-bench" --product sysscan >&2
    SYSSCAN="$repo/.build-bench/release/sysscan"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sysscan-sha256.XXXXXX")"
trap 'rm -rf "$work"' EXIT
file="$work/upload.bin"
log "making a $SIZE file in $work"
head -c "$SIZE" /dev/urandom >"$file"
cat "$file" >/dev/null   # into the page cache

# Wall time of a command, in seconds, its output kept in $work/out.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/out"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

reference=()
ours=()
for ((run = 1; run <= RUNS; run++)); do
    reference+=("$(seconds sha256sum "$file")")
    expected="$(cut -c1-64 "$work/out")"
    ours+=("$(seconds "$SYSSCAN" digest "$file")")
    actual="$(cut -c1-64 "$work/out")"
    if [[ "$expected" != "$actual" ]]; then
        log "digests differ: sha256sum $expected, sysscan $actual"
        exit 1
    fi
    log "run $run: sha256sum ${reference[-1]} s, sysscan ${ours[-1]} s"
done

reference_median="$(median "${reference[@]}")"
ours_median="$(median "${ours[@]}")"
ratio="$(awk -v a="$ours_median" -v b="$reference_median" 'BEGIN { printf "%.2f", a / b }')"
verdict="$(awk -v r="$ratio" 'BEGIN { print (r <= 1) ? "PASS" : "FAIL" }')"
printf '%-26s %s\n' "file" "$SIZE, median of $RUNS runs" \
    "sha256sum" "$reference_median s" \
    "sysscan digest" "$ours_median s" \
    "ratio (sysscan/sha256sum)" "$ratio" \
    "goal (ratio <= 1)" "$verdict"
