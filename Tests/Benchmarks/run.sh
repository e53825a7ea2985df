#!/usr/bin/env bash
# SysScan multi-pattern line matcher: release-mode benchmark, run by hand (never by the test suite).
#
#   Tests/Benchmarks/run.sh                      # 1 GiB corpus, 3 runs per configuration
#   SIZE=256M RUNS=1 Tests/Benchmarks/run.sh     # quick run
#
# Compares, in one run, single core, file in page cache, every tool writing its output to a file
# (GNU grep stops at the first match when stdout is /dev/null, which fakes the numbers):
#   - our engine:  sysscan grep -c -f P FILE   (regex sets)   /  sysscan grep -F -c -f P FILE (literal sets)
#   - ripgrep:     rg -j1 -c -f P FILE         /  rg -j1 -c -F -f P FILE
#   - GNU grep:    grep -c -E -f P FILE        /  grep -c -F -f P FILE          (LC_ALL=C)
#   - Hyperscan:   hsbench block|lines P FILE  (../shared/bench/hsbench.c, libhyperscan-dev, x86-64 only)
# plus the compile time of 3000 regexes, the peak RSS with 3000 patterns and a scaling figure,
# and checks them against the project's goals (PASS/FAIL).
#
# Data comes from ../shared/bench (beside the checkout): pattern sets in patterns/, the corpus is built
# by make_corpus.sh (deterministic). See ../shared/bench/RESULTS.md for the method and earlier numbers.
#
# Environment:
#   SIZE=1G            corpus size (K/M/G suffixes, binary); the corpus is /tmp/corpus-<size>.log
#   RUNS=3             runs per configuration; the median wall time / scan time is reported
#   SETS="..."         space-separated subset of: kb-regex-1000 regex-100 regex-1000 regex-3000
#                      literal-100 literal-1000 literal-3000 kb-literal-1000 kb-regex-100 kb-regex-3000
#                      kb-signatures-100 (the last three are made by kb_sets.py the way make_patterns.py
#                      makes kb-regex-1000: its first 3000 knowledge-base-like rules, every 30th of
#                      them, and the first 100, which are all hand-written signatures)
#   SLOW_TIMEOUT=120   timeout (s) for GNU grep -E, which runs at ~3 MB/s on big regex sets
#   SLOW_SIZE=64M      corpus size for GNU grep -E on kb-regex-1000 (too slow for the full corpus)
#   RUN_TIMEOUT=900    timeout (s) for every other single command
#   SYSSCAN=/path      use this sysscan binary instead of building one
#                      (default: swift build -c release --scratch-path "$repo/.build-bench")
#   OUT_DIR=/tmp/sysscan-bench   results.md, raw.tsv (every run), build.log, last outputs
#   SKIP_REFERENCE=1   measure only our engine (no rg, grep, Hyperscan)
#
# Output: a Markdown report on stdout and in $OUT_DIR/results.md. Progress goes to stderr.
set -uo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bench="$repo/../shared/bench"

ALL_SETS="kb-regex-1000 regex-100 regex-1000 regex-3000 literal-100 literal-1000 literal-3000 kb-literal-1000 kb-regex-100 kb-regex-3000 kb-signatures-100"
SIZE="${SIZE:-1G}"
RUNS="${RUNS:-3}"
SETS="${SETS:-$ALL_SETS}"
SLOW_TIMEOUT="${SLOW_TIMEOUT:-120}"
SLOW_SIZE="${SLOW_SIZE:-64M}"
RUN_TIMEOUT="${RUN_TIMEOUT:-900}"
SYSSCAN="${SYSSCAN:-}"
OUT_DIR="${OUT_DIR:-/tmp/sysscan-bench}"
SKIP_REFERENCE="${SKIP_REFERENCE:-0}"

PROBLEMS=()   # lines for the "Problems" section of the report

log() { printf '[bench] %s\n' "$*" >&2; }

# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------

# to_bytes 256M -> 268435456 (same convention as make_corpus.sh)
to_bytes() {
  local v="$1" n u
  n="${v%[KkMmGg]}"; u="${v#"$n"}"
  case "$u" in
    K|k) echo $((n * 1024)) ;;
    M|m) echo $((n * 1024 * 1024)) ;;
    G|g) echo $((n * 1024 * 1024 * 1024)) ;;
    *) echo "$n" ;;
  esac
}

# median of the numbers on stdin (one per line); empty output for no input
median() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# calc EXPR: floating-point arithmetic through awk, e.g. calc "1e6 / 3"
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# fmt_num X DECIMALS -> "1234.5"; "–" when X is empty
fmt_num() { if [ -z "$1" ]; then echo "–"; else awk -v x="$1" -v d="$2" 'BEGIN { printf "%.*f", d, x }'; fi; }

