#!/usr/bin/env bash
# Boots the initiator VM with a guest scenario and returns its exit code.
#
# Usage: run.sh GUEST_SCRIPT [ENV=VALUE...]
#   GUEST_SCRIPT runs as /scenario/guest.sh under busybox sh after /init has set up the network,
#   the modules and iscsid; each ENV=VALUE is exported to it (e.g. TARGET_PORTAL=10.0.2.2:3260).
#
# Exit code: the guest's (from its "GUEST-EXIT <code>" console line), or
#   124  the run took longer than E2E_TIMEOUT (qemu killed)
#   125  qemu could not start at all (no console output); the reason is printed loudly
#   126  the guest stopped without a GUEST-EXIT line (kernel panic or oops, init died, qemu crashed)
#   A guest kernel oops (BUG:, Oops:, panic) is reported loudly and turns a 0 into 1.
#   3    the image could not be built
#
# Host requests: the guest writes "REQ <id> <words...>" on its second serial port (ttyS1), which
# qemu connects to the FIFOs $RUN/ctl.{out,in}. For each request this script runs
#   $E2E_HOST_HOOK <words...>
# and writes back "RSP <id> <line>" per output line, then "END <id> <exit code>".
#
# Environment:
#   E2E_TIMEOUT    hard limit for the whole VM run, seconds (default 240)
#   E2E_HOST_HOOK  executable run for guest requests (default: none, requests fail with 127)
#   E2E_ACCEL      auto (default: KVM if a quick probe boots, else TCG) | tcg | kvm
#   E2E_MEM        guest memory (default 512M)
#   E2E_FIO        1: add the fio layer; 0: don't; default: when the script mentions fio
#   E2E_LOG        console log file (default e2e/logs/<script>-<time>.log)
#   E2E_QUIET      1: do not copy the console to stdout
#   E2E_APPEND     extra kernel command line
#   E2E_RECV_Q     Y: load iscsi_tcp with recv_from_iscsi_q=Y (default N; see README, known quirks)
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
E2E_DIR=$(cd "$HERE/.." && pwd)
QEMU=${E2E_QEMU:-qemu-system-x86_64}

