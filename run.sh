#!/usr/bin/env bash
# Starts CleanCognito on the local AWS stand-ins: no AWS account needed.
#   ./run.sh                                  app on http://127.0.0.1:5080, stand-ins on 127.0.0.1:9001-9005
#   APP_URL=http://127.0.0.1:5081 ./run.sh    the app on another address
# The first run restores and builds (about 2 minutes on a 2-core machine); later runs start in seconds.
# Ctrl+C stops the app and every stand-in. Local data starts fresh on every run.
# Logs of the stand-ins: dev/local-aws/.logs/
set -euo pipefail
cd "$(dirname "$0")"

APP_URL="${APP_URL:-http://127.0.0.1:5080}"
STACK_DIR=dev/local-aws

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: '$1' is needed: $2" >&2; exit 1; }; }
need dotnet "install the .NET 10 SDK (https://dot.net)"
need node "install Node.js 20.19 or newer"
need "${LOCAL_AWS_MOTO_SERVER:-moto_server}" 'pip install "moto[server]"'
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || { echo "run.sh: Node.js 20.19 or newer is needed (found $(node --version))." >&2; exit 1; }

# Every port must be free before the (slow) first build, not after it. The stand-ins' ports are the
# ones appsettings.Local.json points the app at.
app_port="${APP_URL##*:}"; app_port="${app_port%%/*}"
port_problems=0
for port in "$app_port" 9001 9002 9004 9005; do
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
  else
    echo "  The local AWS stand-ins need it. If it is another ./run.sh, press Ctrl+C there; otherwise stop it${pid:+ (kill $pid)}." >&2
  fi
done
[ "$port_problems" -eq 0 ] || exit 1

# Install the stand-ins' packages once, and again whenever the lock file changes.
if [ ! -d "$STACK_DIR/node_modules" ] || [ "$STACK_DIR/package-lock.json" -nt "$STACK_DIR/node_modules" ]; then
  echo "Installing the local AWS stand-ins (npm ci, about 20 s)..."
  (cd "$STACK_DIR" && npm ci --no-audit --no-fund --loglevel=error) && touch "$STACK_DIR/node_modules"
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
cleanup() {
  trap - INT TERM EXIT
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "$STACK_PID" ] && kill "$STACK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
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
rm -f "$ready_file"

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
  Stand-ins:   user pool + sign-in page http://127.0.0.1:9001, AppSync :9002, identity pool :9004, S3 :9005
  Press Ctrl+C to stop everything.

MSG
wait "$APP_PID"
