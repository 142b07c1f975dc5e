#!/bin/sh
# e2e-devices: 256M 256M 128M
# e2e-timeout: 300
# Scenario 3, several devices and sessions: three devices seen through two sessions at once
# (node.session.nr_sessions=2: two ISIDs to the one target), parallel dd through both with
# cross-session read-back, fio random writes at queue depth 16 verified through the other session, a device hot-added on the host appearing after
# `iscsiadm -m session --rescan`, a busy device refusing a reset, a forced reset during I/O
# (errors, no hang, the other devices unharmed), recovery after re-init and rescan, a device in
# use refusing to be unexported, a forced unexport (I/O errors, no hang), its export again (the
# data is still there), logout.
. /usr/lib/e2e/guest-lib.sh

# wwid of a disk: the same logical unit through two sessions must have the same one
wwid() { cat /sys/block/"$1"/device/wwid 2>/dev/null; }
# "SID sdX" of LUN $1 in every session
lun_paths() { all_disks | awk -v l="$1" '$2 == l {print $1, $3}'; }

step "devices exported by the host"
host devices > /tmp/devices || abort "host request 'devices' failed"
cat /tmp/devices
ndev=$(grep -c . /tmp/devices)
expect_eq "devices exported" 3 "$ndev"

step "two sessions to the one target"
discover > /tmp/iqns || abort "discovery failed"
iqn=$(head -n 1 /tmp/iqns)
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -o update -n node.session.nr_sessions -v 2
check "login (nr_sessions=2)" login "$iqn"
sessions > /tmp/sessions; cat /tmp/sessions
expect_eq "sessions" 2 "$(grep -c . /tmp/sessions)"
s1=$(sed -n 1p /tmp/sessions | cut -d' ' -f1); s2=$(sed -n 2p /tmp/sessions | cut -d' ' -f1)
check "every device in both sessions within 30 s" wait_disks $(( ndev * 2 )) 30
all_disks
lsblk -b -o NAME,HCTL,SIZE,WWN
exec 5< /tmp/devices
while read -r name lun bytes <&5; do
  a=$(disk_of_lun "$lun" "$s1"); b=$(disk_of_lun "$lun" "$s2")
  if [ -z "$a" ] || [ -z "$b" ]; then fail "$name: LUN $lun missing in a session ($a/$b)"; continue; fi
  expect_eq "$name: size through session $s1 ($a)" "$bytes" "$(disk_bytes "$a")"
  expect_eq "$name: size through session $s2 ($b)" "$bytes" "$(disk_bytes "$b")"
  expect_eq "$name: same wwid through both sessions" "$(wwid "$a")" "$(wwid "$b")"
done
exec 5<&-
check "every LU has its own wwid" test "$(for d in $(all_disks | awk '{print $3}'); do wwid "$d"; done | sort -u | wc -l)" -eq "$ndev"

# first and second device
read -r dA lA bA < /tmp/devices
sed -n 2p /tmp/devices > /tmp/dev2; read -r dB lB bB < /tmp/dev2
A1=$(disk_of_lun "$lA" "$s1"); A2=$(disk_of_lun "$lA" "$s2")
B1=$(disk_of_lun "$lB" "$s1"); B2=$(disk_of_lun "$lB" "$s2")

step "parallel dd through both sessions: $dA via session $s1 (/dev/$A1), $dB via session $s2 (/dev/$B2)"
dd if=/dev/urandom of=/tmp/ra bs=1M count=24 status=none
dd if=/dev/urandom of=/tmp/rb bs=1M count=24 status=none
t0=$(now)
dd if=/tmp/ra of=/dev/"$A1" bs=1M oflag=direct status=none & pa=$!
dd if=/tmp/rb of=/dev/"$B2" bs=1M oflag=direct status=none & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
say "2 x 24 MiB in parallel in $(since "$t0") s"
expect_eq "dd to $dA through session $s1" 0 "$ra"
expect_eq "dd to $dB through session $s2" 0 "$rb"
# read back through the other session
dd if=/dev/"$A2" of=/tmp/ra2 bs=1M count=24 iflag=direct status=none
dd if=/dev/"$B1" of=/tmp/rb2 bs=1M count=24 iflag=direct status=none
check "$dA written through session $s1 reads back through session $s2" cmp -s /tmp/ra /tmp/ra2
check "$dB written through session $s2 reads back through session $s1" cmp -s /tmp/rb /tmp/rb2
rm -f /tmp/ra2 /tmp/rb2

