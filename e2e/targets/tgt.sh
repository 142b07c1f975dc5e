# shellcheck shell=bash
# Target plugin: Debian's tgtd, the reference target used to validate the harness.
# One target (E2E_TGT_IQN), LUN 1.. backed by sparse files in $E2E_STATE with thin provisioning
# (UNMAP punches holes, so "mem-used" = the allocated bytes of the backing file), listening on
# 127.0.0.1:$E2E_PORT. tgtd cannot advertise another address: SendTargets answers 127.0.0.1:PORT
# and the guest library re-creates the node records for 10.0.2.2:PORT.
# Device names are lunN (N = the LUN). The backing files survive a restart, so data does too.
# Sourced (bash) by run-scenarios.sh and host-hook.sh; see e2e/README.md for the interface.

E2E_TGT_IQN=${E2E_TGT_IQN:-iqn.2026-11.io.jzram.e2e:tgt}

# tgtd's management channel is the unix socket /var/run/tgtd/socket.<control port>; the control
# port must be below 32768: one not in use is chosen at start and kept in the state directory
_tgt_cport() { cat "$E2E_STATE/tgt.cport"; }
_tgtadm() { tgtadm -C "$(_tgt_cport)" --lld iscsi "$@"; }

_tgt_lu_new() {  # LUN FILE
  _tgtadm --mode logicalunit --op new --tid 1 --lun "$1" --backing-store "$2" &&
    _tgtadm --mode logicalunit --op update --tid 1 --lun "$1" --params thin_provisioning=1
}

target_start() {
  command -v tgtd >/dev/null || { elog "tgtd not installed (apt-get install tgt)"; return 1; }
  local i=1 s f pid name lun
  if [ ! -f "$E2E_STATE/devices" ]; then
    for s in ${E2E_DEVICES:-1G 256M}; do
      f=$E2E_STATE/lun$i.img
      truncate -s "$(size_bytes "$s")" "$f"
      echo "lun$i $i $f" >> "$E2E_STATE/devices"
      i=$((i + 1))
    done
  fi
  if [ ! -f "$E2E_STATE/tgt.cport" ]; then
    local c=$(( E2E_PORT % 30000 + 1000 ))
    while [ -e "/var/run/tgtd/socket.$c" ]; do c=$(( c % 32000 + 1 )); done
    echo "$c" > "$E2E_STATE/tgt.cport"
  fi
  tgtd -f -C "$(_tgt_cport)" --iscsi "portal=127.0.0.1:$E2E_PORT" >> "$E2E_STATE/server.log" 2>&1 &
  pid=$!
  echo "$pid" > "$E2E_STATE/server.pid"
  # the management socket comes up with the listener
  wait_port "$E2E_PORT" 20 "$pid" || { elog "tgtd did not start (log: $E2E_STATE/server.log)"; return 1; }
  i=0
  until _tgtadm --mode target --op show >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 100 ] && { elog "tgtadm cannot reach tgtd"; return 1; }; sleep 0.1
  done
  _tgtadm --mode target --op new --tid 1 --targetname "$E2E_TGT_IQN" || return 1
  _tgtadm --mode target --op bind --tid 1 --initiator-address ALL || return 1
  while read -r name lun f; do
    _tgt_lu_new "$lun" "$f" || return 1
  done < "$E2E_STATE/devices"
  elog "tgtd $pid on 127.0.0.1:$E2E_PORT: $(tr '\n' ' ' < "$E2E_STATE/devices")"
}

target_pid() { cat "$E2E_STATE/server.pid" 2>/dev/null; }

target_alive() {
  local pid; pid=$(target_pid)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && port_listening "$E2E_PORT"
}

target_stop() {  # [--kill]: SIGKILL at once (a crash); else tgtd's orderly shutdown
  local pid; pid=$(target_pid)
  [ -n "$pid" ] || { echo "not running"; return 0; }
  if ! kill -0 "$pid" 2>/dev/null; then echo "tgtd $pid already gone"; rm -f "$E2E_STATE/server.pid"; return 1; fi
  echo "tgtd $pid: rss $(rss_kib "$pid") KiB before stop"
  if [ "${1:-}" = --kill ]; then
    kill -9 "$pid"
  else
    # tgtd ignores SIGTERM: take it offline, delete the target, then the system
    _tgtadm --mode system --op update --name State -v offline >/dev/null 2>&1
    _tgtadm --mode target --op delete --tid 1 --force >/dev/null 2>&1
    _tgtadm --mode system --op delete >/dev/null 2>&1
  fi
  if ! wait_gone "$pid" 15; then
    echo "tgtd $pid did not exit within 15 s: SIGKILL"
    kill -9 "$pid" 2>/dev/null; wait_gone "$pid" 5
    rm -f "$E2E_STATE/server.pid"
    return 1
  fi
  rm -f "$E2E_STATE/server.pid"
  echo "tgtd $pid stopped"
}

target_info() {
  echo "iqn=$E2E_TGT_IQN"
  echo "portal=127.0.0.1:$E2E_PORT"
  echo "advertises=127.0.0.1:$E2E_PORT"
}

target_devices() {  # NAME LUN BYTES
  local name lun f
  while read -r name lun f; do
    echo "$name $lun $(stat -c %s "$f")"
  done < "$E2E_STATE/devices"
}

_tgt_file() { awk -v d="$1" '$1 == d {print $3}' "$E2E_STATE/devices"; }

target_request() {
  local cmd=$1 f lun name
  shift
  case $cmd in
    mem-used)  # bytes allocated to the backing file
      f=$(_tgt_file "$1"); [ -n "$f" ] || { echo "no device $1"; return 2; }
      echo $(( $(stat -c '%b * %B' "$f") )) ;;
    hot-add)   # hot-add [SIZE]: a new LUN
      lun=$(( $(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$E2E_STATE/devices") + 1 ))
      name=lun$lun; f=$E2E_STATE/$name.img
      truncate -s "$(size_bytes "${1:-256M}")" "$f"
      _tgt_lu_new "$lun" "$f" || return 1
      echo "$name $lun $f" >> "$E2E_STATE/devices"
      echo "$name $lun $(stat -c %s "$f")" ;;
    remove)    # remove lunN
      lun=$(awk -v d="$1" '$1 == d {print $2}' "$E2E_STATE/devices")
      [ -n "$lun" ] || { echo "no device $1"; return 2; }
      _tgtadm --mode logicalunit --op delete --tid 1 --lun "$lun" || return 1
      sed -i "/^$1 /d" "$E2E_STATE/devices" ;;
    *)
      echo "tgt: '$cmd' is not supported by this target"
      return 3 ;;
  esac
}
