#!/usr/bin/env bash
# Times rdbtool against its peers on the same RDB files, in one run, and prints a Markdown table.
#
# Usage: scripts/compare.sh [--runs N] [--keys N] [--rdbtool PATH] [--rdb-cli PATH]
#                           [--slice-dir DIR] [--slice-above MB] [--shards N]
#                           [--rewrite-runs N] [--rewrite-dir DIR] [--servers DIR]
#                           [--no-rewrite | --rewrite-only] DIR|FILE...
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
#   cat FILE | rdbtool verify -              the pipe path (chunks read ahead); a note gives
#                                            its time divided by the mapped verify's
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
# A second table times `rdbtool rewrite` against the route users have without it, side by side
# in one run (--rewrite-runs pairs, default 3, taken in turn: rewrite, route, rewrite, route …;
# figures are medians, the speed-up the median of the pairs' ratios, peak RSS the largest run):
#   rdbtool rewrite --exclude-match 'nomatch:*' FILE -o OUT     the same version, through a
#                                            filter that keeps every key (raw copies)
#   rdbtool rewrite --target redis-6.2 --allow-loss FILE -o OUT RDB 9 (files above RDB 9 only):
#                                            listpacks re-encoded as ziplists; --allow-loss
#                                            because RDB 9 streams lack RDB 10's metadata
#   rdbtool rewrite ... -o /dev/null         the same without the file (no fsync, no read-back)
#   route: rdbtool dump --format resp FILE | redis-cli -p PORT --pipe, then redis-cli SAVE,
#          into a fresh server of the target version (the file's own for the first row:
#          RDB 9 redis-6.2, 10 redis-7.0, 11 valkey-8.0, 12 redis-8.0, 13 redis-8.6; redis-6.2
#          for RDB 9) started for each run on a free 127.0.0.1 port with an empty --dir,
#          `save ""`, and stopped by its pid; the time counts the pipe and SAVE, not the start.
#          Servers are the launchers scripts/setup-servers.sh puts in --servers DIR (default
#          ~/.cache/rdbtool-servers/bin); a missing one gives a row saying so.
# OUT and the server's directory are both in --rewrite-dir (default /dev/shm when it exists, so
# that the figures are the tools', not the disk's; both fsync). Peak RSS of the route is the
# server's (VmHWM), which holds the whole data set; the RSS limit is the issue's 64 MiB plus the
# largest value (`rdbtool memory --top 1`, the estimated size a server holds it in). Notes give
# the route's command errors (commands the target server refused) and key counts.
#
# Example: scripts/compare.sh --slice-dir bench-data-small bench-data
#          scripts/compare.sh --rewrite-only --rewrite-runs 5 bench-data/mixed.rdb
set -euo pipefail

