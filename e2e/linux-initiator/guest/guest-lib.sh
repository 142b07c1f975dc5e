# Library for guest scenarios (busybox sh). Source it:  . /usr/lib/e2e/guest-lib.sh
#
# Checks:     pass MSG | fail MSG | skip MSG | check MSG CMD... | expect_eq MSG WANT GOT
#             abort MSG (fail, dump diagnostics, end the scenario) | scenario_end
# Host:       host CMD ARGS...   (prints the host's answer, returns the host command's exit code)
# iSCSI:      discover | login [IQN] | logout_all | sessions | wait_disks N [SECONDS]
#             session_disks SID (lines "LUN sdX") | disk_of_lun LUN [SID] | all_disks
# Misc:       now (seconds since boot, 2 decimals) | dump_diagnostics | with_timeout SECONDS CMD...
#
# Environment set by run.sh: TARGET_PORTAL (10.0.2.2:PORT), E2E_TARGET (tgt|jzram), E2E_SCENARIO,
# and whatever ENV=VALUE the runner passed.

E2E_PASS=0
E2E_FAIL=0
E2E_SKIP=0
: "${E2E_SCENARIO:=scenario}"

now() { awk '{printf "%.2f\n", $1}' /proc/uptime; }
since() { awk -v t0="$1" '{printf "%.2f\n", $1 - t0}' /proc/uptime; }

say()  { echo "[$(now)] $*"; }
step() { echo; echo "==== [$(now)] $*"; }
pass() { E2E_PASS=$((E2E_PASS + 1)); echo "CHECK ok   $*"; }
fail() { E2E_FAIL=$((E2E_FAIL + 1)); echo "CHECK FAIL $*"; }
skip() { E2E_SKIP=$((E2E_SKIP + 1)); echo "CHECK skip $*"; }

check() {  # check MSG CMD...: passes when CMD exits 0
  _msg=$1; shift
  if "$@"; then pass "$_msg"; return 0; else _rc=$?; fail "$_msg (exit $_rc: $*)"; return $_rc; fi
}

expect_eq() {  # expect_eq MSG WANT GOT
  if [ "$2" = "$3" ]; then pass "$1 ($3)"; return 0; else fail "$1: want '$2', got '$3'"; return 1; fi
}

scenario_end() {
  echo
  echo "SCENARIO-RESULT $E2E_SCENARIO passed=$E2E_PASS failed=$E2E_FAIL skipped=$E2E_SKIP"
  if [ "$E2E_FAIL" -gt 0 ]; then dump_diagnostics; exit 1; fi
  exit 0
}

abort() {
  fail "$*"
  scenario_end
}

dump_diagnostics() {
  echo "---- diagnostics: iscsiadm -m session -P 3"
  iscsiadm -m session -P 3 2>&1 | head -80
  echo "---- lsblk"
  lsblk -b -o NAME,HCTL,SIZE,TYPE,TRAN,MOUNTPOINT 2>&1
  echo "---- iscsid log (tail)"
  tail -n 40 /tmp/iscsid.log 2>/dev/null
  echo "---- dmesg (tail)"
  dmesg 2>/dev/null | sed -n '/Run \/init/,$p' | tail -n 60
  echo "---- end of diagnostics"
}

with_timeout() {  # with_timeout SECONDS CMD...: CMD killed after SECONDS (exit 124 like coreutils)
  _t=$1; shift
  timeout "$_t" "$@"
  _rc=$?
  # busybox timeout exits with the signal's status (143) when it fires
  [ $_rc -eq 143 ] && _rc=124
  return $_rc
}

# ---------------------------------------------------------------- host requests
# A request is one line "REQ <id> <words...>" written to the control channel (ttyS1, fd 7); the
# host answers "RSP <id> <line>" for each line of its output, then "END <id> <exit code>".
# Requests are serialised with a lock directory, so background jobs may use host() too.
host() {
  if [ -z "${E2E_HOST_FD:-}" ]; then echo "host: no control channel" >&2; return 127; fi
  while ! mkdir /tmp/.host.lock 2>/dev/null; do sleep 0.1; done
  _seq=$(cat /tmp/.host.seq 2>/dev/null || echo 0); _seq=$((_seq + 1)); echo $_seq > /tmp/.host.seq
  _id="g$_seq"
  echo "HOST-REQUEST $_id $*" >&2
  printf 'REQ %s %s\n' "$_id" "$*" >&7
  _cr=$(printf '\r')
  _hrc=124
  while :; do
    if ! IFS= read -r -t "${E2E_HOST_TIMEOUT:-300}" _line <&7; then
      echo "host: no answer to request $_id within ${E2E_HOST_TIMEOUT:-300} s" >&2
      break
    fi
    _line=${_line%"$_cr"}
    case $_line in
      "RSP $_id "*) printf '%s\n' "${_line#"RSP $_id "}" ;;
      "RSP $_id")   echo ;;
      "END $_id "*) _hrc=${_line#"END $_id "}; break ;;
      *) echo "host: unexpected line on the control channel: $_line" >&2 ;;
    esac
  done
  rmdir /tmp/.host.lock
  return "$_hrc"
}

