#!/usr/bin/env bash
# The whole journey through a running `./run.sh --instances 2`, with curl, printing which instance
# answered each step: sign-in through the hosted UI form, Objects, a file upload and its presigned
# download, a note written, listed and deleted (DynamoDB), sign-out, and the old token cookies replayed after sign-out on both instances.
#   dev/balancer/journey.sh                 # against http://127.0.0.1:5080 (APP_URL to change it)
# curl keeps the cookies (it sends Secure ones to 127.0.0.1 as a browser does); the hosted UI is the
# stand-in's on 127.0.0.1:9001 (IDP_URL).
set -euo pipefail
B=${APP_URL:-http://127.0.0.1:5080}
IDP_URL=${IDP_URL:-http://127.0.0.1:9001}
J=$(mktemp -d); trap 'rm -rf "$J"' EXIT
APP="$J/app"; IDP="$J/idp"

header() { grep -i "^$1:" "$J/h" | tail -n 1 | tr -d '\r' | cut -d' ' -f2-; }
step() { # label method path [curl args...]: one request through the balancer with the browser's cookies
  local label=$1 method=$2 path=$3; shift 3
  local status
  status=$(curl -s -X "$method" -D "$J/h" -o "$J/body" -b "$APP" -c "$APP" "$@" "$B$path" -w '%{http_code}')
  printf '%-30s %s  %-16s %s\n' "$label" "$status" "$(header X-Upstream)" "$(header Location | cut -c1-70)"
}
antiforgery() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$J/body" | head -n 1 | sed 's/.*value="\([^"]*\)"/\1/'; }
cookie() { awk -v n="$1" '$6 == n { print $7 }' "$APP" | tail -n 1; }

step "GET /Account/Login" GET "/Account/Login?returnUrl=%2FFiles"
form=$(curl -s -b "$IDP" -c "$IDP" "$(header Location)")
action=$(printf '%s' "$form" | grep -o '<form[^>]*action="[^"]*"' | sed 's/.*action="\([^"]*\)".*/\1/; s/&amp;/\&/g')
fields=()
while read -r name value; do fields+=(--data-urlencode "$name=$value"); done \
  < <(printf '%s' "$form" | grep -o '<input[^>]*type="hidden"[^>]*>' | sed 's/.*name="\([^"]*\)".*value="\([^"]*\)".*/\1 \2/')
callback=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$IDP" -c "$IDP" "${fields[@]}" \
  --data-urlencode username=alice --data-urlencode 'password=Alice-Passw0rd!' "$IDP_URL$action")
echo "hosted UI form (alice)       -> ${callback%%\?*}"
step "GET /signin-oidc" GET "${callback#"$B"}"
for path in / /Account/Profile /Objects /Objects/1234567890abcdef /Files /Notes; do step "GET $path" GET "$path"; done

echo "uploaded through the balancer at $(date -u +%FT%TZ)" >"$J/journey.txt"
step "POST /Files (upload)" POST "/Files?handler=Upload" -F "file=@$J/journey.txt;type=text/plain" -F "__RequestVerificationToken=$(antiforgery)"
step "GET /Files" GET /Files
echo "  lists journey.txt: $(grep -c 'data-name="journey.txt"' "$J/body")"
step "GET /Files/Download" GET "/Files/Download?name=journey.txt"
echo "  S3 presigned GET: $(curl -s "$(header Location)")"

step "GET /Notes" GET /Notes
step "POST /Notes (create)" POST "/Notes?handler=Create" --data-urlencode "NewNote.Text=written through the balancer at $(date -u +%FT%TZ)" \
  --data-urlencode "__RequestVerificationToken=$(antiforgery)"
step "GET /Notes" GET /Notes
note_id=$(grep -o '<li data-id="[^"]*"' "$J/body" | head -n 1 | sed 's/.*data-id="\([^"]*\)"/\1/')
echo "  newest note: $note_id ($(grep -c '<li data-id=' "$J/body") on the first page)"
step "GET /Notes/Delete/{id}" GET "/Notes/Delete/$note_id"
step "POST /Notes/Delete/{id}" POST "/Notes/Delete/$note_id" --data-urlencode "__RequestVerificationToken=$(antiforgery)"

old_cookies="cognito_access_token=$(cookie cognito_access_token); cognito_id_token=$(cookie cognito_id_token)"
step "GET /Account/Logout" GET /Account/Logout
step "POST /Account/Logout" POST /Account/Logout --data-urlencode "__RequestVerificationToken=$(antiforgery)"
# Round-robin: of two replays one lands on the instance that did not sign out. Expected: both send
# the browser to sign in (302 /Account/Login), though the tokens have not expired.
for _ in 1 2; do
  status=$(curl -s -D "$J/h" -o /dev/null -H "Cookie: $old_cookies" "$B/Files" -w '%{http_code}')
  printf '%-30s %s  %-16s %s\n' "old token cookies: /Files" "$status" "$(header X-Upstream)" "$(header Location | cut -c1-70)"
done