runs=3
keys_override=""
rdbtool=".build/release/rdbtool"
slice_dir=""
rdb_cli="rdb-cli"
slice_above_mb=100
shards=2
rewrite_runs=3
rewrite_dir=""
servers="$HOME/.cache/rdbtool-servers/bin"
sections="peers rewrite"
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
    --rewrite-runs) rewrite_runs="$2"; shift 2 ;;
    --rewrite-dir) rewrite_dir="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --no-rewrite) sections="peers"; shift ;;
    --rewrite-only) sections="rewrite"; shift ;;
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
server_pid=""
scratch=""
cleanup() {
  if [ -n "$server_pid" ]; then stop_server; fi
  if [ -n "$scratch" ]; then rm -rf "$scratch"; fi
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

peer_files=()
if [[ " $sections " == *" peers "* ]]; then peer_files=("${files[@]}"); fi
for file in ${peer_files[@]+"${peer_files[@]}"}; do
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
      skip "$file" "rdbtool $command" "$rdbtool not built yet (make build)"
    fi
  done

  if [ "$rdbtool_ready" -eq 1 ]; then
    run rdbtool "$file" "$rdbtool" verify -q "$file"
    mapped_wall=$wall
    # shellcheck disable=SC2016  # expanded by the inner shell
    run rdbtool "$file" bash -c 'set -o pipefail; cat "$2" | "$1" verify -q -' _ "$rdbtool" "$file"
    row "$file" "cat FILE | rdbtool verify - (a pipe)" "$bytes" "$keys"
    [ "$ok" -eq 1 ] && notes+=("$(basename "$file") / verify through a pipe: ${wall} s against \
${mapped_wall} s mapped ($(awk -v a="$wall" -v b="$mapped_wall" 'BEGIN { printf "%.2f", a / b }')x)")
  fi

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

if [ ${#peer_files[@]} -gt 0 ]; then
  echo "| file | command | wall s | MB/s | keys/s | peak RSS MiB | speed vs cat | speed vs redis-check-rdb | speed vs rdb | speed vs rdb-cli json |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  cat "$work/rows"
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    for note in "${notes[@]}"; do echo "- $note"; done
  fi
fi
[[ " $sections " == *" rewrite "* ]] || exit 0

# ---- rdbtool rewrite against `dump --format resp | redis-cli --pipe` + SAVE ----

if [ -z "$rewrite_dir" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then rewrite_dir=/dev/shm; else rewrite_dir="$work"; fi
fi
scratch=$(mktemp -d "$rewrite_dir/rdbtool-compare.XXXXXX")
rewrite_notes=()
: > "$work/rewrite-rows"

# free_port: a TCP port on 127.0.0.1 that nothing listened on a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server LAUNCHER: starts a server with no persistence on a free loopback port and an empty
# directory; sets server_pid, server_port, server_dir. Retries once (the port may be taken).
start_server() {
  local attempt tries
  for attempt in 1 2; do
    server_dir=$(mktemp -d "$scratch/server.XXXXXX")
    server_port=$(free_port)
    "$1" --bind 127.0.0.1 --port "$server_port" --dir "$server_dir" --dbfilename dump.rdb \
      --save "" --appendonly no --daemonize no --logfile "$server_dir/server.log" &
    server_pid=$!
    for ((tries = 0; tries < 200; tries++)); do
      if [ "$(redis-cli -p "$server_port" PING 2> /dev/null)" = PONG ]; then return 0; fi
      kill -0 "$server_pid" 2> /dev/null || break
      sleep 0.05
    done
    stop_server
  done
  return 1
}

# stop_server: asks the server to exit without saving, then kills it by its pid.
stop_server() {
  local tries
  redis-cli -p "$server_port" SHUTDOWN NOSAVE > /dev/null 2>&1 || true
  for ((tries = 0; tries < 100; tries++)); do
    kill -0 "$server_pid" 2> /dev/null || break
    sleep 0.05
  done
  kill -9 "$server_pid" 2> /dev/null || true
  wait "$server_pid" 2> /dev/null || true
  rm -rf "$server_dir"
  server_pid=""
}

# server_for RDB_VERSION: the launcher of the server that writes that version, if it is there.
server_for() {
  local name
  case "$1" in
    9) name=redis-6.2 ;; 10) name=redis-7.0 ;; 11) name=valkey-8.0 ;; 12) name=redis-8.0 ;;
    13) name=redis-8.6 ;; *) return 1 ;;
  esac
  [ -x "$servers/$name" ] && echo "$servers/$name"
}

