#!/usr/bin/env bash
# Runs every test of CleanCognito (unit, architecture, integration against the local AWS
# stand-ins, functional, browser in Chromium, and the container image built and run with podman/buildah). Installs what the tests need when it is missing,
# so it works on a fresh machine and is cheap to run again. Exits non-zero on any failure.
#
#   ./test.sh                      # everything
#   ./test.sh --filter "FullyQualifiedName~Browser"   # extra arguments go to `dotnet test`
set -euo pipefail
cd "$(dirname "$0")"
source dev/lib/progress.sh

say() { printf '==> %s\n' "$*"; }

# Debian packages the tests drive, installed in one go when any is missing:
#   chromium      the browser tests (Playwright drives Debian's build; never `playwright install`)
#   redis-server  the shared store of several instances (Data Protection key ring)
#   awscli        the deploy guide's `aws cloudformation package`, which tests/Deploy.Tests runs
#   ShellCheck    (package shellcheck) tests/Deploy.Tests keeps deploy/deploy.sh and deploy/check.sh shellcheck-clean
#   nginx         the load balancer in front of two instances (tests/Instances.Tests, ./run.sh --instances 2);
#                 the tests start their own nginx with dev/balancer/nginx.conf, never the package's service
#   podman, buildah, debootstrap
#                 the image test (tests/Web.BrowserTests/Image) builds the Dockerfile on stand-in base
#                 images that dev/image/base-images.sh debootstraps, and runs the image with buildah
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v aws >/dev/null 2>&1 || [ -x "${HOME:-/root}/.pyenv/shims/aws" ] || missing+=(awscli)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: ${missing[*]} missing. Install as root, then run ./test.sh again:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# Node 20.19+ and the stand-ins' npm packages (dev/local-aws).
if ! command -v node >/dev/null 2>&1 \
  || ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "test.sh: Node.js 20.19 or later is required for the local AWS stand-ins (https://nodejs.org)." >&2
  exit 1
fi
stack_dir=dev/local-aws
if [ ! -f "$stack_dir/node_modules/.package-lock.json" ] || [ "$stack_dir/package-lock.json" -nt "$stack_dir/node_modules/.package-lock.json" ]; then
  say "npm ci in $stack_dir (once: 30-60 s, about 320 MB; npm prints little meanwhile)"
  # shellcheck disable=SC2317 # run through with_progress
  install_stand_ins() { cd "$stack_dir" && npm ci --no-audit --no-fund; }
  with_progress "npm ci" install_stand_ins
fi

# axe-core for the browser tests' accessibility checks (read from node_modules, never fetched at test time).
axe_dir=tests/Web.BrowserTests
if [ ! -f "$axe_dir/node_modules/.package-lock.json" ] || [ "$axe_dir/package-lock.json" -nt "$axe_dir/node_modules/.package-lock.json" ]; then
  say "npm ci in $axe_dir (axe-core only: a few seconds)"
  # shellcheck disable=SC2317 # run through with_progress
  install_axe() { cd "$axe_dir" && npm ci --no-audit --no-fund; }
  with_progress "npm ci" install_axe
fi

# moto_server serves S3 for the stand-ins.
if ! command -v moto_server >/dev/null 2>&1; then
  say "installing moto[server] for the S3 stand-in"
  python3 -m pip install --quiet "moto[server]"
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  command -v moto_server >/dev/null 2>&1 || { echo "test.sh: moto_server is still not on PATH after pip install \"moto[server]\"." >&2; exit 1; }
fi

# cfn-lint checks the CloudFormation template (tests/Deploy.Tests runs deploy/check.sh).
if ! command -v cfn-lint >/dev/null 2>&1; then
  say "installing cfn-lint for the template check"
  python3 -m pip install --quiet cfn-lint
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  command -v cfn-lint >/dev/null 2>&1 || { echo "test.sh: cfn-lint is still not on PATH after pip install cfn-lint." >&2; exit 1; }
fi

# Stand-ins for Microsoft's base images (no registry here serves them), tagged with the names the
# Dockerfile uses: built once (about 1.5 min), then a label check. Needs root, like the apt step.
if [ "$(id -u)" -eq 0 ]; then
  say "stand-in base images (dev/image/base-images.sh)"
  dev/image/base-images.sh
else
  echo "test.sh: not root, so the image test cannot build its base images (dev/image/base-images.sh needs root)." >&2
fi

results=TestResults/test.sh
rm -rf "$results"
mkdir -p "$results"

say "dotnet test CleanCognito.sln"
# Console verbosity normal prints every test's name and outcome, so a CI log shows that the
# browser tests really ran. A hung test fails the run after 5 minutes instead of blocking it.
run_tests() {
  local dir=$1
  shift
  dotnet test CleanCognito.sln \
    --logger "console;verbosity=normal" \
    --logger "trx" \
    --results-directory "$dir" \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    "$@"
}

# One line summed over every test project from the trx files, after each failed test's name and
# message (so a log cut to its tail still names them). With few failures it writes the filter that
# runs just those tests again.
summarize() {
  python3 - "$1" "$2" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
results, status = sys.argv[1], sys.argv[2]
# Counted from each test's own outcome: the trx counters leave a skipped test out of notExecuted.
passed = skipped = 0
failures = []
for path in glob.glob(f"{results}/*.trx"):
    for result in ET.parse(path).getroot().iterfind("t:Results/t:UnitTestResult", ns):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
        else:
            message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
            lines = (message.text or "").strip().splitlines() if message is not None else []
            failures.append((result.get("testName"), outcome, lines[:6]))
failed = len(failures)
for name, outcome, lines in failures:
    print(f"FAILED ({outcome}) {name}")
    for line in lines:
        print(f"    {line[:300]}")
if status != "0" and failed == 0:
    print(f"dotnet test exited {status} (build error or a test run that crashed)")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
# A theory's cases share its method's name: the filter runs them all again.
methods = sorted({name.split("(", 1)[0] for name, _, _ in failures})
if 0 < len(methods) <= 5:
    with open(f"{results}/rerun-filter", "w") as f:
        f.write("|".join(f"FullyQualifiedName={m}" for m in methods))
PY
}

status=0
run_tests "$results" "$@" || status=$?
summarize "$results" "$status"

# A test that failed once and passes when run again on its own is reported as flaky, by name, and
# the run still passes; a test that fails again fails the run. Only the whole suite is retried (not a
# run narrowed with arguments), and only when at most 5 tests failed: more is a broken build.
# Playwright's own CI default (retries: 2) is the model; one retry here.
if [ "$status" -ne 0 ] && [ $# -eq 0 ] && [ -s "$results/rerun-filter" ]; then
  say "running the failed tests once more, on their own, to tell a flaky test from a broken one"
  rerun_status=0
  run_tests "$results/rerun" --no-build --filter "$(cat "$results/rerun-filter")" || rerun_status=$?
  summarize "$results/rerun" "$rerun_status"
  if [ "$rerun_status" -eq 0 ]; then
    echo "FLAKY: each test named FAILED above failed once and passed when run again; the run passes."
    status=0
  else
    echo "The failed tests failed again: the run fails."
  fi
fi
exit "$status"
