#!/usr/bin/env bash
# Runs each fuzz target (built by `make fuzz`: FuzzParser, FuzzWriters, FuzzRewrite,
# FuzzDecoders) for the given number of seconds on its committed corpus, Fuzz/corpus/TARGET/
# (small one-key images cut from the fixtures by scripts/fuzz-seeds.py, or for FuzzDecoders the
# fixtures' packed values, minimised by libFuzzer to what adds coverage). New inputs
# go to a temporary directory and are dropped (Fuzz/README.md says how to fold a longer
# run's finds into the corpus). A crash, an input taking over 1 s, more than 2 GiB of memory (for
# FuzzDecoders, whose inputs are single blobs of at most 16 KiB: any one allocation of 4 MiB or
# more), or a broken invariant of the target stops the run, leaves the input in Fuzz/crashes/
# and fails.
# Usage: scripts/fuzz.sh SECONDS [SEED] (a fixed seed repeats a run's choices)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
seed_option=()
[ -n "${2:-}" ] && seed_option=(-seed="$2")
targets=(FuzzParser FuzzWriters FuzzRewrite FuzzDecoders)
for target in "${targets[@]}"; do
  [ -x "Fuzz/.build/release/$target" ] ||
    { echo "fuzz.sh: Fuzz/.build/release/$target is not built; run make fuzz" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p Fuzz/crashes

# The progress lines are left out of the output; the fuzzer's own status decides.
for target in "${targets[@]}"; do
  echo "fuzz.sh: $target for $seconds s"
  mkdir -p "$work/$target"
  limits=(-max_len=65536)
  [ "$target" = FuzzDecoders ] && limits=(-max_len=16384 -malloc_limit_mb=4)
  set +e
  "Fuzz/.build/release/$target" "$work/$target" "Fuzz/corpus/$target" \
    -max_total_time="$seconds" "${limits[@]}" -timeout=1 -rss_limit_mb=2048 \
    -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 "${seed_option[@]}" 2>&1 |
    grep -v -e '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' -e '^INFO: ' -e '^"' \
      -e '[Rr]ecommended dictionary' -e '^[[:space:]]*NEW_FUNC'
  status="${PIPESTATUS[0]}"
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $target stopped with status $status; the input is in Fuzz/crashes/" >&2
    exit 1
  fi
done
