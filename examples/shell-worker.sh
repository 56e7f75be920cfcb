#!/usr/bin/env bash
# A shell worker: announces readiness on SUPERVISOR_READY_FD, does a unit of work every
# second, and on SIGTERM finishes the unit in hand before exiting.
stopping=0
trap 'stopping=1' TERM

[ -n "${SUPERVISOR_READY_FD:-}" ] && echo >&"$SUPERVISOR_READY_FD"

while [ "$stopping" = 0 ]; do
  echo "worker ${SUPERVISOR_WORKER_ID:-0} (gen ${SUPERVISOR_GENERATION:-0}): working"
  sleep 1 & wait $!   # `wait` returns on a trapped signal, so the loop re-checks at once
done
echo "worker ${SUPERVISOR_WORKER_ID:-0}: finished, exiting"
