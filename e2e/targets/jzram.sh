# shellcheck shell=bash
# Target plugin: jzram itself, through its command line:
#   jzram serve --no-shell --listen 127.0.0.1:PORT --advertise 10.0.2.2:PORT \
#               --control-socket SOCK --device SIZE [--device SIZE...]
#   jzram --control-socket SOCK <command>     (zramctl --output-all --bytes, stat zramN,
#                                              hot-add, reset zramN [--force], zramctl ...)
# Devices are zram0, zram1... and device zramN is LUN N of the one target.
# E2E_JZRAM: the launcher (default: ./jzram at the top of the repository).
# Sourced (bash) by run-scenarios.sh and host-hook.sh; see e2e/README.md for the interface.

E2E_JZRAM=${E2E_JZRAM:-$(cd "$E2E_DIR/.." && pwd)/jzram}

_jz() { "$E2E_JZRAM" --control-socket "$E2E_STATE/control.sock" "$@"; }

target_start() {
  [ -x "$E2E_JZRAM" ] || { elog "jzram launcher not found or not executable: $E2E_JZRAM (set E2E_JZRAM)"; return 1; }
  local args=() s pid
  for s in ${E2E_DEVICES:-1G 256M}; do args+=(--device "$s"); done
  rm -f "$E2E_STATE/control.sock"
  "$E2E_JZRAM" serve --no-shell --listen "127.0.0.1:$E2E_PORT" --advertise "10.0.2.2:$E2E_PORT" \
    --control-socket "$E2E_STATE/control.sock" "${args[@]}" ${E2E_JZRAM_ARGS:-} \
    </dev/null >> "$E2E_STATE/server.log" 2>&1 &
  pid=$!
  echo "$pid" > "$E2E_STATE/server.pid"
  if ! wait_port "$E2E_PORT" "${E2E_JZRAM_START_TIMEOUT:-120}" "$pid"; then
    elog "jzram serve did not listen on 127.0.0.1:$E2E_PORT (log: $E2E_STATE/server.log):"
    tail -n 30 "$E2E_STATE/server.log" >&2
    return 1
  fi
  local i=0
  until [ -S "$E2E_STATE/control.sock" ]; do
    i=$((i + 1)); [ $i -gt 100 ] && { elog "no control socket $E2E_STATE/control.sock"; return 1; }; sleep 0.1
  done
  elog "jzram serve $pid on 127.0.0.1:$E2E_PORT (advertised 10.0.2.2:$E2E_PORT), devices ${E2E_DEVICES:-1G 256M}"
}

target_pid() { cat "$E2E_STATE/server.pid" 2>/dev/null; }

target_alive() {
  local pid; pid=$(target_pid)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && port_listening "$E2E_PORT"
}

# stop [--kill]: SIGTERM (orderly: sessions closed, devices reset, memory freed) and up to 30 s
# to exit, or SIGKILL at once (a crash). Prints the server's RSS before, its exit and how long
# it took; after SIGTERM fails if it had to be killed, exited non-zero, did not log its orderly
# stop, logged a device it could not free, or left its control socket.
target_stop() {
  local pid rc=0 t0 sig=TERM
  pid=$(target_pid)
  [ -n "$pid" ] || { echo "not running"; return 0; }
  if ! kill -0 "$pid" 2>/dev/null; then echo "jzram $pid already gone"; rm -f "$E2E_STATE/server.pid"; return 1; fi
  echo "jzram $pid: rss $(rss_kib "$pid") KiB before stop"
  [ "${1:-}" = --kill ] && sig=KILL
  local log=$E2E_STATE/server.log n_stopped n_unfreed
  n_stopped=$(grep -c 'JzramServer - stopped' "$log")
  n_unfreed=$(grep -c 'could not free\|interrupted while freeing' "$log")
  t0=$(date +%s.%N)
  kill -"$sig" "$pid"
  if ! wait_gone "$pid" 30; then
    echo "jzram $pid did not exit within 30 s of SIG$sig: SIGKILL"
    kill -9 "$pid" 2>/dev/null; wait_gone "$pid" 5
    rc=1
  fi
  # exit status: only known when the server is our child (run-scenarios.sh started it)
  if wait "$pid" 2>/dev/null; then :; else
    local st=$?
    if [ "$sig" = TERM ] && [ $st -ne 127 ] && [ $st -ne 143 ] && [ $st -ne 0 ]; then
      echo "jzram $pid exited with status $st after SIGTERM"; rc=1
    fi
  fi
  # an orderly stop resets and removes every device ("JzramServer - stopped"), freeing its
  # memory, and removes the control socket
  if [ "$sig" = TERM ]; then
    if [ "$(grep -c 'JzramServer - stopped' "$log")" -le "$n_stopped" ]; then
      echo "jzram $pid did not log its orderly stop ('JzramServer - stopped')"; rc=1
    fi
    if [ "$(grep -c 'could not free\|interrupted while freeing' "$log")" -gt "$n_unfreed" ]; then
      echo "jzram $pid could not free every device:"; grep 'could not free\|interrupted while freeing' "$log" | tail -n 5; rc=1
    fi
    if [ -e "$E2E_STATE/control.sock" ]; then echo "jzram $pid left its control socket behind"; rc=1; fi
  fi
  rm -f "$E2E_STATE/server.pid"
  echo "jzram $pid stopped (SIG$sig) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
  return $rc
}

