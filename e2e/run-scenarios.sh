#!/usr/bin/env bash
# Runs guest scenarios against a target: for each scenario, starts a fresh target on an unused
# 127.0.0.1 port, boots the initiator VM with the scenario (linux-initiator/run.sh), checks the
# target survived, and stops it by pid (an orderly stop that must succeed).
#
# Usage: run-scenarios.sh [--target tgt|jzram] [SCENARIO...]
#   SCENARIO: a name (login, integrity, ...) or a path; default: every e2e/scenarios/*.sh
#   E2E_TARGET (default jzram) is the same as --target.
#   E2E_GUEST_ENV: more "K=V K=V" for the guest scenarios (e.g. E2E_PATTERN_MIB=64)
# A scenario may declare, in its header comments:
#   # e2e-devices: 1G 256M     devices the target starts with (default "1G 256M")
#   # e2e-timeout: 240         hard limit for its VM, seconds (default 240)
# Exit: 0 all passed; 1 some failed; 125 qemu cannot start (nothing was tested; said loudly).
# The last line is "N passed, N failed".
set -uo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
export E2E_DIR
# shellcheck disable=SC1091
. "$E2E_DIR/lib/common.sh"

E2E_TARGET=${E2E_TARGET:-jzram}
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --target) E2E_TARGET=$2; shift 2 ;;
    --target=*) E2E_TARGET=${1#*=}; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
export E2E_TARGET
[ -f "$E2E_DIR/targets/$E2E_TARGET.sh" ] || { echo "unknown target '$E2E_TARGET' (tgt or jzram)" >&2; exit 2; }
# shellcheck disable=SC1090
. "$E2E_DIR/targets/$E2E_TARGET.sh"

SCENARIOS=()
if [ ${#ARGS[@]} -eq 0 ]; then
  for f in "$E2E_DIR"/scenarios/*.sh; do SCENARIOS+=("$f"); done
else
  for a in "${ARGS[@]}"; do
    if [ -f "$a" ]; then SCENARIOS+=("$a")
    else
      f=$(ls "$E2E_DIR"/scenarios/*"$a"*.sh 2>/dev/null | head -n 1)
      [ -n "$f" ] || { echo "no scenario '$a' in $E2E_DIR/scenarios" >&2; exit 2; }
      SCENARIOS+=("$f")
    fi
  done
fi

# the image once, up front (its build time is not a scenario's)
"$E2E_DIR/linux-initiator/build-image.sh" >/dev/null || { echo "image build failed" >&2; exit 1; }

STATE_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/e2e-state.XXXXXX")
export E2E_STATE=
cleanup() {
  if [ -n "$E2E_STATE" ] && [ -f "$E2E_STATE/server.pid" ]; then target_stop >/dev/null 2>&1; fi
  [ "${E2E_KEEP_STATE:-0}" = 1 ] || rm -rf "$STATE_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

header() { sed -n "s/^# e2e-$1: *//p" "$2" | head -n 1; }

PASSED=0 FAILED=0 RESULTS=() T_ALL=$(date +%s)
for sc in "${SCENARIOS[@]}"; do
  name=$(basename "$sc" .sh)
  E2E_STATE=$STATE_ROOT/$name; mkdir -p "$E2E_STATE"
  E2E_PORT=$(free_port) || { echo "no free port" >&2; exit 1; }
  export E2E_STATE E2E_PORT
  E2E_DEVICES=$(header devices "$sc"); E2E_DEVICES=${E2E_DEVICES:-1G 256M}
  export E2E_DEVICES
  timeout_s=$(header timeout "$sc"); timeout_s=${timeout_s:-240}
  elog "=== $name against $E2E_TARGET (port $E2E_PORT, devices: $E2E_DEVICES)"
  t0=$(date +%s)
  note=
  if ! target_start; then
    rc=1; note="target did not start"
  else
    E2E_HOST_HOOK=$E2E_DIR/lib/host-hook.sh E2E_TIMEOUT=$timeout_s \
      "$E2E_DIR/linux-initiator/run.sh" "$sc" \
        TARGET_PORTAL="10.0.2.2:$E2E_PORT" E2E_TARGET="$E2E_TARGET" E2E_DEVICES="$E2E_DEVICES" \
        E2E_RECV_Q="${E2E_RECV_Q:-N}" \
        ${E2E_GUEST_ENV:-}
    rc=$?
    # a background "bounce" the guest asked for must have finished
    for _ in $(seq 1 600); do [ -f "$E2E_STATE/bounce.pid" ] || break; sleep 0.1; done
    if [ "$rc" -eq 125 ]; then
      target_stop >/dev/null 2>&1
      echo "######## QEMU CANNOT START: no scenario could run (see above) ########" >&2
      exit 125
    fi
    # the server must have survived the scenario and must stop cleanly
    if ! target_alive; then
      note="target not alive after the scenario (crashed?)"; [ "$rc" -eq 0 ] && rc=1
      tail -n 30 "$E2E_STATE/server.log" >&2
    fi
    # not in $(...): the server is this shell's child, and only this shell can wait for its status
    if target_stop > "$E2E_STATE/stop.out" 2>&1; then
      elog "$(cat "$E2E_STATE/stop.out")"
    else
      elog "$(cat "$E2E_STATE/stop.out")"
      note="${note:+$note; }target did not stop cleanly"; [ "$rc" -eq 0 ] && rc=1
    fi
  fi
  dt=$(( $(date +%s) - t0 ))
  if [ "$rc" -eq 0 ]; then PASSED=$((PASSED + 1)); st=PASS; else FAILED=$((FAILED + 1)); st="FAIL($rc)"; fi
  RESULTS+=("$(printf '%-12s %-9s %4ss %s' "$name" "$st" "$dt" "$note")")
  [ "$rc" -ne 0 ] && [ -f "$E2E_STATE/server.log" ] && { echo "--- $E2E_TARGET log (tail)"; tail -n 40 "$E2E_STATE/server.log"; } >&2
  E2E_STATE=
done

echo
echo "==== e2e against $E2E_TARGET: $(( $(date +%s) - T_ALL )) s"
printf '%s\n' "${RESULTS[@]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
