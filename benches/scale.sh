#!/usr/bin/env bash
# One machine vs the scaled-out path, on the same generated corpus: `paradup scan` against
# `paradup fingerprint` (N shards, run one after the other here; on N machines they run
# at once) -> `scale/spark_join.py` (Spark in local mode) -> `paradup verify`.
# Prints wall time and peak RSS of each step and checks the two reports agree.
#
#   benches/scale.sh [MB] [SHARDS]      (default 100 MB, 4 shards)
#
# Needs a release build (made here), PySpark 3.5 and Java 17, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
SHARDS=${2:-4}
DIR=target/bench-corpus-${MB}mb
BIN=target/release/paradup
cargo build --release --quiet
[ -d "$DIR" ] || PARADUP_BENCH_MB=$MB cargo bench --bench scan --quiet -- --generate-only > /dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
BYTES=$(du -sb --exclude='.paradup-bench-corpus' "$DIR" | cut -f1)
find "$DIR" -type f -print0 | xargs -0 cat > /dev/null # warm the page cache for every step alike

step() { # name command... -> "name seconds rss_kb"
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/$name.log" 2>&1 || {
    echo "$name failed:" >&2
    tail "$OUT/$name.log" >&2
    exit 1
  }
  read -r secs rss < "$OUT/time"
  echo "$name $secs $rss"
}

{
  step scan "$BIN" scan "$DIR" --format json -o "$OUT/scan.json" -q --fail-on never
  for ((i = 0; i < SHARDS; i++)); do
    step "fingerprint-$i-of-$SHARDS" "$BIN" fingerprint "$DIR" --out "$OUT/shards" --shard "$i/$SHARDS" -q
  done
  # GNU time sees only the Python driver; Spark's JVM is measured by sampling its RSS.
  (while sleep 0.5; do ps -C java -o rss= | awk '{ s += $1 } END { print s + 0 }'; done > "$OUT/jvm") &
  SAMPLER=$!
  step join-python env PARADUP_SPARK_MASTER="${PARADUP_SPARK_MASTER:-local[*]}" \
    python3 scale/spark_join.py "$OUT/shards" "$OUT/candidates"
  kill "$SAMPLER"
  echo "join-jvm 0 $(sort -n "$OUT/jvm" | tail -1)"
  step verify "$BIN" verify --candidates "$OUT/candidates" --format json -o "$OUT/verify.json" --fail-on never
} > "$OUT/rows"

echo "== $MB MB corpus ($BYTES bytes), $SHARDS shards, $(nproc) cores"
awk -v bytes="$BYTES" '
  $2 > 0 { printf "%-22s %8.2f s %8.1f MB/s %8.0f MB peak RSS\n", $1, $2, bytes / 1e6 / $2, $3 / 1024 }
  $2 == 0 { printf "%-22s %8s   %8s      %8.0f MB peak RSS (sampled)\n", $1, "", "", $3 / 1024 }
  $1 ~ /^fingerprint/ { fp += $2; if ($3 > fprss) fprss = $3 }
  $1 == "scan" { scan = $2 }
  $1 == "join-python" || $1 == "verify" { rest += $2 }
  END {
    printf "sharded path, shards one after the other: %.2f s (%.1fx scan)\n", fp + rest, (fp + rest) / scan
    printf "sharded path, shards on %d machines at once: %.2f s\n", n, fp / n + rest
  }' n="$SHARDS" "$OUT/rows"
du -sh "$OUT/shards" | awk '{ print "shards on disk: " $1 }'
python3 - "$OUT/scan.json" "$OUT/verify.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("timing", None)
print("reports identical (timing aside)" if a == b else "REPORTS DIFFER")
sys.exit(0 if a == b else 1)
EOF