# fmt_ratio A B -> "1.23×" (A / B); "–" when either is missing or B is 0
fmt_ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then echo "–"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "–"; else printf "%.2f×", a / b }'
}

# ratio A B -> raw number A / B, or empty
ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 != 0) printf "%.4f", a / b }'
}

# ge A B -> exit 0 when A >= B (both numbers)
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# fmt_pct RATIO -> "57%"; "–" when empty
fmt_pct() { if [ -z "$1" ]; then echo "–"; else awk -v r="$1" 'BEGIN { printf "%.0f%%", r * 100 }'; fi; }

# fmt_rss KiB -> "12.3 MiB"
fmt_rss() { if [ -z "$1" ]; then echo "–"; else awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; fi; }

# fmt_int 1234567 -> 1,234,567
fmt_int() {
  case "$1" in
    ''|*[!0-9]*) echo "${1:-–}" ;;
    *) echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta' ;;
  esac
}

is_literal_set() { case "$1" in literal-*|kb-literal-*) return 0 ;; *) return 1 ;; esac; }

# --------------------------------------------------------------------------------------------------
# Setup: shared data, system packages, corpus, binaries
# --------------------------------------------------------------------------------------------------

check_shared() {
  if [ ! -f "$bench/make_corpus.sh" ] || [ ! -d "$bench/patterns" ]; then
    echo "skipped: ../shared not found (looked for $repo/../shared/bench)"
    exit 0
  fi
  bench="$(cd "$bench" && pwd)"
}

# Install ripgrep, time, a C compiler and libhyperscan-dev where missing (idempotent, non-interactive).
install_tools() {
  local need=() want_hs=0 arch
  arch="$(dpkg --print-architecture 2>/dev/null || uname -m)"
  [ -x /usr/bin/time ] || need+=(time)
  if [ "$SKIP_REFERENCE" != 1 ]; then
    command -v rg > /dev/null || need+=(ripgrep)
    command -v cc > /dev/null || need+=(gcc libc6-dev)
    case "$arch" in
      amd64|x86_64) [ -f /usr/include/hs/hs.h ] || want_hs=1 ;;
      *) log "Hyperscan is x86-64 only; this machine is $arch: Hyperscan rows are skipped" ;;
    esac
  fi
  if [ "${#need[@]}" -eq 0 ] && [ "$want_hs" -eq 0 ]; then return; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
    log "missing: ${need[*]} $([ "$want_hs" = 1 ] && echo libhyperscan-dev); not root or no apt-get: those rows are skipped"
    return
  fi
  local apt=(apt-get -y -q -o DPkg::Lock::Timeout=120)
  log "installing: ${need[*]} $([ "$want_hs" = 1 ] && echo libhyperscan-dev)"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update > "$OUT_DIR/apt.log" 2>&1 || log "apt-get update failed (see $OUT_DIR/apt.log)"
  if [ "${#need[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "${need[@]}" >> "$OUT_DIR/apt.log" 2>&1 \
      || log "apt-get install ${need[*]} failed (see $OUT_DIR/apt.log)"
  fi
  if [ "$want_hs" -eq 1 ]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends libhyperscan-dev >> "$OUT_DIR/apt.log" 2>&1 \
      || log "libhyperscan-dev not installable here: Hyperscan rows are skipped"
  fi
}

# make_corpus SIZE -> prints the path of the (cached) corpus file
make_corpus() {
  local size="$1" path
  path="/tmp/corpus-$(echo "$size" | tr '[:upper:]' '[:lower:]').log"
  if [ ! -s "$path" ]; then
    log "building corpus $path"
    bash "$bench/make_corpus.sh" "$size" "$path" >&2 || { log "make_corpus.sh failed"; return 1; }
  fi
  echo "$path"
}

