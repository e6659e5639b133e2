# shellcheck shell=bash
# Sourced by run.sh and test.sh.
#
# with_progress LABEL COMMAND...  runs a long command that prints little (npm ci: 30-60 s on a
# 2-core machine, most of it silent) and prints "  ... LABEL: N s" every 10 s while it runs, so a
# first run never looks stuck. Returns the command's exit status.
with_progress() {
  local label=$1 started=$SECONDS pid status=0 next=10
  shift
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - started)) -ge "$next" ] && kill -0 "$pid" 2>/dev/null; then
      printf '  ... %s: %s s\n' "$label" "$((SECONDS - started))"
      next=$((next + 10))
    fi
  done
  wait "$pid" || status=$?
  printf '  %s: done in %s s\n' "$label" "$((SECONDS - started))"
  return "$status"
}
