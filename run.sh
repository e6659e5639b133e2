#!/usr/bin/env bash
# Starts CleanCognito on the local AWS stand-ins: no AWS account needed.
#   ./run.sh            app on http://127.0.0.1:5080, stand-ins on 127.0.0.1:9001-9005
# Ctrl+C stops the app and every stand-in. Logs of the stand-ins: dev/local-aws/.logs/
set -euo pipefail
cd "$(dirname "$0")"

APP_URL="${APP_URL:-http://127.0.0.1:5080}"
STACK_DIR=dev/local-aws

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: '$1' is needed: $2" >&2; exit 1; }; }
need dotnet "install the .NET 10 SDK (https://dot.net)"
need node "install Node.js 20 or newer"
need "${LOCAL_AWS_MOTO_SERVER:-moto_server}" 'pip install "moto[server]"'

# Install the stand-ins' packages once, and again whenever the lock file changes.
if [ ! -d "$STACK_DIR/node_modules" ] || [ "$STACK_DIR/package-lock.json" -nt "$STACK_DIR/node_modules" ]; then
  echo "Installing the local AWS stand-ins (npm ci, about 20 s)..."
  (cd "$STACK_DIR" && npm ci --no-audit --no-fund --loglevel=error) && touch "$STACK_DIR/node_modules"
fi

echo "Building the app..."
dotnet build src/Web/Web.csproj --nologo -v quiet -clp:ErrorsOnly

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