step "fio: random 4 KiB writes at queue depth 16 through both sessions, verified"
sed -n 3p /tmp/devices > /tmp/dev3; read -r dC lC bC < /tmp/dev3
C1=$(disk_of_lun "$lC" "$s1"); C2=$(disk_of_lun "$lC" "$s2")
t0=$(now)
fio --name=randverify --filename=/dev/"$C1" --ioengine=libaio --direct=1 --rw=randwrite --bs=4k \
    --iodepth=16 --size=16m --verify=crc32c --verify_fatal=1 --do_verify=0 --randrepeat=1 --eta=never \
    --output=/tmp/fio-w.txt
rc=$?
expect_eq "fio random writes to $dC through session $s1 (/dev/$C1)" 0 "$rc" || cat /tmp/fio-w.txt
fio --name=randverify --filename=/dev/"$C2" --ioengine=libaio --direct=1 --rw=randwrite --bs=4k \
    --iodepth=16 --size=16m --verify=crc32c --verify_fatal=1 --verify_only --randrepeat=1 --eta=never \
    --output=/tmp/fio-v.txt
rc=$?
expect_eq "fio verifies them through session $s2 (/dev/$C2)" 0 "$rc" || cat /tmp/fio-v.txt
grep -E 'IOPS|verify' /tmp/fio-w.txt /tmp/fio-v.txt | head -n 6
say "fio: $(since "$t0") s"

step "hot-add a device on the host, rescan"
if out=$(host hot-add 64M); then
  echo "$out"
  read -r dN lN bN <<EOF
$(echo "$out" | tail -n 1)
EOF
  say "host added $dN (LUN $lN, $bN bytes)"
  check "host-side device has a size" test "${bN:-0}" -gt 0
  check "iscsiadm -m session --rescan" iscsiadm -m session --rescan
  check "the new device appears in both sessions" wait_disks $(( ndev * 2 + 2 )) 30
  n1=$(disk_of_lun "$lN" "$s1"); n2=$(disk_of_lun "$lN" "$s2")
  if [ -n "$n1" ] && [ -n "$n2" ]; then
    expect_eq "$dN: size (/dev/$n1)" "$bN" "$(disk_bytes "$n1")"
    expect_eq "$dN: size (/dev/$n2)" "$bN" "$(disk_bytes "$n2")"
    dd if=/tmp/ra of=/dev/"$n1" bs=1M count=4 oflag=direct status=none
    dd if=/dev/"$n2" of=/tmp/n2 bs=1M count=4 iflag=direct status=none
    head -c 4194304 /tmp/ra > /tmp/ra4
    check "$dN: 4 MiB written through one session read back through the other" cmp -s /tmp/ra4 /tmp/n2
  else
    fail "$dN (LUN $lN) not seen in both sessions after the rescan"
  fi
  lsblk -b -o NAME,HCTL,SIZE
else
  rc=$?
  [ $rc -eq 3 ] && skip "hot-add not supported by $E2E_TARGET" || fail "host hot-add failed (exit $rc): $out"
fi

step "a busy device refuses a reset"
out=$(host reset "$dA"); rc=$?
echo "$out"
if [ $rc -eq 3 ]; then
  skip "reset not supported by $E2E_TARGET"
else
  check "reset $dA while logged in is refused (exit $rc)" test $rc -ne 0
  dd if=/dev/"$A1" of=/tmp/ra2 bs=1M count=24 iflag=direct status=none
  check "$dA's data intact after the refused reset" cmp -s /tmp/ra /tmp/ra2
  rm -f /tmp/ra2
fi

step "forced reset of $dB during I/O"
dd if=/dev/urandom of=/tmp/big bs=1M count=16 status=none
( i=0; rc=0
  while [ $i -lt 12 ]; do
    dd if=/tmp/big of=/dev/"$B1" bs=64k seek=$(( i * 256 )) oflag=direct status=none 2>>/tmp/writer.err || { rc=$?; break; }
    i=$((i + 1))
  done
  echo "$rc $i" > /tmp/writer.rc ) &
writer=$!
sleep 2
t0=$(now)
out=$(host reset "$dB" --force); rc=$?
echo "$out"
if [ $rc -eq 3 ]; then
  skip "forced reset not supported by $E2E_TARGET"
  wait $writer
