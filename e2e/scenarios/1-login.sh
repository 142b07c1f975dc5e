#!/bin/sh
# e2e-devices: 1G 256M
# e2e-timeout: 180
# Scenario 1, login: SendTargets discovery, login, one disk per exported device with the right
# size, INQUIRY, VPD pages 0x83/0xb0/0xb2, READ CAPACITY(16) (last LBA, LBPME), the queue's
# discard limits and rotational flag, logout; then 5 more login/I/O/logout cycles.
. /usr/lib/e2e/guest-lib.sh

step "devices exported by the host"
host devices > /tmp/devices || abort "host request 'devices' failed: $(cat /tmp/devices)"
cat /tmp/devices
ndev=$(grep -c . /tmp/devices)
check "the host exports at least one device" test "$ndev" -ge 1

step "discovery (SendTargets) at $TARGET_PORTAL"
t0=$(now)
discover > /tmp/iqns || abort "discovery failed"
cat /tmp/discovery.txt
say "discovery took $(since "$t0") s"
expect_eq "targets discovered" 1 "$(grep -c . /tmp/iqns)"
iqn=$(head -n 1 /tmp/iqns)
advertised=$(head -n 1 /tmp/discovery.txt | cut -d' ' -f1); advertised=${advertised%,*}
if [ "$E2E_TARGET" = jzram ]; then
  expect_eq "advertised portal is the one the VM reaches" "$TARGET_PORTAL" "$advertised"
else
  say "note: $E2E_TARGET advertises $advertised (not reachable from the VM; node record re-created)"
fi

step "login to $iqn"
t0=$(now)
check "login" login "$iqn" || abort "cannot log in"
check "one disk per device within 30 s" wait_disks "$ndev" 30
say "login to disks: $(since "$t0") s"
iscsiadm -m session -P 1 | sed -n '1,25p'
lsblk -b -o NAME,HCTL,SIZE,TYPE,TRAN,VENDOR,MODEL,ROTA,DISC-GRAN,DISC-MAX
sid=$(sessions | head -n 1 | cut -d' ' -f1)
expect_eq "session state" LOGGED_IN "$(session_state "$sid")"
expect_eq "disks seen" "$ndev" "$(all_disks | wc -l)"

while read -r name lun bytes <&5; do
  step "$name: LUN $lun, $bytes bytes"
  sd=$(disk_of_lun "$lun")
  if [ -z "$sd" ]; then fail "$name: no disk for LUN $lun"; continue; fi
  pass "$name: LUN $lun is /dev/$sd"
  expect_eq "$name: size in bytes" "$bytes" "$(disk_bytes "$sd")"

  sg_inq "/dev/$sd" > /tmp/inq 2>&1; rc=$?
  cat /tmp/inq
  expect_eq "$name: sg_inq exit" 0 "$rc"
  check "$name: INQUIRY peripheral device type is disk (0)" grep -q 'PDT=0 ' /tmp/inq
  check "$name: INQUIRY has a vendor" grep -Eq 'Vendor identification: +[^ ]' /tmp/inq

  sg_vpd -p 0x83 "/dev/$sd" > /tmp/vpd83 2>&1; rc=$?
  cat /tmp/vpd83
  expect_eq "$name: VPD 0x83 (device identification) exit" 0 "$rc"
  check "$name: VPD 0x83 has a designator associated with the LU" grep -q 'Addressed logical unit' /tmp/vpd83
  if [ "$E2E_TARGET" = jzram ]; then
    check "$name: VPD 0x83 has an NAA designator" grep -q 'NAA' /tmp/vpd83
  fi

  sg_vpd -p 0xb0 "/dev/$sd" > /tmp/vpdb0 2>&1; rc=$?
  cat /tmp/vpdb0
  expect_eq "$name: VPD 0xb0 (block limits) exit" 0 "$rc"

  sg_vpd -p 0xb2 "/dev/$sd" > /tmp/vpdb2 2>&1; rc=$?
  cat /tmp/vpdb2
  expect_eq "$name: VPD 0xb2 (logical block provisioning) exit" 0 "$rc"
  check "$name: VPD 0xb2 says UNMAP is supported (LBPU=1)" grep -Eq 'LBPU\): 1' /tmp/vpdb2

  sg_readcap -l "/dev/$sd" > /tmp/readcap 2>&1; rc=$?
  cat /tmp/readcap
  expect_eq "$name: sg_readcap -l exit" 0 "$rc"
  blen=$(sed -n 's/.*Logical block length=\([0-9]*\) bytes.*/\1/p' /tmp/readcap)
  last=$(sed -n 's/.*Last LBA=\([0-9]*\) .*/\1/p' /tmp/readcap)
  [ -n "$blen" ] && [ "$blen" -gt 0 ] && expect_eq "$name: last LBA" "$(( bytes / blen - 1 ))" "$last"
  check "$name: READ CAPACITY(16) LBPME=1" grep -q 'lbpme=1' /tmp/readcap

  q=/sys/block/$sd/queue
  say "queue: rotational=$(cat $q/rotational) logical_block_size=$(cat $q/logical_block_size) discard_granularity=$(cat $q/discard_granularity) discard_max_bytes=$(cat $q/discard_max_bytes) max_sectors_kb=$(cat $q/max_sectors_kb)"
  check "$name: discard_granularity > 0" test "$(cat $q/discard_granularity)" -gt 0
  check "$name: discard_max_bytes > 0" test "$(cat $q/discard_max_bytes)" -gt 0
  if [ "$E2E_TARGET" = jzram ]; then
    expect_eq "$name: rotational" 0 "$(cat $q/rotational)"
    expect_eq "$name: discard_granularity is one 4 KiB page" 4096 "$(cat $q/discard_granularity)"
  else
    say "note: rotational=$(cat $q/rotational) on $E2E_TARGET (tgtd reports no medium rotation rate)"
  fi
done 5< /tmp/devices

step "logout"
check "logout" logout_all
check "no iSCSI disks left" test "$(all_disks | wc -l)" -eq 0
check "no session left" test -z "$(sessions)"

step "login, I/O, logout: ${E2E_LOGIN_LOOPS:-5} more times"
read -r name lun bytes < /tmp/devices
i=0; bad=0
t0=$(now)
while [ $i -lt "${E2E_LOGIN_LOOPS:-5}" ]; do
  if ! login "$iqn" >/dev/null || ! wait_disks "$ndev" 30; then bad=$((bad + 1)); say "cycle $i: login failed"; break; fi
  sd=$(disk_of_lun "$lun")
  dd if=/dev/urandom of=/tmp/cyc bs=64k count=16 status=none
  dd if=/tmp/cyc of=/dev/"$sd" bs=64k oflag=direct status=none &&
    dd if=/dev/"$sd" of=/tmp/cyc2 bs=64k count=16 iflag=direct status=none &&
    cmp -s /tmp/cyc /tmp/cyc2 || { bad=$((bad + 1)); say "cycle $i: I/O failed"; }
  with_timeout 60 iscsiadm -m node --logout >/dev/null || { bad=$((bad + 1)); say "cycle $i: logout failed"; break; }
  i=$((i + 1))
done
expect_eq "login/I/O/logout cycles that failed" 0 "$bad"
say "$i cycles in $(since "$t0") s"
check "no session left" test -z "$(sessions)"
scenario_end
