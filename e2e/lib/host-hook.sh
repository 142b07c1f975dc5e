#!/usr/bin/env bash
# Host side of the guest's requests (run.sh runs this as E2E_HOST_HOOK with the request's words).
# Needs E2E_DIR, E2E_TARGET, E2E_STATE, E2E_PORT (exported by run-scenarios.sh).
#
# Requests every target answers:
#   echo WORDS...          prints WORDS (channel test)
#   alive                  exit 0 if the server runs and listens
#   stop [--kill]          stops the server (SIGTERM/orderly, or SIGKILL); prints RSS and timing
#   start                  starts it again (same port, same devices)
#   restart [--kill] [S]   stop, wait S seconds (default 0), start
#   bounce [--kill] S      returns at once; in the background: stop, wait S seconds, start
#   devices                "NAME LUN BYTES" per exported device
#   info                   key=value lines about the target
#   rss                    the server's resident memory, KiB
#   log [N]                the last N (default 20) lines of the server's log
# Target-specific requests (exit 3 when a target does not support one): see targets/*.sh
#   mem-used DEV, mm-stat DEV, stat DEV, hot-add [SIZE], reset DEV [--force], init DEV SIZE,
#   remove DEV, find SIZE, zramctl ARGS..., cli ARGS..., access WORDS...,
#   tier-setup DEV SIZE, tier-pass DEV, tier-policy DEV RECOMPRESS_AGE WRITEBACK_AGE BUDGET, sysfs DEV ATTR [VALUE]
set -uo pipefail
: "${E2E_DIR:?}" "${E2E_TARGET:?}" "${E2E_STATE:?}" "${E2E_PORT:?}"
# shellcheck disable=SC1091
. "$E2E_DIR/lib/common.sh"
# shellcheck disable=SC1090
. "$E2E_DIR/targets/$E2E_TARGET.sh"

[ $# -ge 1 ] || { echo "empty request"; exit 2; }
cmd=$1; shift
case $cmd in
  echo)    echo "$*" ;;
  alive)   target_alive ;;
  stop)    target_stop "$@" ;;
  start)   target_start 2>&1 ;;
  restart)
    kill=; [ "${1:-}" = --kill ] && { kill=--kill; shift; }
    target_stop $kill; rc=$?
    sleep "${1:-0}"
    target_start 2>&1 || exit 1
    exit $rc ;;
  bounce)
    kill=; [ "${1:-}" = --kill ] && { kill=--kill; shift; }
    ( target_stop $kill; sleep "${1:-0}"; target_start; rm -f "$E2E_STATE/bounce.pid" ) </dev/null >> "$E2E_STATE/bounce.log" 2>&1 &
    echo $! > "$E2E_STATE/bounce.pid"
    echo "bouncing the server in the background (log: $E2E_STATE/bounce.log)" ;;
  devices) target_devices ;;
  info)    target_info ;;
  rss)     p=$(target_pid); [ -n "$p" ] && rss_kib "$p" ;;
  log)     tail -n "${1:-20}" "$E2E_STATE/server.log" ;;
  *)       target_request "$cmd" "$@" ;;
esac
