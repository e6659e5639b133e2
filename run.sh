#!/usr/bin/env bash
# Starts CleanCognito on the local AWS stand-ins: no AWS account needed.
#   ./run.sh                                  app on http://127.0.0.1:5080, stand-ins on 127.0.0.1:9001-9005
#   APP_URL=http://127.0.0.1:5081 ./run.sh    the app on another address
# The first run restores and builds (about 2 minutes on a 2-core machine); later runs start in seconds.
# Ctrl+C stops the app and every stand-in. Local data starts fresh on every run.
# Logs of the stand-ins: dev/local-aws/.logs/
#
#   ./run.sh --instances 2                    N instances behind one load balancer on http://127.0.0.1:5080:
#       redis-server on 127.0.0.1:6380 (REDIS_PORT; nothing persisted; AUTH with a password made per run),
#       the app on 5081..5080+N, each with Redis__Configuration and Redis__Password set and the key ring
#       encrypted with the stand-ins' KMS key (moto), and Debian's nginx round-robin over them without stickiness
#       (dev/balancer/nginx.conf). Needs redis-server and nginx (apt-get install -y redis-server nginx).
#       Each answer names its instance in the X-Upstream header. Pid, logs and config: a temp dir, removed at exit.
#       A dead instance is started again (at most MAX_RESTARTS times, 3 by default, then run.sh says how to
#       start it by hand); if redis-server stops, run.sh says how to restart it (dev/balancer/supervise.sh).
#   ./run.sh --help                           this text
set -euo pipefail
cd "$(dirname "$0")"
source dev/lib/progress.sh

INSTANCES=0
while [ $# -gt 0 ]; do
  case "$1" in
    --instances)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9]$ ]] || { echo "run.sh: --instances takes a number from 1 to 9, e.g. --instances 2" >&2; exit 2; }
      INSTANCES=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

APP_URL="${APP_URL:-http://127.0.0.1:5080}"
STACK_DIR=dev/local-aws
REDIS_PORT="${REDIS_PORT:-6380}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: '$1' is needed: $2" >&2; exit 1; }; }
need dotnet "install the .NET 10 SDK (https://dot.net)"
need node "install Node.js 20.19 or newer"
need "${LOCAL_AWS_MOTO_SERVER:-moto_server}" 'pip install "moto[server]"'
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || { echo "run.sh: Node.js 20.19 or newer is needed (found $(node --version))." >&2; exit 1; }
if [ "$INSTANCES" -gt 0 ]; then
  need redis-server "apt-get install -y redis-server (the shared store of the instances)"
  # Debian puts nginx in /usr/sbin, which is not on a normal user's PATH.
  NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
  need "${NGINX:-nginx}" "apt-get install -y nginx (the load balancer in front of the instances)"
fi

