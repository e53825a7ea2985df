#!/usr/bin/env bash
# Builds every fuzz target (libFuzzer + AddressSanitizer, debug, with `-enable-testing`) and runs each
# for SECONDS (default 60) on one core, starting from seeds built from the samples, the knowledge base,
# Fuzz/Corpus/ and ../shared/corpus (when present). Prints per target the executions, the coverage
# (`cov:` of libFuzzer's last status line) and the crashes; exits 1 when any target crashed, leaked or
# timed out. Crash inputs are kept in Fuzz/.build/fuzz/<target>/artifacts/; the corpus a run grows
# stays in Fuzz/.build/fuzz/<target>/corpus/ and seeds the next run.
#
# Usage: Fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
all=(FuzzArchive FuzzXMLConfig FuzzProperties FuzzDirectives FuzzJVMOptions FuzzTimestamp FuzzRules FuzzLiterals)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

# The largest input each target is given: archives and documents are worth a few dozen KiB, a log line
# or a pattern far less.
max_len() {
    case "$1" in
        FuzzArchive | FuzzXMLConfig) echo 65536 ;;
        FuzzProperties | FuzzDirectives | FuzzRules) echo 16384 ;;
        FuzzJVMOptions) echo 4096 ;;
        FuzzLiterals) echo 1024 ;;
        FuzzTimestamp) echo 256 ;;
    esac
}

dictionary() {
    case "$1" in
        FuzzXMLConfig) echo xml ;;
        FuzzProperties) echo properties ;;
        FuzzDirectives) echo directives ;;
        FuzzJVMOptions) echo jvm ;;
        FuzzTimestamp) echo timestamp ;;
        FuzzRules) echo rules ;;
        FuzzLiterals) echo regex ;;
        *) echo "" ;;
    esac
}

flags=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)
started=$(date +%s)
swift build "${flags[@]}" >.build-fuzz.log 2>&1 || {
    grep -v "Cannot export local symbol" .build-fuzz.log | tail -40
    exit 2
}
rm -f .build-fuzz.log
bin="$(swift build "${flags[@]}" --show-bin-path)"
echo "fuzz: built in $(($(date +%s) - started)) s"

work=.build/fuzz
rm -rf "$work/seeds"
python3 seeds.py "$work/seeds"

failed=0
printf '%-16s %10s %8s %6s %8s  %s\n' target executions cov ft seconds result
for target in "${targets[@]}"; do
    dir="$work/$target"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    options=(-max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=30
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/")
    dict="$(dictionary "$target")"
    if [ -n "$dict" ]; then options+=(-dict="Dictionaries/$dict.dict"); fi
    seeds=()
    if [ -d "$work/seeds/$target" ]; then seeds=("$work/seeds/$target"); fi
    before=$(date +%s)
    status=0
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$bin/$target" "${options[@]}" "$dir/corpus" "${seeds[@]}" \
        >"$dir/log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - before))
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*' || echo 0)
    ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*' || echo 0)
    if [ "$status" -eq 0 ]; then
        result="no crash"
    else
        failed=1
        artifact=$(grep -o 'Test unit written to [^ ]*' "$dir/log" | tail -1 | sed 's/Test unit written to //')
        result="CRASH (exit $status) ${artifact:-see $dir/log}"
        grep -m1 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$dir/log" | sed 's/^/    /' || true
    fi
    printf '%-16s %10s %8s %6s %8s  %s\n' "$target" "${executions:-0}" "${cov:-0}" "${ft:-0}" "$elapsed" "$result"
done
exit "$failed"