target_info() {
  echo "portal=127.0.0.1:$E2E_PORT"
  echo "advertises=10.0.2.2:$E2E_PORT"
  _jz zramctl --output-all --bytes 2>&1 | sed 's/^/zramctl: /'
}

# "NAME DISKSIZE TOTAL LUN" for every device, sizes in bytes: zramctl with named columns in raw
# mode (no padding, so no column can shift), else --output-all --bytes read by its headers
_jz_table() {
  local out
  if out=$(_jz zramctl --output NAME,DISKSIZE,TOTAL,LUN --bytes --noheadings --raw 2>/dev/null); then
    echo "$out" | awk 'NF >= 3 { n = $1; sub(".*/", "", n); print n, $2, $3, $4 }'
  else
    _jz zramctl --output-all --bytes | awk '
      NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
      { n = $col["NAME"]; sub(".*/", "", n); print n, $col["DISKSIZE"], $col["TOTAL"], ("LUN" in col ? $col["LUN"] : "") }'
  fi
}

# NAME LUN BYTES for every device with a disk size (LUN: the LUN column, else N of zramN)
target_devices() {
  _jz_table | awk '{ l = $4; if (l == "") { l = $1; sub("^zram", "", l) } if ($2 + 0 > 0) print $1, l, $2 }'
}

# one field of _jz_table for one device: 2 DISKSIZE, 3 TOTAL, 4 LUN
_jz_column() {  # DEV FIELD
  _jz_table | awk -v d="$1" -v f="$2" '$1 == d { print $f; found = 1 } END { exit found ? 0 : 1 }'
}

_jz_mm_stat() {  # DEV: the mm_stat line, from `stat DEV` ("mm_stat ..." line, or its only line)
  local out
  out=$(_jz stat "$1") || return 1
  if echo "$out" | grep -q 'mm_stat'; then
    echo "$out" | grep 'mm_stat' | head -n 1 | sed 's/.*mm_stat[^0-9]*//'
  else
    echo "$out" | head -n 1
  fi
}

# access ...: writes the access list the words describe as [[initiator]] / [discovery] tables of
# a configuration file (mode 0600: it holds the test's CHAP secrets) and applies it; the file
# names no device, so the devices stay as they are (and a file without access tables would leave
# the access list as it is: every call here names at least one table).
_jz_access() {
  local f=$E2E_STATE/access.toml w in_table=
  ( umask 077; : > "$f" )
  while [ $# -gt 0 ]; do
    w=$1; shift
    case $w in
      initiator) printf '\n[[initiator]]\nname = "%s"\n' "$1" >> "$f"; shift; in_table=1 ;;
      discovery) printf '\n[discovery]\nchap_user = "%s"\nchap_secret = "%s"\n' "$1" "$2" >> "$f"; shift 2; in_table= ;;
      chap)      printf 'chap_user = "%s"\nchap_secret = "%s"\n' "$1" "$2" >> "$f"; shift 2 ;;
      mutual)    printf 'mutual_user = "%s"\nmutual_secret = "%s"\n' "$1" "$2" >> "$f"; shift 2 ;;
      devices)   local ids=() ; while [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; do ids+=("\"zram$1\""); shift; done
                 printf 'devices = [%s]\n' "$(IFS=,; echo "${ids[*]}")" >> "$f" ;;
      *) echo "access: unknown word '$w'"; return 2 ;;
    esac
  done
  _jz apply "$f"
}

