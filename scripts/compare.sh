#!/usr/bin/env bash
# Times rdbtool against its peers on the same RDB files, in one run, and prints a Markdown table.
#
# Usage: scripts/compare.sh [--runs N] [--keys N] [--rdbtool PATH] [--rdb-cli PATH]
#                           [--slice-dir DIR] [--slice-above MB] [--shards N] DIR|FILE...
#
# For every file (a directory means its *.rdb files) it runs each command --runs times
# (default 3) with a warm page cache and keeps the fastest run:
#   cat FILE > /dev/null                     the floor: reading the bytes and nothing else
#   redis-check-rdb FILE                     Redis's own loader (Debian's redis-tools)
#   rdb --command json FILE > /dev/null      PyPI rdbtools, if installed and the file's RDB
#                                            version is 9 or less (rdbtools 0.1.15, the latest,
#                                            rejects RDB 10+, which Redis 7 writes); files above
#                                            --slice-above MB (default 100) are replaced by the
#                                            file of the same name in --slice-dir, or skipped
#   rdb-cli FILE json, rdb-cli FILE resp     librdb's CLI (--rdb-cli PATH, default rdb-cli on
#                                            PATH), if there: librdb is built from its source
#                                            (github.com/redis/librdb), no package has it
#   rdbtool verify FILE
#   rdbtool dump --format jsonl FILE > /dev/null
#   rdbtool dump --format resp FILE > /dev/null
#   rdbtool memory FILE > /dev/null
#   rdbtool stats FILE > /dev/null           (if this rdbtool has it; rdbtool from --rdbtool,
#                                            default .build/release/rdbtool)
#   N shards (--shards N, default 2; 0 turns it off): N hard links to FILE (hidden names beside
#   it, removed on exit), verified by one `rdbtool verify` call naming all N (the CLI verifies
#   its inputs in parallel, one task per input) and by N `rdbtool verify` processes at once; a
#   note gives each time divided by the one-file time.
# A command that is missing or fails gets a row saying so instead of figures.
#
# Columns: wall seconds of the fastest run, MB/s (10^6 bytes of the file that was read, per second), keys/s, peak
# RSS (/usr/bin/time %M, largest of the runs), and speed relative to each peer (this row's MB/s divided by the
# peer's; 2.00 means twice as fast). Key counts come from --keys, else NAME.meta.json written by
# scripts/generate-bench-data.py, else redis-check-rdb's "N keys read".
#
# Example: scripts/compare.sh --slice-dir bench-data-small bench-data
set -euo pipefail

runs=3
keys_override=""
rdbtool=".build/release/rdbtool"
slice_dir=""
rdb_cli="rdb-cli"
slice_above_mb=100
shards=2
inputs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --keys) keys_override="$2"; shift 2 ;;
    --rdbtool) rdbtool="$2"; shift 2 ;;
    --slice-dir) slice_dir="$2"; shift 2 ;;
    --slice-above) slice_above_mb="$2"; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --rdb-cli) rdb_cli="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) inputs+=("$1"); shift ;;
  esac