# Sets OURS to a working sysscan binary, or OURS_WHY to the reason there is none.
OURS=""; OURS_WHY=""
prepare_sysscan() {
  local bin
  if [ -n "$SYSSCAN" ]; then
    bin="$SYSSCAN"
  else
    log "building sysscan (swift build -c release --scratch-path $repo/.build-bench; log: $OUT_DIR/build.log)"
    if ! swift build -c release --package-path "$repo" --scratch-path "$repo/.build-bench" --product sysscan \
         > "$OUT_DIR/build.log" 2>&1; then
      OURS_WHY="sysscan grep unavailable (release build failed, see $OUT_DIR/build.log)"
      log "$OURS_WHY"; tail -n 20 "$OUT_DIR/build.log" >&2
      return
    fi
    bin="$(swift build -c release --package-path "$repo" --scratch-path "$repo/.build-bench" --show-bin-path 2> /dev/null)/sysscan"
  fi
  if [ ! -x "$bin" ]; then OURS_WHY="sysscan grep unavailable (no executable at $bin)"; log "$OURS_WHY"; return; fi
  # `sysscan grep --help` alone is not enough: `scan` is the default subcommand, so an unknown word
  # may be taken as its argument. Also check that it actually counts lines.
  if ! "$bin" grep --help > "$TMP/help.out" 2>&1 || ! grep -q -i -w 'grep' "$TMP/help.out"; then
    OURS_WHY="sysscan grep unavailable (\`sysscan grep --help\` fails)"; log "$OURS_WHY"; return
  fi
  printf 'alpha one\nbeta two\nalpha three\n' > "$TMP/probe.txt"
  printf 'alpha\n' > "$TMP/probe.pat"
  local c1 c2
  c1="$("$bin" grep -c -f "$TMP/probe.pat" "$TMP/probe.txt" 2> /dev/null | tail -n 1)"
  c2="$("$bin" grep -F -c -f "$TMP/probe.pat" "$TMP/probe.txt" 2> /dev/null | tail -n 1)"
  case "${c1##*:}${c2##*:}" in
    ''|*[!0-9]*) OURS_WHY="sysscan grep unavailable (probe: no count from \`sysscan grep -c -f\`: '${c1}' / '${c2}')"
                 log "$OURS_WHY"; return ;;
  esac
  if [ "${c1##*:}" != 2 ] || [ "${c2##*:}" != 2 ]; then
    PROBLEMS+=("sysscan grep miscounts a 3-line probe (expected 2): -c gave '${c1}', -F -c gave '${c2}'")
    log "!!! sysscan grep probe miscounted: '${c1}' / '${c2}' (expected 2); benchmarking anyway"
  fi
  OURS="$bin"
  log "sysscan: $OURS"
}

# Sets HSBENCH to a compiled hsbench, or HS_WHY to the reason there is none.
HSBENCH=""; HS_WHY=""
prepare_hsbench() {
  if [ ! -f /usr/include/hs/hs.h ]; then HS_WHY="Hyperscan unavailable (libhyperscan-dev not installed; x86-64 only)"; log "$HS_WHY"; return; fi
  if ! cc -O2 -o "$TMP/hsbench" "$bench/hsbench.c" -lhs 2> "$TMP/hsbench.cc.log"; then
    HS_WHY="Hyperscan unavailable (hsbench.c did not compile)"; log "$HS_WHY"; cat "$TMP/hsbench.cc.log" >&2; return
  fi
  HSBENCH="$TMP/hsbench"
}

# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------
# Results live in associative arrays keyed "SET|TOOL"; ROWS keeps the order.
declare -A R_LABEL R_STATUS R_MBPS R_WALL R_RSS R_COUNT R_RUNS R_NOTE R_CORPUS R_EXTRA
ROWS=()

# add_row KEY LABEL STATUS NOTE: a row without measurement (unavailable, skipped)
add_row() {
  ROWS+=("$1"); R_LABEL[$1]="$2"; R_STATUS[$1]="$3"; R_NOTE[$1]="${4:-}"
}

# parse_count FILE RC -> the matching-line count printed by grep -c / rg -c / sysscan grep -c
# ("N" or "path:N"); rg prints nothing when nothing matched (exit 1).
parse_count() {
  local last
  last="$(tail -n 1 "$1" 2> /dev/null)"
  last="${last##*:}"; last="${last//[[:space:]]/}"
  if [ -z "$last" ] && [ "$2" = 1 ]; then echo 0; return; fi
  case "$last" in ''|*[!0-9]*) echo "?" ;; *) echo "$last" ;; esac
}

