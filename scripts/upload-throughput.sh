#!/usr/bin/env bash
# Measures `-o s3://` uploads into moto (a real S3 implementation, signature checks off) for a
# >= 1 GB output, with the wall time and peak RSS (/usr/bin/time -v) of each run:
#   - rdbtool rewrite INPUT -o FILE              the same work written to a local file
#   - rdbtool rewrite INPUT -o s3://bench/KEY    streamed as a multipart upload
#   - aws s3 cp FILE s3://bench/KEY              the AWS CLI uploading the finished file
# and checks that the uploaded object is byte for byte the local file, and that no multipart
# upload is left pending. Part size 8 MiB, 10 in flight (rdbtool's and the CLI's defaults).
#
# Usage: scripts/upload-throughput.sh [INPUT]
#   INPUT defaults to bench-data/mixed.rdb (1.2 GB; never modified).
#   RDBTOOL=path overrides the binary (default: the release build, built if needed).
# moto runs in a fresh temporary directory on a free 127.0.0.1 port, stopped by its pid.
set -euo pipefail

cd "$(dirname "$0")/.."
input=$(realpath "${1:-bench-data/mixed.rdb}")
[[ -f "$input" ]] || { echo "no input file: $input" >&2; exit 2; }
bucket=bench
inflight=10

if [[ -z "${RDBTOOL:-}" ]]; then
  swift build -c release --product rdbtool >&2
  RDBTOOL=$PWD/.build/release/rdbtool
fi

source scripts/throughput-lib.sh
work=$(mktemp -d /tmp/upload-throughput.XXXXXX)
cleanup() {
  stop_moto
  rm -rf "$work"
}
trap cleanup EXIT

aws_clean_env "$inflight"
env_clean=("${clean_env[@]}" AWS_ACCESS_KEY_ID=benchmark AWS_SECRET_ACCESS_KEY=benchmark)
start_moto
"${env_clean[@]}" aws s3api create-bucket --bucket "$bucket" --endpoint-url "$moto_url" >/dev/null

# label, output file for the size, command… : wall time, MB/s of that output, peak RSS.
measure() {
  local label=$1 sized=$2; shift 2
  timeout 1800 /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null
  local wall rss size
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  size=$(stat -c %s "$sized")
  python3 - "$label" "$wall" "$rss" "$size" <<'EOF'
import sys
label, wall, rss, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
print(f"{label:<40} {seconds:7.1f} s  {size / seconds / 1e6:6.0f} MB/s  peak RSS {rss / 1024:5.0f} MB")
EOF
}

echo "input: $input ($(stat -c %s "$input") bytes), 8 MiB parts, $inflight in flight"
echo "rdbtool: $RDBTOOL"
local_file="$work/local.rdb"
measure "rdbtool rewrite -o FILE" "$local_file" \
  "${env_clean[@]}" "$RDBTOOL" rewrite --quiet "$input" -o "$local_file"
measure "rdbtool rewrite -o s3://" "$local_file" \
  "${env_clean[@]}" "$RDBTOOL" rewrite --quiet --endpoint-url "$moto_url" \
  --max-in-flight "$inflight" "$input" -o "s3://$bucket/rewritten.rdb"
measure "aws s3 cp FILE s3://" "$local_file" \
  "${env_clean[@]}" aws s3 cp --only-show-errors --endpoint-url "$moto_url" "$local_file" \
  "s3://$bucket/copied.rdb"

"${env_clean[@]}" aws s3 cp --only-show-errors --endpoint-url "$moto_url" \
  "s3://$bucket/rewritten.rdb" "$work/downloaded.rdb"
cmp -s "$local_file" "$work/downloaded.rdb" && echo "uploaded object: byte for byte the local file" \
  || { echo "DIFFERENT: the uploaded object is not the local file" >&2; exit 1; }
pending=$("${env_clean[@]}" aws s3api list-multipart-uploads --bucket "$bucket" \
  --endpoint-url "$moto_url" --query 'length(Uploads || `[]`)')
echo "pending multipart uploads: $pending"