# ---------------------------------------------------------------- iSCSI helpers
# discover: SendTargets against $TARGET_PORTAL; prints "IQN" lines. When the target advertises
# a portal the VM cannot reach (tgtd answers with its listen address 127.0.0.1), the node
# records are re-created for $TARGET_PORTAL and a note is printed; E2E_ADVERTISED is set to the
# portal the target advertised for the last IQN.
discover() {
  iscsiadm -m discovery -t sendtargets -p "$TARGET_PORTAL" > /tmp/discovery.txt 2>/tmp/discovery.err || {
    cat /tmp/discovery.err >&2; return 1; }
  while read -r _portal _iqn; do
    _p=${_portal%,*}
    E2E_ADVERTISED=$_p
    if [ "$_p" != "$TARGET_PORTAL" ]; then
      echo "note: $_iqn advertised at $_p, not at $TARGET_PORTAL: node record re-created for $TARGET_PORTAL" >&2
      iscsiadm -m node -T "$_iqn" -p "$_p" -o delete >/dev/null 2>&1
      iscsiadm -m node -T "$_iqn" -p "$TARGET_PORTAL" -o new >/dev/null || return 1
    fi
    echo "$_iqn"
  done < /tmp/discovery.txt
}

login() {  # login [IQN]: all discovered nodes, or one
  if [ -n "${1:-}" ]; then
    iscsiadm -m node -T "$1" -p "$TARGET_PORTAL" --login
  else
    iscsiadm -m node --login
  fi
}

logout_all() {
  iscsiadm -m node --logout >/dev/null 2>&1
  _r=$?
  # 21: no matching sessions
  [ $_r -eq 0 ] || [ $_r -eq 21 ]
}

sessions() {  # lines "SID IQN"
  iscsiadm -m session 2>/dev/null | sed -n 's/^[a-z]*: \[\([0-9]*\)\] [^ ]* \([^ ]*\).*/\1 \2/p'
}

session_disks() {  # session_disks SID: lines "LUN sdX", LUN order
  for _b in /sys/class/iscsi_session/session"$1"/device/target*/*:*:*:*/block/*; do
    [ -e "$_b" ] || continue
    _hctl=$(basename "$(dirname "$(dirname "$_b")")")
    echo "${_hctl##*:} $(basename "$_b")"
  done | sort -n
}

all_disks() {  # lines "SID LUN sdX"
  for _s in $(sessions | cut -d' ' -f1); do
    session_disks "$_s" | sed "s/^/$_s /"
  done
}

disk_of_lun() {  # disk_of_lun LUN [SID]: prints sdX of the first session (or SID) with that LUN
  all_disks | awk -v l="$1" -v s="${2:-}" '$2 == l && (s == "" || $1 == s) {print $3; exit}'
}

wait_disks() {  # wait_disks N [SECONDS]: until at least N iSCSI disks exist
  _n=$1; _t=$(( ${2:-30} * 10 )); _i=0
  while [ "$(all_disks | wc -l)" -lt "$_n" ]; do
    _i=$((_i + 1)); [ $_i -gt $_t ] && return 1
    sleep 0.1
  done
  return 0
}

session_state() {  # session_state SID: LOGGED_IN, FAILED, FREE...
  cat /sys/class/iscsi_session/session"$1"/state 2>/dev/null
}

disk_bytes() { echo $(( $(cat /sys/block/"$1"/size) * 512 )); }

# parse a size such as 1G, 256M, 4096, 1.5G into bytes (K/M/G/T binary)
to_bytes() {
  awk -v s="$1" 'BEGIN {
    n = s + 0; u = substr(s, length(s)); m = 1
    if (u == "K" || u == "k") m = 1024; else if (u == "M" || u == "m") m = 1048576
    else if (u == "G" || u == "g") m = 1073741824; else if (u == "T" || u == "t") m = 1099511627776
    printf "%.0f\n", n * m }'
}