usage() { echo "usage: $0 GUEST_SCRIPT [ENV=VALUE...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
SCRIPT=$1; shift
[ -f "$SCRIPT" ] || { echo "run.sh: no such guest script: $SCRIPT" >&2; exit 2; }
NAME=$(basename "$SCRIPT" .sh)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
loud() {
  echo "######################################################################" >&2
  for l in "$@"; do echo "### $l" >&2; done
  echo "######################################################################" >&2
}

if ! command -v "$QEMU" >/dev/null; then
  loud "QEMU CANNOT START: $QEMU not found (apt-get install qemu-system-x86)"
  exit 125
fi

IMG=$("$HERE/build-image.sh" --quiet | tail -n 1) || { echo "run.sh: image build failed" >&2; exit 3; }
# shellcheck disable=SC1091
. "$IMG/image.env"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/e2e-run.XXXXXX")
LOGDIR=${E2E_LOG_DIR:-$E2E_DIR/logs}
mkdir -p "$LOGDIR"
# keep the newest 100 console logs
ls -1t "$LOGDIR"/*.log 2>/dev/null | tail -n +100 | while read -r old; do rm -f "$old"; done
LOG=${E2E_LOG:-$LOGDIR/$NAME-$(date +%Y%m%d-%H%M%S).log}
: > "$LOG"
TIMEOUT=${E2E_TIMEOUT:-240}
T0=$(date +%s.%N)

QPID= WPID= CPID=
cleanup() {
  local p
  for p in $CPID $WPID; do
    [ -n "$p" ] && kill "$p" 2>/dev/null
  done
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
    kill "$QPID" 2>/dev/null; sleep 1; kill -9 "$QPID" 2>/dev/null
  fi
  # a host hook still running when the VM went away
  if [ -f "$RUN/hook.pid" ]; then p=$(cat "$RUN/hook.pid"); kill "$p" 2>/dev/null; fi
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

# ---------------------------------------------------------------- accelerator
accel_probe() {  # boots the base image with e2e.probe=1 under KVM; 0 if it printed GUEST-EXIT 0
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
  timeout -k 2 20 "$QEMU" -accel kvm -cpu host -machine pc -m 256M -smp 1 -nodefaults -no-user-config \
    -display none -serial stdio -no-reboot -kernel "$E2E_VMLINUX" -initrd "$E2E_BASE_CPIO" \
    -append "console=ttyS0 panic=-1 quiet e2e.probe=1" </dev/null 2>&1 | grep -q 'GUEST-EXIT 0'
}
case ${E2E_ACCEL:-auto} in
  tcg) ACCEL=tcg ;;
  kvm) ACCEL=kvm ;;
  auto)
    PROBE_FILE=$(dirname "$IMG")/accel-$E2E_IMAGE_KEY-$("$QEMU" --version | head -n 1 | sha256sum | cut -c1-8)
    if [ -f "$PROBE_FILE" ]; then
      ACCEL=$(cat "$PROBE_FILE")
    else
      if accel_probe; then ACCEL=kvm; else ACCEL=tcg; fi
      echo "$ACCEL" > "$PROBE_FILE"
      echo "run.sh: accelerator probe: $ACCEL (cached in $PROBE_FILE)" >&2
    fi ;;
  *) echo "run.sh: E2E_ACCEL must be auto, tcg or kvm" >&2; exit 2 ;;
esac
if [ "$ACCEL" = kvm ]; then ACCEL_ARGS=(-accel kvm -cpu host); else ACCEL_ARGS=(-accel tcg -cpu max); fi

# ---------------------------------------------------------------- initramfs with the scenario
mkdir -p "$RUN/layer/scenario"
cp "$SCRIPT" "$RUN/layer/scenario/guest.sh"
{
  sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
  echo "E2E_SCENARIO=$(sq "$NAME")"
  for kv in "$@"; do
    case $kv in
      [A-Za-z_]*=*) echo "${kv%%=*}=$(sq "${kv#*=}")" ;;
      *) echo "run.sh: not ENV=VALUE: $kv" >&2; exit 2 ;;
    esac
  done
} > "$RUN/layer/scenario/env" || exit 2
(cd "$RUN/layer" && find . -mindepth 1 | cpio -o -H newc --quiet -R 0:0) > "$RUN/scenario.cpio"
WITH_FIO=${E2E_FIO:-}
if [ -z "$WITH_FIO" ]; then grep -q '\bfio\b' "$SCRIPT" && WITH_FIO=1 || WITH_FIO=0; fi
if [ "$WITH_FIO" = 1 ]; then
  cat "$E2E_BASE_CPIO" "$E2E_FIO_CPIO" "$RUN/scenario.cpio" > "$RUN/initrd.cpio"
else
  cat "$E2E_BASE_CPIO" "$RUN/scenario.cpio" > "$RUN/initrd.cpio"
fi

# ---------------------------------------------------------------- qemu
mkfifo "$RUN/console" "$RUN/ctl.in" "$RUN/ctl.out"
CMDLINE="console=ttyS0,115200 panic=-1 quiet loglevel=4 rdinit=/init e2e.recv_q=${E2E_RECV_Q:-N} ${E2E_APPEND:-}"
QEMU_ARGS=(
  "${ACCEL_ARGS[@]}" -machine pc -m "${E2E_MEM:-512M}" -smp 1
  -nodefaults -no-user-config -display none
  -serial stdio -serial "pipe:$RUN/ctl"
  -netdev user,id=n0,ipv6=off -device virtio-net-pci,netdev=n0
  -no-reboot -kernel "$E2E_VMLINUX" -initrd "$RUN/initrd.cpio" -append "$CMDLINE"
)
echo "run.sh: $NAME: accel=$ACCEL image=$E2E_IMAGE_KEY fio=$WITH_FIO timeout=${TIMEOUT}s log=$LOG" >&2
echo "# $QEMU ${QEMU_ARGS[*]}" >> "$LOG"

"$QEMU" "${QEMU_ARGS[@]}" </dev/null >"$RUN/console" 2>"$RUN/qemu.stderr" &
QPID=$!

# watchdog: hard timeout, and a grace period for poweroff after GUEST-EXIT
(
  deadline=$(( $(date +%s) + TIMEOUT )); grace=
  while kill -0 "$QPID" 2>/dev/null; do
    t=$(date +%s)
    if [ -f "$RUN/guest-exited" ] && [ -z "$grace" ]; then grace=$((t + 15)); fi
    # after a kernel oops the guest gets 60 s to finish (the oops usually hangs it)
    if [ -f "$RUN/oops" ] && [ -z "$grace" ]; then grace=$((t + 60)); fi
    if [ -n "$grace" ] && [ "$t" -ge "$grace" ]; then
      echo "run.sh: guest did not power off (after GUEST-EXIT or a kernel oops); killing qemu $QPID" >&2
      kill "$QPID" 2>/dev/null; break
    fi
    if [ "$t" -ge "$deadline" ]; then
      touch "$RUN/timed-out"
      kill "$QPID" 2>/dev/null; sleep 3; kill -9 "$QPID" 2>/dev/null; break
    fi
    sleep 1
  done
) &
WPID=$!

# control channel responder
(
  set -f
  trap 'exit 0' TERM
  exec 3<>"$RUN/ctl.out" 4<>"$RUN/ctl.in"
  while IFS= read -r line <&3; do
    line=${line//$'\r'/}
    case $line in
      "REQ "*) ;;
      *) [ -n "$line" ] && echo "[host] ignored on control channel: $line" >> "$LOG"; continue ;;
    esac
    rest=${line#REQ }; id=${rest%% *}; cmd=${rest#"$id"}; cmd=${cmd# }
    [ "$id" = "$rest" ] && cmd=
    t1=$(date +%s.%N)
    if [ -z "${E2E_HOST_HOOK:-}" ]; then
      echo "no host hook configured (E2E_HOST_HOOK)" > "$RUN/req.out"; rc=127
    else
      # shellcheck disable=SC2086
      "$E2E_HOST_HOOK" $cmd </dev/null > "$RUN/req.out" 2>&1 &
      echo $! > "$RUN/hook.pid"
      wait $!; rc=$?
      rm -f "$RUN/hook.pid"
    fi
    while IFS= read -r out || [ -n "$out" ]; do
      printf 'RSP %s %s\n' "$id" "$out" >&4
    done < "$RUN/req.out"
    printf 'END %s %s\n' "$id" "$rc" >&4
    {
      echo "[host] request $id: $cmd -> exit $rc ($(elapsed "$t1") s)"
      sed 's/^/[host]   /' "$RUN/req.out"
    } >> "$LOG"
  done
) &
CPID=$!

GUEST_EXIT= LINES=0 READY_AT=
while IFS= read -r line || [ -n "$line" ]; do
  line=${line//$'\r'/}
  LINES=$((LINES + 1))
  printf '%s\n' "$line" >> "$LOG"
  [ "${E2E_QUIET:-0}" = 1 ] || printf '%s\n' "$line"
  case $line in
    *"E2E-INIT ready"*) READY_AT=$(elapsed "$T0") ;;
  esac
  case $line in
    *"BUG: "*|*"Oops: "*|*"Kernel panic"*|*"general protection fault"*|*"kernel BUG at"*)
      [ -f "$RUN/oops" ] || echo "$line" > "$RUN/oops" ;;
  esac
  if [[ $line =~ GUEST-EXIT\ ([0-9]+) ]]; then
    GUEST_EXIT=${BASH_REMATCH[1]}
    touch "$RUN/guest-exited"
  fi
done < "$RUN/console"
wait "$QPID"; QRC=$?
QPID=
ELAPSED=$(elapsed "$T0")

if [ -s "$RUN/qemu.stderr" ]; then
  sed 's/^/[qemu] /' "$RUN/qemu.stderr" >> "$LOG"
fi

OOPS=
[ -f "$RUN/oops" ] && OOPS=$(cat "$RUN/oops")
if [ -n "$OOPS" ]; then
  loud "GUEST KERNEL OOPS in $NAME: $OOPS (console: $LOG)"
fi
if [ -f "$RUN/timed-out" ]; then
  loud "TIMEOUT: $NAME did not finish within ${TIMEOUT}s; qemu killed (console: $LOG)"
  RC=124
elif [ -n "$GUEST_EXIT" ]; then
  RC=$GUEST_EXIT
  # a scenario that passed on a kernel that oopsed has not passed
  [ "$RC" -eq 0 ] && [ -n "$OOPS" ] && RC=1
elif [ "$LINES" -eq 0 ] && [ "$QRC" -ne 0 ]; then
  loud "QEMU CANNOT START (exit $QRC): $(tr '\n' ' ' < "$RUN/qemu.stderr")"
  RC=125
else
  loud "GUEST DIED: $NAME ended without GUEST-EXIT (qemu exit $QRC; console: $LOG)"
  sed 's/^/[qemu] /' "$RUN/qemu.stderr" >&2
  RC=126
fi
echo "RUN-RESULT $NAME exit=$RC accel=$ACCEL boot_to_ready=${READY_AT:-?}s total=${ELAPSED}s" | tee -a "$LOG"
exit "$RC"