# measure KEY LABEL KIND CORPUS TIMEOUT N CMD...
#   Runs CMD CORPUS N times under /usr/bin/time and timeout, output to a file.
#   KIND=wall: MB/s = corpus bytes / wall s (whole process, setup included).
#   KIND=hs:   MB/s = hsbench's own scan time (file in RAM, compile excluded), count = its lines=.
measure() {
  local key="$1" label="$2" kind="$3" corpus="$4" tmo="$5" n="$6"; shift 6
  local bytes i wall rss rc count mbps status="ok" walls="" mbpss="" counts="" rssmax=0 extra="" done_runs=0
  bytes="$(stat -c %s "$corpus")"
  ROWS+=("$key"); R_LABEL[$key]="$label"; R_CORPUS[$key]="$corpus"; R_NOTE[$key]="${R_NOTE[$key]:-}"
  cat "$corpus" > /dev/null   # page cache
  for i in $(seq 1 "$n"); do
    # Wall time to the microsecond from the shell's clock (time's %e has centiseconds only, too coarse
    # for a 0.4 s run); /usr/bin/time gives the peak RSS and the exit status.
    local started="$EPOCHREALTIME"
    /usr/bin/time -f '%e %M %x' -o "$TMP/time" timeout "$tmo" "$@" "$corpus" > "$TMP/out" 2> "$TMP/err"
    local ended="$EPOCHREALTIME"
    read -r wall rss rc < <(tail -n 1 "$TMP/time")
    [ "$rc" = 124 ] || wall="$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.4f", b - a }')"
    rc="${rc:-?}"
    cp "$TMP/out" "$OUT_DIR/last.out"; cp "$TMP/err" "$OUT_DIR/last.err"
    if [ "$rc" = 124 ]; then
      status="timeout"; log "$key run$i: TIMEOUT after ${tmo}s"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(basename "$corpus")" "$i" "$wall" "$rss" "TIMEOUT" "" >> "$OUT_DIR/raw.tsv"
      break
    fi
    if [ "$kind" = hs ]; then
      if [ "$rc" != 0 ]; then count="?"; else count="$(sed -n 's/.* lines=\([0-9]*\) .*/\1/p' "$TMP/out")"; fi
      mbps="$(sed -n 's/.* MBps=\([0-9.]*\) .*/\1/p' "$TMP/out")"
      extra="$(sed -n 's/.* compile_ms=\([0-9.]*\) .*/\1/p' "$TMP/out")"
    else
      count="$(parse_count "$TMP/out" "$rc")"
      [ "$rc" -le 1 ] 2> /dev/null || count="?"
      mbps="$(calc "$bytes / 1e6 / ($wall > 0 ? $wall : 0.005)")"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(basename "$corpus")" "$i" "$wall" "$rss" "$count" "$mbps" >> "$OUT_DIR/raw.tsv"
    log "$key run$i: wall=${wall}s rss=${rss}KiB count=$count MB/s=$mbps"
    if [ "$count" = "?" ] || [ -z "$mbps" ]; then
      status="error (exit $rc: $(head -c 160 "$TMP/err" | tr '\n|' '  '))"
      break
    fi
    walls+="$wall"$'\n'; mbpss+="$mbps"$'\n'; counts+="$count"$'\n'
    [ "$rss" -gt "$rssmax" ] && rssmax="$rss"
    done_runs=$((done_runs + 1))
  done
  R_STATUS[$key]="$status"; R_RUNS[$key]="$done_runs"; R_EXTRA[$key]="$extra"
  if [ "$status" = timeout ] && [ "$done_runs" -eq 0 ]; then
    R_NOTE[$key]="timeout after ${tmo}s (< $(fmt_num "$(calc "$bytes / 1e6 / $tmo")" 1) MB/s)${R_NOTE[$key]:+; ${R_NOTE[$key]}}"
  fi
  if [ "$done_runs" -gt 0 ]; then
    [ "$status" = ok ] || R_NOTE[$key]="${status}${R_NOTE[$key]:+; ${R_NOTE[$key]}}"
    R_STATUS[$key]="ok"
    R_WALL[$key]="$(printf '%s' "$walls" | median)"
    R_MBPS[$key]="$(printf '%s' "$mbpss" | median)"
    R_RSS[$key]="$rssmax"
    if [ "$(printf '%s' "$counts" | sort -u | wc -l)" -gt 1 ]; then
      R_COUNT[$key]="$(printf '%s' "$counts" | sort -u | paste -sd/)"
      R_NOTE[$key]="**MISMATCH** between runs${R_NOTE[$key]:+; ${R_NOTE[$key]}}"
    else
      R_COUNT[$key]="$(printf '%s' "$counts" | head -n 1)"
    fi
  fi
}

# pattern_file SET: the shared set, or one that kb_sets.py made
pattern_file() {
  if [ -f "$bench/patterns/$1.txt" ]; then echo "$bench/patterns/$1.txt"; else echo "$TMP/$1.txt"; fi
}

