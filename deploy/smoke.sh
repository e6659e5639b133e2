#!/usr/bin/env bash
# Smoke test of a running CleanCognito: the browser journey of the image test (sign in, Objects,
# a file uploaded, downloaded byte for byte and deleted, sign out) in Chromium against URL.
#
#   SMOKE_USERNAME=me@example.com SMOKE_PASSWORD='…' deploy/smoke.sh https://app.example.com
#   deploy/smoke.sh http://127.0.0.1:5080          # ./run.sh: the demo user alice by default
#
# The user must exist and be able to sign in without a new-password or MFA step. Credentials come
# from the environment only (never arguments: they would show in `ps`). alice / Alice-Passw0rd! is
# the default only for a loopback URL, where it is the local stand-in's demo user.
# SMOKE_NO_BUILD=1 skips building the test project (when it is already built).
# Needs the .NET SDK and Chromium (CHROMIUM_PATH, default /usr/bin/chromium); exits non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: [SMOKE_USERNAME=… SMOKE_PASSWORD=…] deploy/smoke.sh URL" >&2
  exit 2
fi
url="${1%/}"
case "$url" in
  http://127.0.0.1:* | http://127.0.0.1 | http://localhost:* | http://localhost | http://\[::1\]*)
    export SMOKE_USERNAME="${SMOKE_USERNAME:-alice}"
    export SMOKE_PASSWORD="${SMOKE_PASSWORD:-Alice-Passw0rd!}"
    ;;
  https://*)
    if [ -z "${SMOKE_USERNAME:-}" ] || [ -z "${SMOKE_PASSWORD:-}" ]; then
      echo "smoke.sh: set SMOKE_USERNAME and SMOKE_PASSWORD to a user of the deployed user pool." >&2
      exit 2
    fi
    ;;
  *)
    echo "smoke.sh: URL must be https://… (a deployed app) or http:// on loopback (a local one), not \"$url\"." >&2
    exit 2
    ;;
esac
export SMOKE_URL="$url"

build=()
[ "${SMOKE_NO_BUILD:-}" = "1" ] && build=(--no-build)
echo "==> smoke: the browser journey against $SMOKE_URL as $SMOKE_USERNAME"
exec dotnet test "$root/tests/Web.BrowserTests/Web.BrowserTests.csproj" "${build[@]}" \
  --filter "FullyQualifiedName~CleanCognito.Web.BrowserTests.Journey.DeployedAppSmokeTests" \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 5m --blame-hang-dump-type none
