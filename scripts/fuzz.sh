#!/usr/bin/env bash
# Runs the parser fuzz target (built by `make fuzz`) for the given number of seconds, seeded
# from every fixture in testdata/. New inputs that reach new code are kept in Fuzz/corpus/
# (not in git) for the next run; a crash, a hang over 10 s, more than 2 GiB of memory, or a
# disagreement between the two parse paths stops the run, leaves the input in Fuzz/crashes/
# and fails. Usage: scripts/fuzz.sh SECONDS [SEED] (a fixed seed repeats a run's choices)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
seed_option=()
[ -n "${2:-}" ] && seed_option=(-seed="$2")
binary=Fuzz/.build/release/FuzzParser
[ -x "$binary" ] || { echo "fuzz.sh: $binary is not built; run make fuzz" >&2; exit 2; }

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
for file in testdata/fixtures/*/*.rdb; do
  cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
done
mkdir -p Fuzz/corpus Fuzz/crashes

# -max_len above the largest fixture (about 480 KB), so that no seed is cut. The progress
# lines are left out of the output; the fuzzer's own status decides.
set +e
"$binary" Fuzz/corpus "$seeds" \
  -max_total_time="$seconds" -max_len=524288 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 "${seed_option[@]}" 2>&1 |
  grep -v -e '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' -e '^INFO: ' -e '^"' \
    -e '[Rr]ecommended dictionary' -e '^[[:space:]]*NEW_FUNC'
status="${PIPESTATUS[0]}"
set -e
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: the fuzzer stopped with status $status; the input is in Fuzz/crashes/" >&2
  exit 1
fi