target_request() {
  local cmd=$1 v
  shift
  case $cmd in
    mem-used)   # mem_used_total in bytes: zramctl's TOTAL column, else mm_stat field 3
      if v=$(_jz_column "$1" 3) && [ -n "$v" ]; then echo "$v"; return 0; fi
      v=$(_jz_mm_stat "$1") || { echo "no stats for $1"; return 2; }
      echo "$v" | awk '{print $3}' ;;
    mm-stat)  _jz_mm_stat "$1" ;;
    stat)     _jz stat "$@" ;;
    zramctl)  _jz zramctl "$@" ;;
    hot-add)    # hot-add [SIZE]: prints "zramN N BYTES" when a size is given and init worked
      v=$(_jz hot-add) || { echo "$v"; return 1; }
      v=$(echo "$v" | grep -o '[0-9][0-9]*' | tail -n 1)
      [ -n "$v" ] || { echo "hot-add printed no device id"; return 1; }
      if [ -n "${1:-}" ]; then
        _jz zramctl --size "$1" "zram$v" || return 1
      fi
      echo "zram$v $(_jz_column "zram$v" 4 2>/dev/null || echo "$v") $(_jz_column "zram$v" 2 2>/dev/null || echo 0)" ;;
    find)       # find SIZE: zramctl --find --size SIZE
      _jz zramctl --find --size "$1" ;;
    reset)      # reset zramN [--force]
      _jz reset "$@" ;;
    init)       # init zramN SIZE (after a reset)
      _jz zramctl --size "$2" "$1" ;;
    remove)     # hot-remove zramN
      _jz hot-remove "$1" ;;
    cli)        # any command of the control CLI
      _jz "$@" ;;
    access)     # access [discovery USER SECRET] [initiator NAME [chap USER SECRET] [mutual USER SECRET] [devices ID...]]...
      _jz_access "$@" ;;
    tier-setup) # tier-setup zramN SIZE: zramN set up again (forced reset) with zstd as its recompression
                # algorithm and an empty backing file in the state directory, through the kernel's attributes
      v=$E2E_STATE/$1.wb
      : > "$v" || return 1
      _jz reset "$1" --force >/dev/null || return 1
      _jz sysfs "$1" recomp_algorithm "algo=zstd priority=1" || return 1
      _jz sysfs "$1" backing_dev "$v" || return 1
      _jz sysfs "$1" disksize "$2" || return 1
      echo "$1: recomp_algorithm zstd, backing_dev $v, disksize $(_jz sysfs "$1" disksize)" ;;
    tier-pass)  # tier-pass zramN: idle all, recompress type=idle, writeback idle; prints mm_stat and bd_stat
      _jz sysfs "$1" idle all || return 1
      _jz sysfs "$1" recompress type=idle || return 1
      _jz sysfs "$1" writeback idle || return 1
      echo "mm_stat $(_jz sysfs "$1" mm_stat) bd_stat $(_jz sysfs "$1" bd_stat)" ;;
    tier-policy) # tier-policy zramN RECOMPRESS_AGE WRITEBACK_AGE BUDGET: the background policy
      _jz sysfs "$1" recompress_idle_after "$2" && _jz sysfs "$1" writeback_idle_after "$3" \
        && _jz sysfs "$1" tiering_cpu_budget "$4" ;;
    sysfs)      # sysfs zramN ATTRIBUTE [VALUE]
      _jz sysfs "$@" ;;
    *)
      echo "jzram: unknown request '$cmd'"
      return 3 ;;
  esac
}
