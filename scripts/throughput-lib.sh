# Shared by fetch-throughput.sh and upload-throughput.sh (sourced, not run): free loopback
# ports, waiting for a server, the AWS CLI's configuration, and a moto server owned by pid.
# The caller sets `work` (its temporary directory) before using any of these.

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits up to 30 s for URL to answer at all; fails after that.
wait_for() {
  for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}

# Writes $work/aws-config (region us-east-1, 8 MiB parts, $1 requests in flight: the AWS CLI's
# defaults, written out) and sets `clean_env`: an env command line with no profile, endpoint or
# metadata lookups, which uses that configuration.
aws_clean_env() {
  cat > "$work/aws-config" <<CONFIG
[default]
region = us-east-1
s3 =
  multipart_chunksize = 8MB
  multipart_threshold = 8MB
  max_concurrent_requests = $1
CONFIG
  clean_env=(env -u AWS_PROFILE -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3
    AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE=/dev/null
    AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1)
}

moto_pid=""

# Starts moto (signature checks off) in $work/moto on a free port, for at most an hour; sets
# `moto_pid` and `moto_url`.
start_moto() {
  local port
  port=$(free_port)
  mkdir -p "$work/moto"
  TMPDIR="$work/moto" timeout 3600 python3 Tests/RDBKitTests/S3/Support/s3_helper.py \
    serve-moto "$port" >"$work/moto/moto.log" 2>&1 &
  moto_pid=$!
  moto_url=http://127.0.0.1:$port
  wait_for "$moto_url/moto-api/" || { echo "moto did not start" >&2; return 1; }
}

# Stops moto if it runs: SIGTERM, up to 5 s, then SIGKILL.
stop_moto() {
  [[ -n "$moto_pid" ]] || return 0
  kill -TERM "$moto_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$moto_pid" 2>/dev/null || true
}