else
  expect_eq "forced reset of $dB during I/O (host exit)" 0 "$rc"
  # the writer must end (with errors), not hang: up to 90 s
  i=0; while kill -0 $writer 2>/dev/null && [ $i -lt 900 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 $writer 2>/dev/null; then
    fail "the writer still hangs 90 s after the forced reset"
    kill $writer 2>/dev/null
  else
    read -r wrc wi < /tmp/writer.rc
    say "writer ended $(since "$t0") s after the reset: exit $wrc after $wi x 16 MiB; $(head -n 2 /tmp/writer.err | tr '\n' ' ')"
    check "the guest saw I/O errors after the forced reset" test "$wrc" -ne 0
  fi
  dmesg | tail -n 12
  dd if=/dev/"$A2" of=/tmp/ra2 bs=1M count=24 iflag=direct status=none
  check "$dA unharmed by $dB's reset (read through session $s2)" cmp -s /tmp/ra /tmp/ra2
  rm -f /tmp/ra2

  step "re-init $dB on the host, rescan, use it again"
  out=$(host init "$dB" "$bB"); rc=$?
  echo "$out"
  expect_eq "host re-init of $dB" 0 "$rc"
  check "iscsiadm -m session --rescan" iscsiadm -m session --rescan
  sleep 1
  for s in $s1 $s2; do
    d=$(disk_of_lun "$lB" "$s")
    if [ -z "$d" ]; then fail "$dB (LUN $lB) gone from session $s after the rescan"; continue; fi
    st=$(cat /sys/block/"$d"/device/state)
    if [ "$st" != running ]; then say "/dev/$d is $st: setting it running"; echo running > /sys/block/"$d"/device/state; fi
    echo 1 > /sys/block/"$d"/device/rescan
    expect_eq "$dB: size through session $s after re-init (/dev/$d)" "$bB" "$(disk_bytes "$d")"
  done
  B1=$(disk_of_lun "$lB" "$s1"); B2=$(disk_of_lun "$lB" "$s2")
  dd if=/tmp/big of=/dev/"$B1" bs=1M oflag=direct status=none
  check "write 16 MiB to $dB after recovery" test $? -eq 0
  dd if=/dev/"$B2" of=/tmp/big2 bs=1M count=16 iflag=direct status=none
  check "$dB reads back through the other session after recovery" cmp -s /tmp/big /tmp/big2
fi

step "unexport $dA while both sessions use it, then export it again"
out=$(host cli unexport "$dA"); rc=$?
echo "$out"
if [ $rc -eq 3 ]; then
  skip "unexport not supported by $E2E_TARGET"
else
  check "unexport of a device in use is refused without --force (exit $rc)" test $rc -ne 0
  out=$(host cli unexport --force "$dA"); rc=$?
  echo "$out"
  expect_eq "forced unexport of $dA (host exit)" 0 "$rc"
  # the LUN is gone: I/O to it fails with an error (LOGICAL UNIT NOT SUPPORTED), it does not hang
  with_timeout 60 dd if=/dev/"$A1" of=/dev/null bs=4k count=1 iflag=direct status=none 2>/tmp/unexp.err; rc=$?
  say "read of the withdrawn LUN: exit $rc: $(head -n 1 /tmp/unexp.err)"
  check "I/O to the withdrawn LUN fails, no hang (exit $rc)" test $rc -ne 0 -a $rc -ne 124
  dd if=/dev/"$C2" of=/dev/null bs=1M count=4 iflag=direct status=none
  check "$dC unharmed while $dA is withdrawn" test $? -eq 0
  dmesg | tail -n 6
  out=$(host cli export "$dA"); rc=$?
  echo "$out"
  expect_eq "export $dA again (host exit)" 0 "$rc"
  for s in $s1 $s2; do
    d=$(disk_of_lun "$lA" "$s")
    [ -n "$d" ] || { fail "$dA (LUN $lA) gone from session $s"; continue; }
    st=$(cat /sys/block/"$d"/device/state)
    if [ "$st" != running ]; then say "/dev/$d is $st: setting it running"; echo running > /sys/block/"$d"/device/state; fi
  done
  # a withdrawal is not a reset: the data is still there
  dd if=/dev/"$A2" of=/tmp/ra2 bs=1M count=24 iflag=direct status=none
  check "$dA reads back its data through session $s2 after the export" cmp -s /tmp/ra /tmp/ra2
  rm -f /tmp/ra2
fi

step "logout"
check "logout of both sessions" logout_all
check "no session left" test -z "$(sessions)"
scenario_end
