#!/usr/bin/env bash
# End-to-end speed of the release binary (issue 5 targets):
#   one report (whole process), a 2,000-report corpus with --format json,
#   one 1 MB and one 10 MB file (time must be linear in size).
# Prints MB/s, files/s and peak memory (/usr/bin/time -v). No assertions:
# the figures are recorded in the issue note.
#
#   scripts/bench.sh            # build, make the corpus under target/bench, measure
#   RUNS=5 scripts/bench.sh     # repetitions per measurement (best is reported)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
OUT=target/bench
BIN=target/release/gongwen

cargo build --release --quiet
mkdir -p "$OUT"

# The reports: the complete seeds and the real web openings (not the
# *.source.txt provenance files).
mapfile -t FIXTURES < <(find tests/fixtures/corpus -name '*.txt' ! -name '*.source.txt' | sort)

if [ ! -f "$OUT/corpus/.done" ]; then
  rm -rf "$OUT/corpus"
  mkdir -p "$OUT/corpus"
  for i in $(seq 0 1999); do
    f=${FIXTURES[$((i % ${#FIXTURES[@]}))]}
    d="$OUT/corpus/$(printf 'county%02d' $((i / 100)))"
    mkdir -p "$d"
    cp "$f" "$d/$(printf '%04d' "$i")_$(basename "$f")"
  done
  touch "$OUT/corpus/.done"
fi

# Large single files: complete reports concatenated (seeds only, so every
# part of the grammar is exercised), to 1 MB and 10 MB.
make_big() { # size_bytes file
  local target=$1 file=$2
  [ -f "$file" ] && [ "$(stat -c %s "$file")" -ge "$target" ] && return
  : > "$file"
  while [ "$(stat -c %s "$file")" -lt "$target" ]; do
    cat tests/fixtures/corpus/seeds/*.txt >> "$file"
  done
}
make_big 1000000 "$OUT/big-1mb.txt"
make_big 10000000 "$OUT/big-10mb.txt"

ONE=tests/fixtures/corpus/seeds/000_d01c1fc9dfe130cb.txt

# measure LABEL BYTES FILES -- command...
# Runs the command RUNS times under /usr/bin/time -v and reports the fastest
# run: wall time, CPU time (user+sys, all threads), MB/s by wall time,
# MB/s per core by CPU time (robust when other jobs share the machine),
# files/s and peak resident memory.
measure() {
  local label=$1 bytes=$2 files=$3
  shift 4
  local best="" best_cpu="" rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$OUT/time.txt" "$@" > /dev/null 2> /dev/null || true
    local wall secs cpu r
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/time.txt")
    secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$OUT/time.txt")
    r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
    if [ "$r" -gt "$rss" ]; then rss=$r; fi
  done
  awk -v l="$label" -v s="$best" -v c="$best_cpu" -v b="$bytes" -v f="$files" -v r="$rss" 'BEGIN {
    if (s <= 0) s = 0.005;   # /usr/bin/time resolution is 10 ms
    if (c <= 0) c = 0.005;
    printf "%-30s %7.2f s wall %7.2f s cpu %7.1f MB/s %7.1f MB/s/core %8.0f files/s %7.1f MB peak\n",
      l, s, c, b/1e6/s, b/1e6/c, f/s, r/1024
  }'
}

bytes_of() { du -cb "$@" | tail -1 | cut -f1; }
CORPUS_BYTES=$(find "$OUT/corpus" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)

echo "gongwen $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, best of $RUNS, load $(cut -d' ' -f1 /proc/loadavg)"
measure "one report (whole process)" "$(bytes_of $ONE)" 1 -- "$BIN" check --no-config --format json "$ONE"
measure "2,000 reports --format json" "$CORPUS_BYTES" 2000 -- "$BIN" check --no-config --format json "$OUT/corpus"
measure "2,000 reports, 1 thread" "$CORPUS_BYTES" 2000 -- env RAYON_NUM_THREADS=1 "$BIN" check --no-config --format json "$OUT/corpus"
measure "1 MB file --format json" "$(bytes_of $OUT/big-1mb.txt)" 1 -- "$BIN" check --no-config --format json "$OUT/big-1mb.txt"
measure "10 MB file --format json" "$(bytes_of $OUT/big-10mb.txt)" 1 -- "$BIN" check --no-config --format json "$OUT/big-10mb.txt"

# One report, finer than /usr/bin/time's 10 ms.
if command -v perf > /dev/null && perf stat -r 1 true > /dev/null 2>&1; then
  perf stat -r 50 "$BIN" check --no-config --format json "$ONE" 2>&1 > /dev/null |
    awk '/task-clock/ {cpu=$1} /elapsed/ {el=$1*1000} END {
      printf "%-30s %7.2f ms elapsed %7.2f ms cpu per process (perf stat, mean of 50)\n", "one report", el, cpu }'
else
  start=$(date +%s%N)
  for _ in $(seq 50); do "$BIN" check --no-config --format json "$ONE" > /dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%-30s %7.2f ms per process (mean of 50, incl. shell)\n", "one report", ns/50/1e6 }'
fi