done
[ ${#inputs[@]} -gt 0 ] || { echo "usage: compare.sh [options] DIR|FILE..." >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

files=()
for input in "${inputs[@]}"; do
  if [ -d "$input" ]; then
    for file in "$input"/*.rdb; do [ -f "$file" ] && files+=("$file"); done
  else
    files+=("$input")
  fi
done
[ ${#files[@]} -gt 0 ] || { echo "compare.sh: no .rdb files in ${inputs[*]}" >&2; exit 1; }

work=$(mktemp -d)
links=()
cleanup() {
  rm -rf "$work"
  if [ ${#links[@]} -gt 0 ]; then rm -f "${links[@]}"; fi
}
trap cleanup EXIT
notes=()

# run NAME FILE COMMAND...: runs COMMAND $runs times (stdout to /dev/null) and sets wall (the
# fastest), rss (the largest) and ok (0 as soon as one run fails; its stderr is in $work/stderr).
run() {
  local start end attempt seconds kilobytes
  wall="" rss=0 ok=1
  for ((attempt = 0; attempt < runs; attempt++)); do
    start=$(date +%s%N)
    if ! /usr/bin/time -f %M -o "$work/rss" "${@:3}" > /dev/null 2> "$work/stderr"; then
      ok=0
      return
    fi
    end=$(date +%s%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    kilobytes=$(tail -n 1 "$work/rss" | tr -dc 0-9)
    if [ -z "$wall" ] || awk -v a="$seconds" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$seconds; fi
    if [ "$kilobytes" -gt "$rss" ]; then rss=$kilobytes; fi
  done
}

# key_count FILE: prints the number of keys in FILE, or nothing if unknown.
key_count() {
  local meta="${1%.rdb}.meta.json"
  if [ -n "$keys_override" ]; then echo "$keys_override"
  elif [ -f "$meta" ]; then python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"])' "$meta"
  else redis-check-rdb "$1" 2>/dev/null | sed -n 's/.*\[info\] \([0-9]*\) keys read.*/\1/p'
  fi
}

# row FILE TOOL BYTES KEYS: appends one measured row (uses wall, rss, ok) to the table.
row() {
  local file="$1" tool="$2" bytes="$3" keys="$4"
  if [ "$ok" -ne 1 ]; then
    notes+=("$(basename "$file") / $tool failed: $({ grep -v '^\s*$' "$work/stderr" || true; } | tail -n 1 | cut -c1-160)")
    printf '| %s | %s | failed | | | | | | | |\n' "$(basename "$file")" "$tool" >> "$work/rows"
    return
  fi
  awk -v f="$(basename "$file")" -v t="$tool" -v w="$wall" -v b="$bytes" -v k="$keys" \
      -v r="$rss" -v c="${speed_cat:-}" -v x="${speed_check:-}" -v p="${speed_rdb:-}" \
      -v l="${speed_librdb:-}" '
    function ratio(peer) { return (peer == "" || peer == 0) ? "" : sprintf("%.2f", s / peer) }
    BEGIN {
      s = (w > 0) ? b / 1e6 / w : 0
      keys = (k == "") ? "" : sprintf("%.0f", k / w)
      printf "| %s | %s | %.3f | %.0f | %s | %.0f | %s | %s | %s | %s |\n",
        f, t, w, s, keys, r / 1024, ratio(c), ratio(x), ratio(p), ratio(l)
    }' >> "$work/rows"
  last_speed=$(awk -v w="$wall" -v b="$bytes" 'BEGIN { printf "%.6f", (w > 0) ? b / 1e6 / w : 0 }')
}

# skip FILE TOOL REASON: appends a row for a command that was not run.
skip() {
  printf '| %s | %s | skipped | | | | | | | |\n' "$(basename "$1")" "$2" >> "$work/rows"
  notes+=("$(basename "$1") / $2 skipped: $3")
}

rdbtool_ready=0
if [ -x "$rdbtool" ]; then rdbtool_ready=1; fi

for file in "${files[@]}"; do
  bytes=$(stat -c %s "$file")
  keys=$(key_count "$file")
  speed_cat="" speed_check="" speed_rdb="" speed_librdb=""
  cat "$file" > /dev/null  # warm the page cache before anything is timed

  run cat "$file" cat "$file"
  row "$file" "cat" "$bytes" "$keys"; speed_cat=$last_speed

  run check "$file" redis-check-rdb "$file"
  row "$file" "redis-check-rdb" "$bytes" "$keys"
  [ "$ok" -eq 1 ] && speed_check=$last_speed

  rdb_version=$(head -c 9 "$file" | sed -n 's/^REDIS0*\([0-9][0-9]*\)$/\1/p')
  if [ -n "$rdb_version" ] && [ "$rdb_version" -gt 9 ]; then
    skip "$file" "rdb --command json" \
      "n/a: rdbtools reads up to RDB 9 (0.1.15, the latest on PyPI, rejects RDB $rdb_version)"
  elif command -v rdb > /dev/null; then
    target="$file" target_keys="$keys" label="rdb --command json"
    if [ "$bytes" -gt $((slice_above_mb * 1000000)) ]; then
      target=""
      if [ -n "$slice_dir" ] && [ -f "$slice_dir/$(basename "$file")" ]; then
        target="$slice_dir/$(basename "$file")"
        target_keys=$(key_count "$target")
        label="rdb --command json (on $target, $(( $(stat -c %s "$target") / 1000000 )) MB)"
        notes+=("$(basename "$file") / rdb: file above ${slice_above_mb} MB, ran on the smaller $target instead")
      fi
    fi
    if [ -n "$target" ]; then
      run rdb "$target" rdb --command json "$target"
      row "$file" "$label" "$(stat -c %s "$target")" "$target_keys"
      [ "$ok" -eq 1 ] && speed_rdb=$last_speed
    else
      skip "$file" "rdb --command json" "file above ${slice_above_mb} MB and no --slice-dir copy"
    fi
  else
    skip "$file" "rdb --command json" "rdbtools not installed (pip install rdbtools python-lzf)"
  fi

  if command -v "$rdb_cli" > /dev/null; then
    run rdb-cli "$file" "$rdb_cli" "$file" -l "$work/rdb-cli.log" json
    row "$file" "rdb-cli json (librdb)" "$bytes" "$keys"
    [ "$ok" -eq 1 ] && speed_librdb=$last_speed
    run rdb-cli "$file" "$rdb_cli" "$file" -l "$work/rdb-cli.log" resp
    row "$file" "rdb-cli resp (librdb)" "$bytes" "$keys"
  else
    skip "$file" "rdb-cli json (librdb)" \
      "$rdb_cli not found (build github.com/redis/librdb, then --rdb-cli PATH)"
  fi

  for command in "verify" "dump --format jsonl" "dump --format resp" "memory" "stats"; do
    if [ "$rdbtool_ready" -eq 1 ] && ! "$rdbtool" ${command%% *} --help > /dev/null 2>&1; then
      skip "$file" "rdbtool $command" "this rdbtool has no '${command%% *}' subcommand"
    elif [ "$rdbtool_ready" -eq 1 ]; then
      # shellcheck disable=SC2086  # the subcommand and its options are separate words
      run rdbtool "$file" "$rdbtool" $command "$file"
      row "$file" "rdbtool $command" "$bytes" "$keys"
    else
      skip "$file" "rdbtool $command" "$rdbtool not built yet (swift build -c release)"
    fi
  done

  if [ "$rdbtool_ready" -eq 1 ] && [ "$shards" -gt 1 ]; then
    run rdbtool "$file" "$rdbtool" verify -q "$file"
    one_wall=$wall
    shard_files=()
    for ((shard = 1; shard <= shards; shard++)); do
      link="$(dirname "$file")/.$(basename "$file").shard$shard"
      rm -f "$link"
      ln "$file" "$link" 2> /dev/null || cp "$file" "$link"
      links+=("$link")
      shard_files+=("$link")
    done
    run rdbtool "$file" "$rdbtool" verify -q "${shard_files[@]}"
    row "$file" "rdbtool verify, $shards shards in one call" \
      "$((bytes * shards))" "$([ -n "$keys" ] && echo $((keys * shards)))"
    one_call_wall=$wall
    # shellcheck disable=SC2016  # expanded by the inner shell
    run rdbtool "$file" bash -c \
      'pids=(); for f in "${@:2}"; do "$1" verify -q "$f" & pids+=($!); done
       status=0; for p in "${pids[@]}"; do wait "$p" || status=1; done; exit $status' \
      _ "$rdbtool" "${shard_files[@]}"
    row "$file" "rdbtool verify, $shards shards as $shards processes at once" \
      "$((bytes * shards))" "$([ -n "$keys" ] && echo $((keys * shards)))"
    parallel_wall=$wall
    notes+=("$(basename "$file") / $shards shards: one file ${one_wall} s; $shards in one verify call \
${one_call_wall} s ($(awk -v a="$one_call_wall" -v b="$one_wall" 'BEGIN { printf "%.2f", a / b }')x); \
$shards processes at once ${parallel_wall} s ($(awk -v a="$parallel_wall" -v b="$one_wall" 'BEGIN { printf "%.2f", a / b }')x)")
  fi
done

echo "| file | command | wall s | MB/s | keys/s | peak RSS MiB | speed vs cat | speed vs redis-check-rdb | speed vs rdb | speed vs rdb-cli json |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
cat "$work/rows"
if [ ${#notes[@]} -gt 0 ]; then
  echo
  for note in "${notes[@]}"; do echo "- $note"; done
fi