# median VALUES...: the median of the numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_rewrite OUT ARGS...: one `rdbtool rewrite -q ARGS -o OUT`; sets wall, rss (KiB), ok.
time_rewrite() {
  local out="$1" start end
  shift
  start=$(date +%s%N)
  if /usr/bin/time -f %M -o "$work/rss" "$rdbtool" rewrite -q "$@" -o "$out" \
    > /dev/null 2> "$work/stderr"; then ok=1; else ok=0; fi
  end=$(date +%s%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  rss=$(tail -n 1 "$work/rss" | tr -dc 0-9)
  [ "$out" = /dev/null ] || rm -f "$out"
}

# time_route LAUNCHER FILE: a fresh server, then `dump --format resp FILE | redis-cli --pipe` and
# SAVE, timed; sets wall, server_rss (KiB), ok, route_errors, route_keys.
time_route() {
  local start end
  ok=0 route_errors="" route_keys="" server_rss=0
  start_server "$1" || { echo "server $1 did not start" > "$work/stderr"; return; }
  start=$(date +%s%N)
  if "$rdbtool" dump -q --format resp "$2" 2> "$work/stderr" \
      | redis-cli -p "$server_port" --pipe > "$work/pipe.log" 2>&1; then :; fi
  if redis-cli -p "$server_port" SAVE > "$work/save.log" 2>&1 && grep -q OK "$work/save.log"; then
    ok=1
  else
    cat "$work/save.log" >> "$work/stderr"
  fi
  end=$(date +%s%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  route_errors=$(sed -n 's/.*errors: \([0-9]*\), replies.*/\1/p' "$work/pipe.log" | tail -n 1)
  # The replies redis-cli printed for refused commands (names elided), most frequent first.
  route_refusals=$({ grep -v -e '^All data transferred' -e '^Last reply received' -e '^errors: ' \
    -e '^$' "$work/pipe.log" || true; } | sed "s/'[^']*'/'…'/g" | sort | uniq -c \
    | sort -rn | head -n 4 | awk '{ n = $1; $1 = ""; printf "%s%d × \"%s\"", sep, n, substr($0, 2); sep = ", " }')
  route_keys=$(redis-cli -p "$server_port" INFO keyspace \
    | sed -n 's/^db[0-9]*:keys=\([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
  server_rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status" 2> /dev/null || echo 0)
  [ -n "$route_errors" ] || { ok=0; tail -n 3 "$work/pipe.log" >> "$work/stderr"; }
  stop_server
}

# rewrite_row FILE LABEL BYTES WALL RSS_KIB LIMIT_MIB SPEEDUP: one row of the rewrite table.
rewrite_row() {
  # The label goes through the environment: awk -v would read its backslashes as escapes.
  LABEL="$2" awk -v f="$(basename "$1")" -v b="$3" -v w="$4" -v r="$5" -v l="$6" -v x="$7" '
    BEGIN {
      limit = (l == "") ? "" : sprintf(" (limit %.0f)", l)
      printf "| %s | %s | %.3f | %.0f | %.0f%s | %s |\n", f, ENVIRON["LABEL"], w,
        (w > 0) ? b / 1e6 / w : 0, r / 1024, limit, x
    }' >> "$work/rewrite-rows"
}

# compare_rewrite FILE BYTES KEYS LIMIT_MIB SERVER OUT LABEL REWRITE_ARGS...: times the rewrite
# into OUT and the route into SERVER (none when empty) in turn, --rewrite-runs times, and adds
# both rows and a note on the issue's targets.
compare_rewrite() {
  local file="$1" bytes="$2" keys="$3" limit="$4" server="$5" out="$6" label="$7"
  shift 7
  local attempt
  local rewrite_walls=() route_walls=() ratios=() rewrite_rss=0 route_rss=0 errors="" got=""
  local refusals=""
  for ((attempt = 0; attempt < rewrite_runs; attempt++)); do
    time_rewrite "$out" "$@" "$file"
    if [ "$ok" -ne 1 ]; then
      rewrite_notes+=("$(basename "$file") / $label failed: $(tail -n 1 "$work/stderr" | cut -c1-200)")
      printf '| %s | %s | failed | | | |\n' "$(basename "$file")" "$label" >> "$work/rewrite-rows"
      return
    fi
    rewrite_walls+=("$wall")
    [ "$rss" -gt "$rewrite_rss" ] && rewrite_rss=$rss
    [ -n "$server" ] || continue
    time_route "$server" "$file"
    if [ "$ok" -ne 1 ]; then
      rewrite_notes+=("$(basename "$file") / route into $(basename "$server") failed: $(tail -n 1 "$work/stderr" | cut -c1-200)")
      server=""
      continue
    fi
    route_walls+=("$wall")
    ratios+=("$(awk -v a="$wall" -v b="${rewrite_walls[-1]}" 'BEGIN { printf "%.4f", a / b }')")
    [ "$server_rss" -gt "$route_rss" ] && route_rss=$server_rss
    errors=$route_errors got=$route_keys refusals=$route_refusals
  done
  local rewrite_wall speedup=""
  rewrite_wall=$(median "${rewrite_walls[@]}")
  if [ ${#ratios[@]} -gt 0 ]; then speedup=$(printf '%.1f ×' "$(median "${ratios[@]}")"); fi
  rewrite_row "$file" "$label" "$bytes" "$rewrite_wall" "$rewrite_rss" "$limit" "$speedup"
  if [ ${#route_walls[@]} -gt 0 ]; then
    rewrite_row "$file" "route: \`dump --format resp \| redis-cli --pipe\` + \`SAVE\` into $(basename "$server") (server RSS)" \
      "$bytes" "$(median "${route_walls[@]}")" "$route_rss" "" "1.0 ×"
    rewrite_notes+=("$(basename "$file") / route into $(basename "$server"): $errors commands refused${refusals:+ ($refusals)}, $got of ${keys:-?} keys loaded")
  fi
  # The issue's targets, for the rows that have one.
  local speed verdict
  speed=$(awk -v b="$bytes" -v w="$rewrite_wall" 'BEGIN { printf "%.0f", (w > 0) ? b / 1e6 / w : 0 }')
  case "$out:$label" in
    /dev/null:*) ;;
    *"--target redis-6.2"*) verdict="$speed MB/s against ≥ 300" ;;
    *) verdict="$speed MB/s against ≥ 1000" ;;
  esac
  if [ -n "${verdict:-}" ]; then
    [ -z "$speedup" ] || verdict="$verdict; $speedup the route against ≥ 10 ×"
    [ -z "$limit" ] || verdict="$verdict; peak RSS $((rewrite_rss / 1024)) MiB against ≤ $limit MiB"
    rewrite_notes+=("$(basename "$file") / $label: $verdict")
  fi
}

if [ ! -x "$rdbtool" ]; then
  echo "compare.sh: $rdbtool not built yet (make build); no rewrite table" >&2
  exit 0
fi
for file in "${files[@]}"; do
  bytes=$(stat -c %s "$file")
  keys=$(key_count "$file")
  cat "$file" > /dev/null
  version=$(head -c 9 "$file" | sed -n 's/^REDIS0*\([0-9][0-9]*\)$/\1/p')
  largest=$("$rdbtool" memory -q --top 1 --format jsonl "$file" 2> /dev/null \
    | python3 -c 'import json, sys; print(max([json.loads(l)["size_in_bytes"] for l in sys.stdin] or [0]))' \
    2> /dev/null || true)
  limit=""
  [ -z "$largest" ] || limit=$(awk -v v="$largest" 'BEGIN { printf "%.0f", 64 + v / 1048576 }')
  same_server=$(server_for "${version:-0}" || true)
  [ -n "$same_server" ] || rewrite_notes+=("$(basename "$file"): no server for RDB ${version:-?} in $servers; rewrite rows without the route")
  compare_rewrite "$file" "$bytes" "$keys" "$limit" "$same_server" "$scratch/out.rdb" \
    "\`rdbtool rewrite --exclude-match 'nomatch:*'\` (RDB $version → $version)" \
    --exclude-match 'nomatch:*'
  compare_rewrite "$file" "$bytes" "$keys" "" "" /dev/null \
    "\`rdbtool rewrite --exclude-match 'nomatch:*' -o /dev/null\`" --exclude-match 'nomatch:*'
  if [ -n "$version" ] && [ "$version" -gt 9 ]; then
    old_server=$(server_for 9 || true)
    [ -n "$old_server" ] || rewrite_notes+=("$(basename "$file"): no redis-6.2 in $servers; RDB 9 rows without the route")
    compare_rewrite "$file" "$bytes" "$keys" "$limit" "$old_server" "$scratch/out.rdb" \
      "\`rdbtool rewrite --target redis-6.2 --allow-loss\` (RDB $version → 9)" \
      --target redis-6.2 --allow-loss
  fi
done

echo
echo "Rewrites (medians of $rewrite_runs; output and server directory in $rewrite_dir):"
echo
echo "| file | command | wall s | MB/s | peak RSS MiB | speed-up vs the route |"
echo "|---|---|---:|---:|---:|---:|"
cat "$work/rewrite-rows"
if [ ${#rewrite_notes[@]} -gt 0 ]; then
  echo
  for note in "${rewrite_notes[@]}"; do echo "- $note"; done
fi
