#!/usr/bin/env bash
# Side-by-side benchmark: paradup against the tools people would otherwise use, on the
# same generated corpus, in one run. Prints a table of seconds, MB/s, peak RSS and the
# ratio to paradup's full scan, then precision/recall on a ~20,000-paragraph sample
# against an exact all-pairs computation.
#
#   benches/compare.sh            # 100 MB
#   SIZES="100 1000" benches/compare.sh
#   RECALL=0 benches/compare.sh   # skip the brute-force quality check (10-25 min)
#
# Needs: a release build (made here), python3 with datasketch (installed here from PyPI),
# GNU awk/sort, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-100}
python3 -c "import datasketch" 2>/dev/null || python3 -m pip install -q datasketch
cargo build --release --quiet
cargo build --release --quiet --example floor
BIN=target/release/paradup
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

measure() { # name command... -> "name seconds rss_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/$name.out" 2>/dev/null || true
  read -r secs rss < "$OUT/time"
  echo "$name $secs $rss"
}

for MB in $SIZES; do
  PARADUP_BENCH_MB=$MB cargo bench --bench scan --quiet -- --generate-only > /dev/null 2>&1
  DIR=target/bench-corpus-${MB}mb
  BYTES=$(du -sb --exclude='.paradup-bench-corpus' "$DIR" | cut -f1)
  cat "$DIR"/*/*/* > /dev/null  # warm the page cache for everyone
  {
    measure floor target/release/examples/floor "$DIR"
    measure paradup-full "$BIN" scan "$DIR" --format json -o "$OUT/full.json" -q --fail-on never
    measure paradup-full-j1 "$BIN" scan "$DIR" -j 1 --format json -o "$OUT/full-j1.json" -q --fail-on never
    measure paradup-exact-only "$BIN" scan "$DIR" --exact-only --format json -o "$OUT/exact.json" -q --fail-on never
    measure paradup-exact-only-j1 "$BIN" scan "$DIR" --exact-only -j 1 --format json -o "$OUT/exact-j1.json" -q --fail-on never
    measure shell-sort-uniq sh -c "find '$DIR' -type f \( -name '*.txt' -o -name '*.md' \) -print0 | xargs -0 awk 'BEGIN{RS=\"\"} {gsub(/[ \t\r\n]+/,\" \"); print tolower(\$0)}' | LC_ALL=C sort | uniq -c | awk '\$1 > 1' | wc -l"
    measure datasketch python3 benches/compare/compare.py datasketch "$DIR"
  } > "$OUT/rows"
  echo
  echo "== $MB MB corpus ($BYTES bytes), $(nproc) cores"
  awk -v bytes="$BYTES" '
    { name[NR] = $1; secs[NR] = $2; rss[NR] = $3; if ($1 == "paradup-full") base = $2 }
    END {
      printf "%-20s %9s %9s %10s %14s\n", "tool", "seconds", "MB/s", "RSS MB", "vs paradup full"
      for (i = 1; i <= NR; i++)
        printf "%-20s %9.2f %9.1f %10.0f %13.2fx\n", name[i], secs[i], bytes / 1e6 / secs[i], rss[i] / 1024, secs[i] / base
    }' "$OUT/rows"
  echo "datasketch: $(cat "$OUT/datasketch.out")"
  for report in full exact; do
    size=$(stat -c %s "$OUT/$report.json")
    echo "JSON report ($report): $size bytes, $(awk -v s="$size" -v b="$BYTES" 'BEGIN { printf "%.3f", s / b }') bytes per input byte"
  done
done

if [ "${RECALL:-1}" = 0 ]; then
  exit 0
fi

# Quality on a sample: the first ~20,000 paragraphs (.txt files) of the 100 MB corpus.
SAMPLE="$OUT/sample"
mkdir -p "$SAMPLE"
N=0
for f in $(find target/bench-corpus-${SIZES%% *}mb -type f -name '*.txt' | sort); do
  rel=${f#target/bench-corpus-*mb/}
  mkdir -p "$SAMPLE/$(dirname "$rel")"
  cp "$f" "$SAMPLE/$rel"
  N=$((N + $(grep -c '^\s*$' "$f" || true) + 1))
  [ "$N" -ge 20000 ] && break
done
"$BIN" scan "$SAMPLE" --format json -o "$OUT/sample.json" -q --fail-on never
echo
echo "== precision and recall against exact all-pairs word similarity >= 0.7 (sample)"
python3 benches/compare/compare.py recall "$SAMPLE" "$OUT/sample.json"
