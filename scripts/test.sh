#!/usr/bin/env bash
# Runs the built test suite (`swift test --skip-build`) with a deadline: TEST_MINUTES
# (default 30; the suite takes about 5). A suite still running then is hung, not slow:
# print every process it started (state, age, command line) and, where gdb is installed,
# each test process's threads' stacks, then kill the whole group and fail. A hang thus ends
# the run with the evidence instead of running into CI's own limit.
set -uo pipefail
minutes="${TEST_MINUTES:-30}"
swift="${SWIFT:-swift}"

# Its own process group, so that every child it starts can be found and ended together.
setsid "$swift" test --skip-build "$@" &
suite=$!

(
  { sleep "$((minutes * 60))" || exit 0; } 2>/dev/null
  echo "test.sh: the suite was still running after $minutes minutes; it is hung" >&2
  ps -o pid,ppid,stat,etime,wchan:24,args -g "$suite" >&2
  if command -v gdb >/dev/null; then
    for pid in $(pgrep -g "$suite" -f 'PackageTests'); do
      echo "test.sh: stacks of $pid" >&2
      gdb -p "$pid" -batch -ex 'thread apply all bt 16' 2>/dev/null | grep -E '^(Thread|#)' >&2
    done
  fi
  kill -KILL -- "-$suite"
) &
watchdog=$!

wait "$suite"
status=$?
pkill -P "$watchdog" # its sleep: the watchdog then ends quietly
wait "$watchdog"
exit "$status"