# Every port must be free before the (slow) first build, not after it. The stand-ins' ports are the
# ones appsettings.Local.json points the app at.
app_port="${APP_URL##*:}"; app_port="${app_port%%/*}"
# With --instances the balancer takes the app's port and the instances the ports after it.
instance_ports=()
for i in $(seq 1 "$INSTANCES"); do instance_ports+=("$((app_port + i))"); done
extra_ports=()
[ "$INSTANCES" -gt 0 ] && extra_ports=("${instance_ports[@]}" "$REDIS_PORT")
port_problems=0
for port in "$app_port" 9001 9002 9004 9005 ${extra_ports[@]+"${extra_ports[@]}"}; do
  name=""; pid=""
  if command -v ss >/dev/null 2>&1; then
    line=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n 1)
    [ -n "$line" ] || continue
    name=$(printf '%s' "$line" | sed -n 's/.*users:(("\([^"]*\)".*/\1/p')
    pid=$(printf '%s' "$line" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
  elif ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    continue
  fi
  port_problems=1
  if [ -n "$pid" ]; then
    echo "run.sh: port $port is in use by $name (pid $pid)." >&2
  else
    echo "run.sh: port $port is in use by another process (see: ss -ltnp 'sport = :$port')." >&2
  fi
  if [ "$port" = "$app_port" ]; then
    echo "  Stop it${pid:+ (kill $pid)}, or start the app on another port: APP_URL=http://127.0.0.1:$((port + 1)) ./run.sh" >&2
  elif [ "$port" = "$REDIS_PORT" ] && [ "$INSTANCES" -gt 0 ]; then
    echo "  The instances' redis-server needs it. Stop it${pid:+ (kill $pid)}, or choose another: REDIS_PORT=$((port + 1)) ./run.sh --instances $INSTANCES" >&2
  elif [ "$INSTANCES" -gt 0 ] && [ "$port" -gt "$app_port" ] && [ "$port" -le "$((app_port + INSTANCES))" ]; then
    echo "  An app instance needs it (instances use the ports after $app_port). Stop it${pid:+ (kill $pid)}, or move them all: APP_URL=http://127.0.0.1:$((app_port + 10)) ./run.sh --instances $INSTANCES" >&2
  else
    echo "  The local AWS stand-ins need it. If it is another ./run.sh, press Ctrl+C there; otherwise stop it${pid:+ (kill $pid)}." >&2
  fi
done
[ "$port_problems" -eq 0 ] || exit 1

# Install the stand-ins' packages once, and again whenever the lock file changes.
if [ ! -d "$STACK_DIR/node_modules" ] || [ "$STACK_DIR/package-lock.json" -nt "$STACK_DIR/node_modules" ]; then
  # Measured on a 2-core machine: 31 s alone, about 40 s with builds beside it; npm itself prints nothing meanwhile.
  echo "Installing the local AWS stand-ins' npm packages (npm ci, once: 30-60 s, about 320 MB)..."
  # shellcheck disable=SC2317 # run through with_progress
  install_stand_ins() { cd "$STACK_DIR" && npm ci --no-audit --no-fund --loglevel=error; }
  with_progress "npm ci" install_stand_ins
  touch "$STACK_DIR/node_modules"
fi

# Restore and build with one line per step and the time since the start, so a first run
# (about 2 minutes) shows it is working; a warm build prints a handful of lines in seconds.
started=$SECONDS
progress() { while IFS= read -r line; do [ -n "${line// /}" ] && printf '  [%3ss] %s\n' "$((SECONDS - started))" "${line#"${line%%[![:space:]]*}"}"; done; }
echo "Restoring and building the app (the first run takes about 2 minutes)..."
set +e
dotnet build src/Web/Web.csproj --nologo -v minimal -clp:NoSummary 2>&1 | progress
build_status=${PIPESTATUS[0]}
set -e
[ "$build_status" -eq 0 ] || { echo "run.sh: the build failed (see above)." >&2; exit "$build_status"; }
echo "Built in $((SECONDS - started)) s."

STACK_PID=""
APP_PID=""
INSTANCE_PIDS=()  # --instances: the balancer, the instances and redis-server, stopped in that order
RUN_DIR=""
cleanup() {
  trap - INT TERM EXIT
  for pid in ${INSTANCE_PIDS[@]+"${INSTANCE_PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "$STACK_PID" ] && kill "$STACK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "$RUN_DIR" ] && rm -rf "$RUN_DIR"
  echo "Stopped."
}
trap cleanup INT TERM EXIT

ready_file=$(mktemp)
node "$STACK_DIR/stack.mjs" >"$ready_file" &
STACK_PID=$!
for _ in $(seq 1 120); do
  grep -q '^LOCAL_AWS_READY ' "$ready_file" && break
  if grep -q '^LOCAL_AWS_FAILED ' "$ready_file" || ! kill -0 "$STACK_PID" 2>/dev/null; then
    echo "The local AWS stand-ins did not start:" >&2; cat "$ready_file" >&2; exit 1
  fi
  sleep 0.5
done
grep -q '^LOCAL_AWS_READY ' "$ready_file" || { echo "The local AWS stand-ins did not answer within 60 s." >&2; exit 1; }
# --instances: the stand-ins' KMS (moto) and key, which encrypt the shared key ring in Redis.
read -r KMS_URL KMS_KEY_ID AWS_REGION_LOCAL < <(sed -n 's/^LOCAL_AWS_READY //p' "$ready_file" \
  | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.kms, r.kmsKeyId, r.region)')
rm -f "$ready_file"

if [ "$INSTANCES" -gt 0 ]; then
  # Everything the balanced set-up writes (redis's dir, nginx's config, pid, logs, buffered bodies).
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cleancognito-instances.XXXXXX")

  # AUTH as ElastiCache requires it: a password made for this run, given to redis-server on stdin (not
  # in its command line) and to the instances as Redis__Password.
  REDIS_PASSWORD=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  printf 'requirepass %s\n' "$REDIS_PASSWORD" | redis-server - --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN_DIR" \
    >"$RUN_DIR/redis.log" 2>&1 &
  redis_pid=$!
  (umask 077; printf '%s\n' "$REDIS_PASSWORD" >"$RUN_DIR/redis.password")
  INSTANCE_PIDS=("$redis_pid")
  redis_answers() {
    local reply=""
    { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
    printf 'AUTH %s\r\nPING\r\n' "$REDIS_PASSWORD" >&3
    read -r -t 2 reply <&3 || true   # +OK to AUTH
    read -r -t 2 reply <&3 || true
    exec 3<&- 3>&-
    [[ "$reply" == +PONG* ]]
  }
  for _ in $(seq 1 40); do
    redis_answers && break
    kill -0 "$redis_pid" 2>/dev/null || { echo "redis-server stopped during start-up:" >&2; cat "$RUN_DIR/redis.log" >&2; exit 1; }
    sleep 0.25
  done
  redis_answers || { echo "redis-server did not answer on port $REDIS_PORT within 10 s." >&2; exit 1; }

  wait_live() {
    for _ in $(seq 1 60); do
      curl -fsS "http://127.0.0.1:$1/health/live" >/dev/null 2>&1 && return 0
      kill -0 "$2" 2>/dev/null || break
      sleep 0.5
    done
    echo "The app instance on port $1 did not start (see above)." >&2; exit 1
  }
  app_pids=()
  instance_command() {
    echo "ASPNETCORE_ENVIRONMENT=Local Redis__Configuration=127.0.0.1:$REDIS_PORT Redis__Password=\$(cat $RUN_DIR/redis.password) DataProtection__KmsKeyId=$KMS_KEY_ID DataProtection__KmsServiceUrl=$KMS_URL DataProtection__Region=$AWS_REGION_LOCAL AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local dotnet src/Web/bin/Debug/net10.0/CleanCognito.Web.dll --contentRoot $PWD/src/Web --urls http://127.0.0.1:${instance_ports[$(($1 - 1))]}"
  }
  start_instance() {
    # Each instance's lines carry its number; the instances share the key ring and caches through Redis.
    ASPNETCORE_ENVIRONMENT=Local Redis__Configuration="127.0.0.1:$REDIS_PORT" Redis__Password="$REDIS_PASSWORD" \
      DataProtection__KmsKeyId="$KMS_KEY_ID" DataProtection__KmsServiceUrl="$KMS_URL" DataProtection__Region="$AWS_REGION_LOCAL" \
      AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
      dotnet src/Web/bin/Debug/net10.0/CleanCognito.Web.dll --contentRoot "$PWD/src/Web" --urls "http://127.0.0.1:${instance_ports[$(($1 - 1))]}" \
      > >(sed -u "s/^/[app $1] /") 2>&1 &
    app_pids[$1]=$!
    INSTANCE_PIDS=("$!" "${INSTANCE_PIDS[@]}")
  }
  for i in $(seq 1 "$INSTANCES"); do
    start_instance "$i"
    # The first instance creates the Data Protection key in Redis before the others start and read it.
    [ "$i" -eq 1 ] && wait_live "${instance_ports[0]}" "${app_pids[1]}"
  done
  for i in $(seq 2 "$INSTANCES"); do wait_live "${instance_ports[$((i - 1))]}" "${app_pids[$i]}"; done

  app_host=${APP_URL#*://}; app_host=${app_host%%[:/]*}
  user_line=""
  # As root nginx would hand its workers to 'nobody', who cannot write the temp dir: keep the current user.
  [ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
  while IFS= read -r line; do
    if [[ "$line" == *@SERVER@* ]]; then
      for port in "${instance_ports[@]}"; do printf '%s\n' "${line//@SERVER@/127.0.0.1:$port}"; done
      continue
    fi
    line=${line//@USER@/$user_line}
    line=${line//@PREFIX@/$RUN_DIR}
    printf '%s\n' "${line//@LISTEN@/$app_host:$app_port}"
  done <dev/balancer/nginx.conf >"$RUN_DIR/nginx.conf"
  "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log" &
  balancer_pid=$!
  INSTANCE_PIDS=("$balancer_pid" "${INSTANCE_PIDS[@]}")
  for _ in $(seq 1 40); do
    curl -fsS "$APP_URL/health/live" >/dev/null 2>&1 && break
    kill -0 "$balancer_pid" 2>/dev/null || { echo "nginx stopped during start-up:" >&2; cat "$RUN_DIR/error.log" >&2; exit 1; }
    sleep 0.25
  done
  curl -fsS "$APP_URL/health/live" >/dev/null 2>&1 || { echo "The balancer did not answer on $APP_URL within 10 s." >&2; exit 1; }

  cat <<MSG

  CleanCognito is running:  $APP_URL   (nginx, round-robin over $INSTANCES instances: ${instance_ports[*]})
  Sign in as   alice / Alice-Passw0rd!   (group: editors — may rename objects)
          or   bob   / Bob-Passw0rd!     (no group)
  Shared store: redis-server on 127.0.0.1:$REDIS_PORT (password in $RUN_DIR/redis.password:
               redis-cli -p $REDIS_PORT --askpass).  Which instance answered: the X-Upstream header.
  Key ring:    encrypted with KMS key $KMS_KEY_ID at $KMS_URL (moto).
  Stand-ins:   user pool + sign-in page http://127.0.0.1:9001, AppSync :9002, identity pool :9004, S3 + DynamoDB :9005
  Balancer config and logs: $RUN_DIR
  A stopped instance is started again (at most ${MAX_RESTARTS:-3} times); if redis-server stops, run.sh says how to restart it.
  Press Ctrl+C to stop everything.

MSG
  source dev/balancer/supervise.sh
  BALANCER_PID=$balancer_pid INSTANCE_COUNT=$INSTANCES \
    REDIS_COMMAND="printf 'requirepass %s\\n' \"\$(cat $RUN_DIR/redis.password)\" | redis-server - --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --dir $RUN_DIR &" supervise
  exit 0
fi

ASPNETCORE_ENVIRONMENT=Local dotnet src/Web/bin/Debug/net10.0/CleanCognito.Web.dll \
  --contentRoot "$PWD/src/Web" --urls "$APP_URL" &
APP_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$APP_URL/health/live" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "The app stopped during start-up (see above)." >&2; exit 1; }
  sleep 0.5
done

cat <<MSG

  CleanCognito is running:  $APP_URL
  Sign in as   alice / Alice-Passw0rd!   (group: editors — may rename objects)
          or   bob   / Bob-Passw0rd!     (no group)
  Stand-ins:   user pool + sign-in page http://127.0.0.1:9001, AppSync :9002, identity pool :9004, S3 + DynamoDB :9005
  Press Ctrl+C to stop everything.

MSG
wait "$APP_PID"
