#!/usr/bin/env bash
# CI entry point of the end-to-end tests with a real Linux initiator:
#   1. installs the Debian packages the harness needs (idempotent: apt-get only when one is missing)
#   2. builds (or reuses) the VM image
#   3. boots the VM once with a probe: if qemu cannot start at all, says so loudly and exits 0
#      (the only case that skips); any other probe failure fails
#   4. runs every scenario against jzram (or E2E_TARGET=tgt: the harness's self-check)
# Exit: 0 all passed (or skipped because qemu cannot start); non-zero on any failure.
#
# Usage: e2e/ci.sh [--install-only] [--target jzram|tgt] [SCENARIO...]
# Env:   E2E_JZRAM  the jzram launcher (default ./jzram at the top of the repository)
#        E2E_TARGET  jzram (default) or tgt
set -uo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
T0=$(date +%s)

PACKAGES=(
  qemu-system-x86 linux-image-amd64 open-iscsi busybox-static e2fsprogs util-linux sg3-utils
  fio tgt libiscsi-bin cpio xz-utils zstd gzip kmod iproute2 procps
)
INSTALL_ONLY=0
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --install-only) INSTALL_ONLY=1; shift ;;
    --target) export E2E_TARGET=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
export E2E_TARGET=${E2E_TARGET:-jzram}

say() { echo "[e2e-ci $(date +%H:%M:%S)] $*"; }
loud() {
  echo "######################################################################"
  for l in "$@"; do echo "### $l"; done
  echo "######################################################################"
}

# ---------------------------------------------------------------- 1. packages
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then loud "e2e needs root to install: ${missing[*]}"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || { loud "apt-get update failed"; exit 1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/e2e-apt.log 2>&1 || {
    tail -n 30 /tmp/e2e-apt.log; loud "apt-get install failed: ${missing[*]}"; exit 1; }
  # the packages may have started daemons of their own (no init system here: usually none)
else
  say "packages present"
fi
[ "$INSTALL_ONLY" = 1 ] && exit 0

# ---------------------------------------------------------------- 2. image
t=$(date +%s)
"$E2E_DIR/linux-initiator/build-image.sh" >/dev/null || { loud "the VM image could not be built"; exit 1; }
say "image ready in $(( $(date +%s) - t )) s: $(readlink "$E2E_DIR/linux-initiator/cache/current")"

# ---------------------------------------------------------------- 3. probe
t=$(date +%s)
E2E_TIMEOUT=120 E2E_QUIET=1 "$E2E_DIR/linux-initiator/run.sh" "$E2E_DIR/linux-initiator/probe.sh"
rc=$?
case $rc in
  0) say "VM boots: probe passed in $(( $(date +%s) - t )) s" ;;
  125)
    loud "SKIPPED: QEMU CANNOT START ON THIS MACHINE, NO END-TO-END TEST RAN" \
         "(see the qemu error above; e2e/README.md, 'Known quirks')"
    exit 0 ;;
  *) loud "the VM probe failed (exit $rc): the harness is broken here"; exit 1 ;;
esac

# ---------------------------------------------------------------- 4. scenarios
if [ "$E2E_TARGET" = jzram ]; then
  E2E_JZRAM=${E2E_JZRAM:-$(cd "$E2E_DIR/.." && pwd)/jzram}
  export E2E_JZRAM
  if [ ! -x "$E2E_JZRAM" ]; then
    loud "FAILED: the jzram launcher $E2E_JZRAM does not exist (build it, or set E2E_JZRAM)"
    exit 1
  fi
  # the launcher builds its jar when missing or stale: do it now, not inside a scenario's start
  t=$(date +%s)
  if ! v=$("$E2E_JZRAM" --version 2>&1); then
    echo "$v" | tail -n 30
    loud "FAILED: $E2E_JZRAM --version failed (the build?)"
    exit 1
  fi
  say "$(echo "$v" | tail -n 1) ready in $(( $(date +%s) - t )) s"
fi
"$E2E_DIR/run-scenarios.sh" --target "$E2E_TARGET" "${ARGS[@]}"
rc=$?
say "total $(( $(date +%s) - T0 )) s, exit $rc"
exit $rc
