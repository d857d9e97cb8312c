#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one after the other, one job each.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, all four targets)
#
# Needs `cargo install cargo-fuzz`. cargo-fuzz passes nightly-only flags to rustc
# (-Zsanitizer, -Cpasses=sancov-module, ...); only the stable toolchain is installed, so
# the script sets RUSTC_BOOTSTRAP=1, which lets stable rustc accept them.
#
# Seeds: the sample articles under corpus/ (txt, md, html, htm, jsonl, json) and the
# regression inputs under tests/fuzz_regressions/<target>/, copied into
# fuzz/seeds/<target>/ (for `fix`, each prefixed with the byte that picks its format).
# New inputs go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/ (all three
# are gitignored). Prints one summary line per target and exits non-zero if any target
# crashed (a panic, a timeout of one input or running out of memory).
#
# Environment: SANITIZER (default none: paradup forbids unsafe code, so AddressSanitizer
# mostly costs speed; `address` also works), TIMEOUT (seconds per input, default 30),
# MAX_LEN (bytes per input, default 16384), RAYON_NUM_THREADS (default 1, so each run
# keeps to one core).
set -euo pipefail

export RUSTC_BOOTSTRAP=1
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-1}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"

SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(segment html feed fix)
fi
SANITIZER="${SANITIZER:-none}"
TIMEOUT="${TIMEOUT:-30}"
MAX_LEN="${MAX_LEN:-16384}"

FUZZ_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
cd "$FUZZ_DIR"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 2
fi

echo "== building the fuzz targets (sanitizer: $SANITIZER)"
cargo fuzz build -s "$SANITIZER"

# The byte that makes the `fix` target read a file as its extension says.
selector() {
  case "${1##*.}" in
    txt) printf '\000' ;;
    md) printf '\001' ;;
    html | htm) printf '\002' ;;
    *) printf '\003' ;;
  esac
}

seed() {
  local target="$1" dir="$FUZZ_DIR/seeds/$1" pattern
  rm -rf "$dir"
  mkdir -p "$dir" "$FUZZ_DIR/corpus/$target" "$FUZZ_DIR/artifacts/$target"
  case "$target" in
    html) pattern='.*\.(html|htm)$' ;;
    feed) pattern='.*\.(jsonl|json)$' ;;
    *) pattern='.*\.(txt|md|html|htm|jsonl|json)$' ;;
  esac
  local n=0 file
  while IFS= read -r -d '' file; do
    n=$((n + 1))
    if [ "$target" = fix ]; then
      { selector "$file"; cat "$file"; } >"$dir/corpus-$n.${file##*.}"
    else
      cp "$file" "$dir/corpus-$n.${file##*.}"
    fi
  done < <(find "$ROOT/corpus" -type f -regextype posix-extended -regex "$pattern" -print0 | sort -z)
  if [ -d "$ROOT/tests/fuzz_regressions/$target" ]; then
    cp "$ROOT/tests/fuzz_regressions/$target"/* "$dir/" 2>/dev/null || true
  fi
}

mkdir -p "$FUZZ_DIR/logs"
status=0
summary=()
for target in "${TARGETS[@]}"; do
  seed "$target"
  log="$FUZZ_DIR/logs/$target.log"
  before=$(find "$FUZZ_DIR/artifacts/$target" -type f | sort)
  echo "== fuzzing $target for ${SECONDS_PER_TARGET}s (log: fuzz/logs/$target.log)"
  started=$SECONDS
  code=0
  cargo fuzz run -s "$SANITIZER" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
    -max_len="$MAX_LEN" -print_final_stats=1 \
    >"$log" 2>&1 || code=$?
  elapsed=$((SECONDS - started))
  after=$(find "$FUZZ_DIR/artifacts/$target" -type f | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')
  crashes=$(printf '%s' "$new" | grep -c . || true)
  if [ "$code" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1 # failed without an artifact (e.g. the build): count it
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  line="$target: ${execs:-?} execs in ${elapsed}s (${rate:-?} exec/s), cov ${cov:-?}, crashes $crashes"
  summary+=("$line")
  if [ "$crashes" -gt 0 ]; then
    status=1
    while IFS= read -r artifact; do
      [ -n "$artifact" ] && summary+=("  artifact: fuzz/${artifact#"$FUZZ_DIR"/}")
    done <<<"$new"
    grep -m1 -A3 'panicked at' "$log" | sed 's/^/  /' || true
  fi
  echo "$line"
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if [ "$status" -ne 0 ]; then
  cat <<'EOF'
A target crashed. Minimize each artifact, keep it as a regression test, then fix:
  RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s none TARGET fuzz/artifacts/TARGET/crash-...
  cp fuzz/artifacts/TARGET/minimized-from-... tests/fuzz_regressions/TARGET/NAME
  cargo test --test fuzz_regressions
EOF
fi
exit "$status"
