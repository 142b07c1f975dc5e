#!/bin/sh
# e2e-devices: 256M
# e2e-timeout: 300
# Scenario 4, faults: the host's server stopped and restarted during guest I/O.
#   a) restarted quickly (before open-iscsi's replacement timeout): the I/O resumes after the
#      re-login or errors out, never hangs; the session comes back; new I/O works
#   b) killed (SIGKILL, a crash) and restarted: the same
#   c) down longer than the replacement timeout: the I/O fails within the timeout (no hang),
#      the session recovers once the server is back, new I/O works
#   d) an orderly stop with a session logged in and data stored: the server exits in time and
#      cleanly (and its memory goes with it); after a restart the guest logs out cleanly
. /usr/lib/e2e/guest-lib.sh

REPLACEMENT_TIMEOUT=${E2E_REPLACEMENT_TIMEOUT:-15}

wait_logged_in() {  # wait_logged_in SECONDS
  _i=0
  while [ "$(session_state "$sid")" != LOGGED_IN ]; do
    _i=$((_i + 1)); [ $_i -gt $(( $1 * 10 )) ] && return 1
    sleep 0.1
  done
}

# new I/O after recovery: 4 MiB written and read back in the middle of the device
io_works() {
  _d=/dev/$(disk_of_lun "$lun")
  st=$(cat /sys/block/"${_d#/dev/}"/device/state 2>/dev/null)
  [ "$st" = running ] || say "$_d state $st"
  _at=$(( bytes / 1048576 / 2 ))
  dd if=/tmp/r4 of="$_d" bs=1M seek=$_at oflag=direct status=none 2>/tmp/io.err &&
    dd if="$_d" of=/tmp/r4b bs=1M skip=$_at count=4 iflag=direct status=none 2>>/tmp/io.err &&
    cmp -s /tmp/r4 /tmp/r4b
  _r=$?
  [ $_r -eq 0 ] || cat /tmp/io.err
  return $_r
}

# writer in the background: N passes of 16 MiB at offset 0, exit code and passes in /tmp/writer.rc
start_writer() {
  rm -f /tmp/writer.rc /tmp/writer.err
  ( i=0; rc=0
    while [ $i -lt "$1" ]; do
      dd if=/tmp/r16 of="$D" bs=64k oflag=direct status=none 2>>/tmp/writer.err || { rc=$?; break; }
      i=$((i + 1))
    done
    echo "$rc $i" > /tmp/writer.rc ) &
  writer=$!
}

# wait_writer SECONDS LABEL: the writer must end; prints how it ended
wait_writer() {
  _i=0
  while kill -0 $writer 2>/dev/null && [ $_i -lt $(( $1 * 10 )) ]; do sleep 0.1; _i=$((_i + 1)); done
  if kill -0 $writer 2>/dev/null; then
    fail "$2: guest I/O still hangs after $1 s"
    kill $writer 2>/dev/null
    return 1
  fi
  read -r wrc wpasses < /tmp/writer.rc
  if [ "$wrc" -eq 0 ]; then
    pass "$2: guest I/O resumed and completed ($wpasses x 16 MiB) after $(since "$t0") s"
  else
    pass "$2: guest I/O errored out (exit $wrc after $wpasses x 16 MiB) after $(since "$t0") s, no hang: $(head -n 1 /tmp/writer.err)"
  fi
}

step "login (replacement_timeout $REPLACEMENT_TIMEOUT s)"
host devices > /tmp/devices || abort "host request 'devices' failed"
read -r dev lun bytes < /tmp/devices
discover > /tmp/iqns || abort "discovery failed"
iqn=$(head -n 1 /tmp/iqns)
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -o update -n node.session.timeo.replacement_timeout -v "$REPLACEMENT_TIMEOUT"
login "$iqn" >/dev/null || abort "login failed"
wait_disks 1 30 || abort "no disk"
sid=$(sessions | head -n 1 | cut -d' ' -f1)
D=/dev/$(disk_of_lun "$lun")
pass "$dev is $D, session $sid"
dd if=/dev/urandom of=/tmp/r16 bs=1M count=16 status=none
dd if=/dev/urandom of=/tmp/r4 bs=1M count=4 status=none
check "I/O works before any fault" io_works

step "a) server restarted during guest I/O"
start_writer 6
sleep 2
t0=$(now)
host restart 1; rc=$?
expect_eq "host: stop, 1 s, start" 0 "$rc"
wait_writer 120 "restart"
check "session LOGGED_IN again within 60 s" wait_logged_in 60
check "new I/O works after the restart" io_works

step "b) server killed (SIGKILL) during guest I/O and restarted"
start_writer 6
sleep 2
t0=$(now)
host restart --kill 1; rc=$?
expect_eq "host: kill -9, 1 s, start" 0 "$rc"
wait_writer 120 "kill -9"
check "session LOGGED_IN again within 60 s" wait_logged_in 60
check "new I/O works after the crash" io_works

step "c) server down longer than the replacement timeout ($REPLACEMENT_TIMEOUT s)"
down=$(( REPLACEMENT_TIMEOUT + 10 ))
host bounce "$down"
t0=$(now)
sleep 1
start_writer 1
wait_writer $(( REPLACEMENT_TIMEOUT + 45 )) "server down ${down} s"
read -r wrc wpasses < /tmp/writer.rc
check "the I/O failed (the server was down for longer than the replacement timeout)" test "$wrc" -ne 0
say "session state while the server is down: $(session_state "$sid")"
i=0; until host alive >/dev/null; do i=$((i + 1)); [ $i -gt 60 ] && break; sleep 1; done
check "the server is back" host alive
check "session LOGGED_IN again within 60 s of the server's return" wait_logged_in 60
check "new I/O works once the session is back" io_works

step "d) orderly stop with a session logged in and data stored"
dd if=/tmp/r16 of="$D" bs=1M oflag=direct status=none
if mu=$(host mem-used "$dev"); then say "host: $dev mem_used_total $mu before the stop"; fi
host rss
out=$(host stop); rc=$?
echo "$out"
expect_eq "the server stops in time and cleanly with a session logged in" 0 "$rc"
if host alive >/dev/null; then fail "the server still answers after the stop"; else pass "the server is gone"; fi
host start; rc=$?
expect_eq "host: start again" 0 "$rc"
check "session LOGGED_IN again within 60 s" wait_logged_in 60

step "logout"
check "logout" logout_all
check "no session left" test -z "$(sessions)"
scenario_end
