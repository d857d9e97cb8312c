#!/usr/bin/env bash
# Whole-scan throughput and peak memory of the release binary on the synthetic corpus.
#
#   benches/support/measure.sh            # 100 MB corpus, 3 runs per mode
#   PARADUP_BENCH_MB=20 PARADUP_MEASURE_RUNS=1 JOBS=1 benches/support/measure.sh
#
# Builds `target/release/paradup`, generates (or reuses) the corpus through the bench
# binary (`cargo bench --bench scan -- --generate-only`), warms the page cache, then runs
#   /usr/bin/time -v target/release/paradup scan DIR --format json -o OUT [--exact-only] [-j N]
# and prints, per run: wall time, MB/s = stats.bytes / wall seconds (1 MB = 10^6 bytes),
# CPU seconds (user + sys, all threads), the scan's own total_ms and stage times from the
# JSON report, max RSS, and peak RSS per corpus byte. It also prints the load average:
# on a busy machine wall times mean little (compare cpu_s, or use JOBS=1). Criterion cannot measure memory, hence this separate script.
#
# Environment: PARADUP_BENCH_MB (corpus size, default 100), PARADUP_MEASURE_RUNS (default 3),
# JOBS (passed as -j; default: all cores), OUT_DIR (reports and logs, default a temp dir).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

TIME=/usr/bin/time
if [[ ! -x $TIME ]]; then
    echo "error: $TIME not found; install GNU time (apt-get install time)" >&2
    exit 2
fi
command -v jq >/dev/null || { echo "error: jq not found" >&2; exit 2; }

export PARADUP_BENCH_MB="${PARADUP_BENCH_MB:-100}"
RUNS="${PARADUP_MEASURE_RUNS:-3}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t paradup-measure.XXXXXX)}"
mkdir -p "$OUT_DIR"

cargo build --release --quiet
DIR="$(cargo bench --quiet --bench scan -- --generate-only | tail -n 1)"
[[ -d $DIR ]] || { echo "error: corpus dir '$DIR' not found" >&2; exit 2; }

# Warm the page cache so every run (including the first) reads from memory.
find "$DIR" -type f -exec cat {} + >/dev/null

JOB_ARGS=()
[[ -n ${JOBS:-} ]] && JOB_ARGS=(-j "$JOBS")

echo "corpus: $DIR"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cores: $(nproc), jobs: ${JOBS:-all}, runs per mode: $RUNS, reports in $OUT_DIR"
printf '%-10s %4s %7s %7s %7s %8s %9s %10s %9s  %s\n' \
    mode run wall_s MB/s cpu_s scan_ms scanMB/s maxRSS_MB RSS/byte stages_ms
for mode in full exact-only; do
    MODE_ARGS=()
    [[ $mode == exact-only ]] && MODE_ARGS=(--exact-only)
    for run in $(seq 1 "$RUNS"); do
        report="$OUT_DIR/$mode-$run.json"
        timelog="$OUT_DIR/$mode-$run.time"
        status=0
        "$TIME" -v -o "$timelog" target/release/paradup scan "$DIR" --format json \
            -o "$report" "${MODE_ARGS[@]}" "${JOB_ARGS[@]}" || status=$?
        # Exit code 1 only means "findings"; 2 is an error.
        if [[ $status -gt 1 ]]; then
            echo "error: paradup exited with $status (see $timelog)" >&2
            exit 2
        fi
        bytes=$(jq '.stats.bytes' "$report")
        scan_ms=$(jq '.timing.total_ms' "$report")
        stages=$(jq -r '[.timing.stages_ms | to_entries[] | "\(.key)=\(.value | floor)"] | join(" ")' "$report")
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + p[i]
            print s }' "$timelog")
        rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timelog")
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$timelog")
        awk -v mode="$mode" -v run="$run" -v bytes="$bytes" -v wall="$wall" \
            -v scan_ms="$scan_ms" -v rss_kb="$rss_kb" -v stages="$stages" -v cpu="$cpu" 'BEGIN {
            printf "%-10s %4d %7.2f %7.1f %7.2f %8.0f %9.1f %10.1f %9.3f  %s\n",
                mode, run, wall, bytes / 1e6 / wall, cpu, scan_ms, bytes / 1e3 / scan_ms,
                rss_kb / 1024, rss_kb * 1024 / bytes, stages }'
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "stats (full run 1): $(jq -c '.stats' "$OUT_DIR/full-1.json")"
