# shellcheck shell=bash
# Sourced by run.sh for --instances N (and by tests/Instances.Tests/RunScriptSupervisionTests).
#
# supervise  watches the instances until the balancer stops: a dead app instance is started again,
# at most MAX_RESTARTS times each (then it says so and how to start it by hand), and when redis-server
# stops answering it says how to restart it (not restarted for you: stopping it is how to try an outage).
#
# Expects from the caller:
#   BALANCER_PID, INSTANCE_COUNT, app_pids[1..N]   the processes to watch
#   start_instance I                                starts instance I again and sets app_pids[I]
#   instance_command I                              the command line that starts instance I, to print
#   redis_answers                                   succeeds while redis-server answers PING
#   REDIS_COMMAND                                   the command line that starts redis-server, to print
#   MAX_RESTARTS (3), SUPERVISE_INTERVAL (2 s)      optional
# shellcheck disable=SC2154 # app_pids comes from the caller, as described above.
supervise() {
  local max=${MAX_RESTARTS:-3} interval=${SUPERVISE_INTERVAL:-2} redis_down=0 i
  local -a restarts=() given_up=()
  while kill -0 "$BALANCER_PID" 2>/dev/null; do
    for i in $(seq 1 "$INSTANCE_COUNT"); do
      kill -0 "${app_pids[$i]}" 2>/dev/null && continue
      [ "${given_up[$i]:-0}" -eq 1 ] && continue
      if [ "${restarts[$i]:-0}" -lt "$max" ]; then
        restarts[i]=$((${restarts[$i]:-0} + 1))
        echo "run.sh: app instance $i stopped; starting it again (restart ${restarts[$i]} of $max)." >&2
        start_instance "$i"
      else
        given_up[i]=1
        echo "run.sh: app instance $i stopped again after $max restarts; not restarting it. The balancer sends its requests to the others. To start it by hand:" >&2
        echo "  $(instance_command "$i")" >&2
      fi
    done
    if ! redis_answers; then
      if [ "$redis_down" -eq 0 ]; then
        redis_down=1
        echo "run.sh: redis-server does not answer. The instances keep serving from their own memory and share again once it is back. To restart it:" >&2
        echo "  $REDIS_COMMAND" >&2
      fi
    elif [ "$redis_down" -eq 1 ]; then
      redis_down=0
      echo "run.sh: redis-server answers again." >&2
    fi
    sleep "$interval"
  done
}
