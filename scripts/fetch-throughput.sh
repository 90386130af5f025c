#!/usr/bin/env bash
# Measures `rdbtool fetch` against `aws s3 cp` for the same >= 1 GB object at the same part
# size (8 MiB, 10 in flight: the AWS CLI defaults), from two local servers:
#   - nginx (static file, range support) on loopback: the transport ceiling (s3-testing.md §4).
#     nginx ignores signatures: rdbtool signs with dummy keys, the CLI uses --no-sign-request.
#   - moto (a real S3 implementation, signature checks off): slow by design, each ranged GET
#     re-reads the whole object, so only the relative figure means anything.
# Also reports the peak RSS (/usr/bin/time -f %M) of `rdbtool verify s3://…` on the object.
#
# Usage: scripts/fetch-throughput.sh [--skip-moto] [OBJECT]
#   OBJECT defaults to bench-data/mixed.rdb (1.2 GB; never modified or deleted).
#   RDBTOOL=path overrides the binary (default: release build in .build-s3cli, built if needed).
# Servers run in a fresh temporary directory on free 127.0.0.1 ports, stopped by their pids.
set -euo pipefail

cd "$(dirname "$0")/.."
skip_moto=0
if [[ "${1:-}" == "--skip-moto" ]]; then skip_moto=1; shift; fi
object=$(realpath "${1:-bench-data/mixed.rdb}")
[[ -f "$object" ]] || { echo "no object file: $object" >&2; exit 2; }
size=$(stat -c %s "$object")
key=$(basename "$object")
bucket=bench
part=$((8 << 20))
inflight=10

if [[ -z "${RDBTOOL:-}" ]]; then
  swift build -c release --scratch-path .build-s3cli --product rdbtool >&2
  RDBTOOL=$PWD/.build-s3cli/release/rdbtool
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 2; }

source scripts/throughput-lib.sh
work=$(mktemp -d /tmp/fetch-throughput.XXXXXX)
nginx_pid=""
cleanup() {
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  stop_moto
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{$size / ($2 - $1) / 1e6:.0f} MB/s ({$2 - $1:.1f} s)')" ; }
check_same() { cmp -s "$object" "$1" || { echo "DIFFERENT: $1" >&2; exit 1; }; rm -f "$1"; }

# The AWS CLI: 8 MiB parts, 10 in flight (its defaults, written out), no profile files.
aws_clean_env "$inflight"
rdbtool_env=("${clean_env[@]}" AWS_ACCESS_KEY_ID=benchmark AWS_SECRET_ACCESS_KEY=benchmark)
mkdir -p "$work/out"

measure() {  # label, command… ; prints the rate of copying the object
  local label=$1; shift
  local start end
  start=$(now); "$@" >/dev/null || { echo "$label: failed" >&2; return 1; }; end=$(now)
  printf '%-44s %s\n' "$label" "$(rate "$start" "$end")"
}

# --- nginx: the transport ceiling ------------------------------------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx/root/$bucket" "$work/nginx/temp"
# nginx workers run as an unprivileged user: make the path readable, and serve a hard link
# (a second name for the same file; removing it later leaves the object alone).
chmod 755 "$work" "$work/nginx" "$work/nginx/root" "$work/nginx/root/$bucket"
ln "$object" "$work/nginx/root/$bucket/$key" 2>/dev/null || ln -s "$object" "$work/nginx/root/$bucket/$key"
cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events {}
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/temp;
  proxy_temp_path $work/nginx/temp;
  fastcgi_temp_path $work/nginx/temp;
  uwsgi_temp_path $work/nginx/temp;
  scgi_temp_path $work/nginx/temp;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/root; }
}
EOF
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/$bucket/$key" || { echo "nginx did not start" >&2; exit 1; }
nginx_url=http://127.0.0.1:$nginx_port

echo "object: $object ($size bytes), part size $part, $inflight in flight"
echo "rdbtool: $RDBTOOL"
measure "nginx -> aws s3 cp (file)" "${clean_env[@]}" aws s3 cp --only-show-errors --no-sign-request \
  --endpoint-url "$nginx_url" "s3://$bucket/$key" "$work/out/aws.rdb"
check_same "$work/out/aws.rdb"
measure "nginx -> rdbtool fetch --no-verify" "${rdbtool_env[@]}" "$RDBTOOL" fetch --quiet \
  --no-verify --endpoint-url "$nginx_url" --path-style --part-size "$part" \
  --max-in-flight "$inflight" "s3://$bucket/$key" -o "$work/out"
check_same "$work/out/$key"
measure "nginx -> rdbtool fetch (verifying)" "${rdbtool_env[@]}" "$RDBTOOL" fetch --quiet \
  --endpoint-url "$nginx_url" --path-style --part-size "$part" --max-in-flight "$inflight" \
  "s3://$bucket/$key" -o "$work/out"
check_same "$work/out/$key"
start=$(now)
rss=$( { "${rdbtool_env[@]}" /usr/bin/time -f %M "$RDBTOOL" verify --quiet \
  --endpoint-url "$nginx_url" --path-style --part-size "$part" --max-in-flight "$inflight" \
  "s3://$bucket/$key" >/dev/null; } 2>&1 | tail -1)
end=$(now)
printf '%-44s %s, peak RSS %s MB\n' "nginx -> rdbtool verify" "$(rate "$start" "$end")" "$((rss / 1024))"

[[ $skip_moto == 1 ]] && exit 0

# --- moto: a real S3 implementation ----------------------------------------------------------
start_moto
"${rdbtool_env[@]}" aws s3api create-bucket --bucket "$bucket" --endpoint-url "$moto_url" >/dev/null
"${rdbtool_env[@]}" aws s3 cp --quiet --endpoint-url "$moto_url" "$object" "s3://$bucket/$key"
measure "moto -> aws s3 cp (file)" "${rdbtool_env[@]}" aws s3 cp --quiet \
  --endpoint-url "$moto_url" "s3://$bucket/$key" "$work/out/aws.rdb"
check_same "$work/out/aws.rdb"
measure "moto -> rdbtool fetch (verifying)" "${rdbtool_env[@]}" "$RDBTOOL" fetch --quiet \
  --endpoint-url "$moto_url" --part-size "$part" --max-in-flight "$inflight" \
  "s3://$bucket/$key" -o "$work/out"
check_same "$work/out/$key"