# bench_set SET: every tool on one pattern set
bench_set() {
  local set="$1" pat; pat="$(pattern_file "$1")"
  if [ ! -f "$pat" ]; then log "unknown set $set (no $pat): skipped"; return; fi
  local lit=0 f=() e=(-E); is_literal_set "$set" && { lit=1; f=(-F); e=(-F); }
  log "=== $set ==="

  # our engine
  if [ -n "$OURS" ]; then
    measure "$set|ours" "sysscan grep${f[*]:+ ${f[*]}}" wall "$CORPUS" "$RUN_TIMEOUT" "$RUNS" "$OURS" grep "${f[@]}" -c -f "$pat"
  else
    add_row "$set|ours" "sysscan grep${f[*]:+ ${f[*]}}" "unavailable" "$OURS_WHY"
  fi
  [ "$SKIP_REFERENCE" = 1 ] && return

  # ripgrep
  if command -v rg > /dev/null; then
    measure "$set|rg" "rg -j1${f[*]:+ ${f[*]}}" wall "$CORPUS" "$RUN_TIMEOUT" "$RUNS" rg -j1 -c "${f[@]}" -f "$pat"
  else
    add_row "$set|rg" "rg -j1${f[*]:+ ${f[*]}}" "unavailable" "ripgrep not installed"
  fi

  # GNU grep: -F everywhere; -E only where it finishes (≈40 MB/s at 100 regexes, ≈3 MB/s at 1000+)
  if [ "$lit" = 1 ] || [ "$set" = regex-100 ] || [ "$set" = kb-regex-100 ] || [ "$set" = kb-signatures-100 ]; then
    measure "$set|grep" "grep ${e[*]}" wall "$CORPUS" "$SLOW_TIMEOUT" "$RUNS" grep -c "${e[@]}" -f "$pat"
  elif [ "$set" = kb-regex-1000 ]; then
    if [ "$SLOW_CORPUS" != "$CORPUS" ]; then
      R_NOTE["$set|grep"]="on the $SLOW_SIZE corpus, 1 run; count not compared"
    fi
    measure "$set|grep" "grep -E" wall "$SLOW_CORPUS" "$SLOW_TIMEOUT" 1 grep -c -E -f "$pat"
  else
    add_row "$set|grep" "grep -E" "skipped" "too slow (~3 MB/s, see RESULTS.md)"
  fi

  # Hyperscan: block mode (whole file, one hs_scan) and per line (one hs_scan per line, SINGLEMATCH)
  local mode label
  for mode in block lines; do
    label="Hyperscan $([ "$mode" = block ] && echo block || echo 'per line')"
    if [ -n "$HSBENCH" ]; then
      measure "$set|hs-$mode" "$label" hs "$CORPUS" "$RUN_TIMEOUT" "$RUNS" env HS_LITERAL="$lit" "$HSBENCH" "$mode" "$pat"
    else
      add_row "$set|hs-$mode" "$label" "unavailable" "$HS_WHY"
    fi
  done
}

# full_run KEY: the configuration ran (at least once) on the full corpus
full_run() { [ "${R_STATUS[$1]:-}" = ok ] && [ "${R_CORPUS[$1]:-}" = "$CORPUS" ]; }

# check_counts SET: all tools that ran on the full corpus must report the same matching-line count
check_counts() {
  local set="$1" key counts="" ref tool
  for tool in ours rg grep hs-block hs-lines; do
    key="$set|$tool"
    full_run "$key" || continue
    counts+="${R_COUNT[$key]}"$'\n'
  done
  [ -n "$counts" ] || return
  # reference: the most common count (ties: the first in sort order)
  ref="$(printf '%s' "$counts" | sort | uniq -c | sort -k1,1nr | head -n 1 | awk '{ print $2 }')"
  for tool in ours rg grep hs-block hs-lines; do
    key="$set|$tool"
    full_run "$key" || continue
    if [ "${R_COUNT[$key]}" != "$ref" ]; then
      R_NOTE[$key]="**MISMATCH** (others: $(fmt_int "$ref"))${R_NOTE[$key]:+; ${R_NOTE[$key]}}"
      PROBLEMS+=("MISMATCH in $set: ${R_LABEL[$key]} counted $(fmt_int "${R_COUNT[$key]}") matching lines, the other tools $(fmt_int "$ref")")
      log "!!! MISMATCH in $set: ${R_LABEL[$key]} counted ${R_COUNT[$key]}, others $ref"
    fi
  done
}

# Extra figures for the goals: compile time (empty file) and kb-rule scaling
bench_extras() {
  # compile 3000 regexes: whole process on an empty file (grep/rg print 0 for it). If sysscan refuses
  # an empty file, fall back to a one-line file that nothing matches (for rg too, to compare alike).
  local empty="$TMP/empty.log"; : > "$empty"
  COMPILE_INPUT="empty file"
  if [ -n "$OURS" ]; then
    local rc=0
    "$OURS" grep -c -f "$TMP/probe.pat" "$empty" > "$TMP/empty.out" 2>&1 || rc=$?
    if [ "$rc" -gt 1 ]; then
      PROBLEMS+=("sysscan grep rejects an empty file (exit $rc: $(head -c 120 "$TMP/empty.out" | tr '\n' ' ')); grep and rg print 0. Compile time measured on a one-line file instead.")
      log "!!! sysscan grep rejects an empty file (exit $rc); compile time measured on a one-line file"
      printf -- '-\n' > "$empty"
      COMPILE_INPUT="one-line file (sysscan rejects an empty one)"
    fi
    measure "compile|ours" "sysscan grep, regex-3000" wall "$empty" "$RUN_TIMEOUT" "$RUNS" \
      "$OURS" grep -c -f "$bench/patterns/regex-3000.txt"
  fi
  if [ "$SKIP_REFERENCE" != 1 ] && command -v rg > /dev/null; then
    measure "compile|rg" "rg -j1, regex-3000" wall "$empty" "$RUN_TIMEOUT" "$RUNS" rg -j1 -c -f "$bench/patterns/regex-3000.txt"
  fi
  # the scaling figures need these sets for our engine even when SETS leaves them out
  if [ -n "$OURS" ]; then
    local s
    for s in kb-regex-100 kb-regex-3000 kb-signatures-100 regex-100 regex-3000; do
      [[ " $SETS " == *" $s "* ]] && continue
      R_NOTE["$s|ours"]="not in SETS: ours only, for the goals"
      measure "$s|ours" "sysscan grep" wall "$CORPUS" "$RUN_TIMEOUT" "$RUNS" "$OURS" grep -c -f "$(pattern_file "$s")"
    done
  fi
}

# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

# goal_row NAME GOAL MEASURED VERDICT
goal_row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }

# verdict COND_OK...: "PASS" when every check passes, "FAIL" when one fails, "n/a" when data is missing
# each argument is "A>=B" with numbers (an empty side means missing)
verdict() {
  local c a b res=PASS
  for c in "$@"; do
    a="${c%%>=*}"; b="${c#*>=}"
    if [ -z "$a" ] || [ -z "$b" ]; then echo "n/a"; return; fi
    ge "$a" "$b" || res=FAIL
  done
  echo "**$res**"
}

mbps_of() { if full_run "$1"; then echo "${R_MBPS[$1]}"; fi; }

report() {
  local key set tool count note mbps cpu hsver rgver grepver commit
  cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)"
  rgver="$(rg --version 2> /dev/null | head -n 1)"
  grepver="$(grep --version 2> /dev/null | head -n 1)"
  hsver="$(dpkg-query -W -f '${Version}' libhyperscan5 2> /dev/null)"
  commit="$(git -C "$repo" rev-parse --short HEAD 2> /dev/null)"
  [ -n "$(git -C "$repo" status --porcelain 2> /dev/null)" ] && commit="$commit (work tree modified)"

  echo "# SysScan grep benchmark"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: ${cpu:-?}, $(nproc) cores; load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Corpus: \`$CORPUS\`, $(fmt_int "$(stat -c %s "$CORPUS")") bytes, $(fmt_int "$CORPUS_LINES") lines (SIZE=$SIZE); RUNS=$RUNS (median reported); LC_ALL=C; single core (rg -j1)"
  echo "- sysscan: ${OURS:-$OURS_WHY} (commit ${commit:-?})"
  [ "$SKIP_REFERENCE" = 1 ] || echo "- References: ${rgver:-ripgrep missing}; ${grepver:-grep missing}; Hyperscan ${hsver:-missing} via hsbench.c"
  echo "- MB/s = 10^6 bytes / s. sysscan, rg, grep: whole-process wall time (setup included). Hyperscan: hsbench's own scan time (file already in RAM, compile excluded), as in ../shared/bench/RESULTS.md."
  echo "- Peak RSS: max over runs. rg mmaps the file and hsbench holds it in RAM, so their RSS includes file pages."
  echo
  echo "## Throughput"
  echo
  echo "| set | tool | MB/s | wall s | peak RSS | matching lines | runs | notes |"
  echo "|---|---|---|---|---|---|---|---|"
  for key in "${ROWS[@]}"; do
    set="${key%%|*}"; tool="${key#*|}"
    case "$set" in compile) continue ;; esac
    note="${R_NOTE[$key]:-}"
    if [ "${R_STATUS[$key]}" = ok ]; then
      count="$(fmt_int "${R_COUNT[$key]}")"
      [ "$tool" = hs-block ] || [ "$tool" = hs-lines ] && [ -n "${R_EXTRA[$key]}" ] && note="compile $(fmt_num "${R_EXTRA[$key]}" 0) ms${note:+; $note}"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$set" "${R_LABEL[$key]}" "$(fmt_num "${R_MBPS[$key]}" 1)" \
        "$(fmt_num "${R_WALL[$key]}" 2)" "$(fmt_rss "${R_RSS[$key]}")" "$count" "${R_RUNS[$key]}" "$note"
    else
      printf '| %s | %s | %s | – | – | – | %s | %s |\n' "$set" "${R_LABEL[$key]}" "${R_STATUS[$key]}" "${R_RUNS[$key]:-0}" "$note"
    fi
  done
  echo
  echo "## Ratios (our MB/s divided by theirs; > 1 means we are faster)"
  echo
  echo "| set | sysscan MB/s | ours / rg | ours / Hyperscan block | ours / Hyperscan per line | ours / grep |"
  echo "|---|---|---|---|---|---|"
  for set in $SETS; do
    [ -f "$(pattern_file "$set")" ] || continue
    mbps="$(mbps_of "$set|ours")"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$set" "$(fmt_num "$mbps" 1)" \
      "$(fmt_ratio "$mbps" "$(mbps_of "$set|rg")")" "$(fmt_ratio "$mbps" "$(mbps_of "$set|hs-block")")" \
      "$(fmt_ratio "$mbps" "$(mbps_of "$set|hs-lines")")" "$(fmt_ratio "$mbps" "$(mbps_of "$set|grep")")"
  done
  echo
  echo "## Compile time, memory, scaling"
  echo
  local c_ours c_rg c_hs rss3000 rsskey rssnote s100 s3000 scal kb100 kb3000 kbscal hs100 hs3000 rg100 rg3000 sig100
  c_ours="${R_WALL[compile|ours]:-}"; c_rg="${R_WALL[compile|rg]:-}"
  # show why a figure is missing instead of a bare dash
  local c_ours_txt c_rg_txt
  c_ours_txt="$(fmt_num "$c_ours" 2) s"; [ -n "$c_ours" ] || c_ours_txt="${R_NOTE[compile|ours]:-${R_STATUS[compile|ours]:-$OURS_WHY}}"
  c_rg_txt="$(fmt_num "$c_rg" 2) s"; [ -n "$c_rg" ] || c_rg_txt="${R_NOTE[compile|rg]:-${R_STATUS[compile|rg]:-not measured}}"
  c_hs="${R_EXTRA[regex-3000|hs-block]:-}"
  echo "| figure | value |"
  echo "|---|---|"
  echo "| compile 3000 regexes, sysscan (whole process, $COMPILE_INPUT) | $c_ours_txt |"
  [ "$SKIP_REFERENCE" = 1 ] || echo "| compile 3000 regexes, rg -j1 (whole process, $COMPILE_INPUT) | $c_rg_txt |"
  [ -n "$c_hs" ] && echo "| compile 3000 regexes, Hyperscan block (hs_compile_multi) | $(fmt_num "$(calc "$c_hs / 1000")" 2) s |"
  # peak RSS with 3000 patterns: the larger of regex-3000 and literal-3000 (where measured)
  rss3000=""; rsskey=""
  for key in "regex-3000|ours" "literal-3000|ours" "kb-regex-3000|ours"; do
    if [ "${R_STATUS[$key]:-}" = ok ] && { [ -z "$rss3000" ] || [ "${R_RSS[$key]}" -gt "$rss3000" ]; }; then
      rss3000="${R_RSS[$key]}"; rsskey="${key%%|*}"
    fi
  done
  rssnote=""; [ "$(stat -c %s "$CORPUS")" -lt $((1024 * 1024 * 1024 - 65536)) ] && rssnote=" (measured on SIZE=$SIZE, not 1 GiB)"
  echo "| peak RSS, sysscan, 3000 patterns | $(fmt_rss "$rss3000")${rsskey:+ ($rsskey)}$rssnote |"
  s100="$(mbps_of "regex-100|ours")"; s3000="$(mbps_of "regex-3000|ours")"; scal="$(ratio "$s3000" "$s100")"
  echo "| scaling, sysscan: regex-3000 MB/s / regex-100 MB/s | $(fmt_num "$s3000" 1) / $(fmt_num "$s100" 1) = $(fmt_pct "$scal") |"
  kb100="$(mbps_of "kb-regex-100|ours")"; kb3000="$(mbps_of "kb-regex-3000|ours")"; kbscal="$(ratio "$kb3000" "$kb100")"
  echo "| scaling, sysscan, KB-like rules: kb-regex-3000 / kb-regex-100 | $(fmt_num "$kb3000" 1) / $(fmt_num "$kb100" 1) = $(fmt_pct "$kbscal") |"
  hs100="$(mbps_of "kb-regex-100|hs-block")"; hs3000="$(mbps_of "kb-regex-3000|hs-block")"
  [ -n "$hs100" ] && [ -n "$hs3000" ] && echo "| scaling, Hyperscan block (for comparison): kb-regex-3000 / kb-regex-100 | $(fmt_num "$hs3000" 1) / $(fmt_num "$hs100" 1) = $(fmt_pct "$(ratio "$hs3000" "$hs100")") |"
  sig100="$(mbps_of "kb-signatures-100|ours")"
  [ -n "$sig100" ] && echo "| scaling, sysscan, against the first 100 of the same list (signatures only): kb-regex-3000 / kb-signatures-100 | $(fmt_num "$kb3000" 1) / $(fmt_num "$sig100" 1) = $(fmt_pct "$(ratio "$kb3000" "$sig100")") |"
  rg100="$(mbps_of "kb-regex-100|rg")"; rg3000="$(mbps_of "kb-regex-3000|rg")"
  [ -n "$rg100" ] && [ -n "$rg3000" ] && echo "| scaling, rg (for comparison): kb-regex-3000 / kb-regex-100 | $(fmt_num "$rg3000" 1) / $(fmt_num "$rg100" 1) = $(fmt_pct "$(ratio "$rg3000" "$rg100")") |"
  echo
  echo "## Goals"
  echo
  echo "| set | goal | measured | result |"
  echo "|---|---|---|---|"
  local o rg hb hl r1 r2
  o="$(mbps_of "kb-regex-1000|ours")"; rg="$(mbps_of "kb-regex-1000|rg")"; hb="$(mbps_of "kb-regex-1000|hs-block")"
  r1="$(ratio "$o" "$rg")"; r2="$(ratio "$o" "$hb")"
  goal_row kb-regex-1000 "≥ 2× ripgrep and ≥ 1.5× Hyperscan block" "$(fmt_ratio "$o" "$rg") rg, $(fmt_ratio "$o" "$hb") HS block" "$(verdict "$r1>=2" "$r2>=1.5")"
  o="$(mbps_of "regex-100|ours")"; hb="$(mbps_of "regex-100|hs-block")"; r1="$(ratio "$o" "$hb")"
  goal_row regex-100 "≥ Hyperscan block" "$(fmt_ratio "$o" "$hb") HS block" "$(verdict "$r1>=1")"
  o="$(mbps_of "regex-3000|ours")"; hl="$(mbps_of "regex-3000|hs-lines")"; rg="$(mbps_of "regex-3000|rg")"
  r1="$(ratio "$o" "$hl")"; r2="$(ratio "$o" "$rg")"
  goal_row regex-3000 "≥ Hyperscan per-line; ≥ 3× ripgrep" "$(fmt_ratio "$o" "$hl") HS per line, $(fmt_ratio "$o" "$rg") rg" "$(verdict "$r1>=1" "$r2>=3")"
  o="$(mbps_of "literal-1000|ours")"; hb="$(mbps_of "literal-1000|hs-block")"; r1="$(ratio "$o" "$hb")"
  goal_row "literal-1000 with -F" "≥ Hyperscan block" "$(fmt_ratio "$o" "$hb") HS block" "$(verdict "$r1>=1")"
  goal_row "compile 3000 regexes" "≤ 1 s" "$c_ours_txt" "$(verdict "${c_ours:+1}>=${c_ours}")"
  goal_row "peak memory, 1 GiB, 3000 patterns" "≤ 64 MiB RSS" "$(fmt_rss "$rss3000")$rssnote" "$(verdict "$((64 * 1024))>=${rss3000}")"
  goal_row "scaling" "kb-like throughput at 3000 patterns ≥ 50% of that at 100" "$(fmt_pct "$kbscal") (kb-regex-3000 / kb-regex-100); regex-3000 / regex-100: $(fmt_pct "$scal")" "$(verdict "$kbscal>=0.5")"
  echo
  if [ "${#PROBLEMS[@]}" -gt 0 ]; then
    echo "## !!! Problems"
    echo
    local p; for p in "${PROBLEMS[@]}"; do echo "- $p"; done
    echo
  fi
  echo "Raw runs: \`$OUT_DIR/raw.tsv\`."
}

# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------
main() {
  check_shared
  mkdir -p "$OUT_DIR"
  TMP="$(mktemp -d /tmp/sysscan-bench.XXXXXX)"
  trap 'rm -rf "$TMP"' EXIT
  LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  if ! python3 "$here/kb_sets.py" "$bench" "$TMP" 2> "$TMP/kb_sets.err"; then
    PROBLEMS+=("kb_sets.py could not make kb-regex-100/3000: $(head -c 200 "$TMP/kb_sets.err")")
  fi
  printf 'key\tcorpus\trun\twall_s\trss_kb\tcount\tmbps\n' > "$OUT_DIR/raw.tsv"

  install_tools
  if [ ! -x /usr/bin/time ]; then echo "error: /usr/bin/time (package time) is missing" >&2; exit 1; fi
  CORPUS="$(make_corpus "$SIZE")" || exit 1
  if [ "$(to_bytes "$SLOW_SIZE")" -lt "$(to_bytes "$SIZE")" ]; then
    SLOW_CORPUS="$(make_corpus "$SLOW_SIZE")" || exit 1
  else
    SLOW_CORPUS="$CORPUS"
  fi
  CORPUS_LINES="$(wc -l < "$CORPUS")"
  prepare_sysscan
  [ "$SKIP_REFERENCE" = 1 ] || prepare_hsbench

  local set
  for set in $SETS; do
    bench_set "$set"
    check_counts "$set"
  done
  bench_extras

  report > "$OUT_DIR/results.md"
  cat "$OUT_DIR/results.md"
}

main "$@"
