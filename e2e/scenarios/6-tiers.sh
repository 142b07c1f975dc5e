#!/bin/sh
# e2e-devices: 64M 128M
# e2e-timeout: 420
# Scenario 6, memory tiers under a live file system: the host sets zram1 up with zstd as its
# recompression algorithm and an empty backing file (the kernel's recomp_algorithm, backing_dev,
# disksize); the guest makes ext4 on it and writes a tree of files; the host then marks every page
# idle, recompresses and writes back (the kernel's idle, recompress, writeback) while the guest
# keeps writing, and turns on the background policy (recompress after 1 s, write back after 3 s)
# while the guest writes, reads and deletes more. Every file reads back intact with the page cache
# dropped (so from written-back and recompressed pages), fsck -n finds the file system clean, and
# bd_stat shows the pages that went to the file. Targets without the requests skip the scenario.
. /usr/lib/e2e/guest-lib.sh

DEV=zram1

step "the host sets $DEV up with zstd recompression and a backing file"
host tier-setup "$DEV" 128M > /tmp/tier.out 2>&1; rc=$?
cat /tmp/tier.out
if [ $rc -eq 3 ]; then
  skip "$E2E_TARGET has no memory tiers"; scenario_end
fi
expect_eq "tier-setup" 0 "$rc" || abort "the host could not set $DEV up"

step "login, mkfs.ext4, a tree of files"
host devices > /tmp/devices || abort "host request 'devices' failed"
lun=$(awk -v d="$DEV" '$1 == d {print $2}' /tmp/devices)
[ -n "$lun" ] || abort "$DEV is not exported: $(cat /tmp/devices)"
discover > /tmp/iqns || abort "discovery failed"
login "$(head -n 1 /tmp/iqns)" >/dev/null || abort "login failed"
wait_disks "$(grep -c . /tmp/devices)" 30 || abort "disks did not appear"
sd=$(disk_of_lun "$lun")
[ -n "$sd" ] || abort "no disk for $DEV (LUN $lun)"
D=/dev/$sd
expect_eq "$DEV's size as the initiator sees it" 134217728 "$(disk_bytes "$sd")"
cat /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/modules/*/kernel/*/*.ko 2>/dev/null | head -c 16777216 > /tmp/corpus
mkfs.ext4 -q -F -L tiers "$D" > /tmp/mkfs.log 2>&1
check "mkfs.ext4" test $? -eq 0 || cat /tmp/mkfs.log
mkdir -p /mnt/t
check "mount" mount -t ext4 "$D" /mnt/t || abort "cannot mount"

# files N: directory dN with compressible and random files
files() {
  mkdir -p /mnt/t/d$1
  dd if=/tmp/corpus of=/mnt/t/d$1/corpus.bin bs=64k skip=$(( ($1 * 13) % 200 )) count=48 status=none
  dd if=/dev/urandom of=/mnt/t/d$1/random.bin bs=64k count=8 status=none
  printf 'small file %d\n' "$1" > /mnt/t/d$1/small.txt
}
sums() { (cd /mnt/t && find . -type f | sort | xargs sha256sum) > /tmp/tree.sums; }
verify() {  # verify WHAT: drop the page cache, every file's sha256
  sync; echo 3 > /proc/sys/vm/drop_caches
  (cd /mnt/t && sha256sum -c -s /tmp/tree.sums)
  check "every file's sha256 $1" test $? -eq 0
}
i=0
while [ $i -lt 6 ]; do files $i; i=$((i + 1)); done
sync
sums
say "$(grep -c . /tmp/tree.sums) files, $(du -sk /mnt/t | cut -f1) KiB; host: $(host sysfs "$DEV" mm_stat)"

step "the host marks idle, recompresses and writes back while the guest keeps writing"
( i=6; while [ $i -lt 10 ]; do files $i; sync; i=$((i + 1)); done ) &
writer=$!
n=0
while [ $n -lt 3 ]; do
  out=$(host tier-pass "$DEV") || fail "tier-pass $n: $out"
  say "host pass $n: $out"
  n=$((n + 1))
done
wait $writer
check "the guest's writes during the passes" test $? -eq 0
sums
verify "after the passes"
wb=$(host sysfs "$DEV" bd_stat | awk '{print $1}')
check "pages went to the backing file (bd_count $wb)" test "${wb:-0}" -gt 0

step "the background policy: recompress after 1 s idle, write back after 3 s, a whole core"
writes0=$(host sysfs "$DEV" bd_stat | awk '{print $3}')
host tier-policy "$DEV" 1 3 1 || fail "tier-policy"
i=10
t0=$(now)
while [ $i -lt 16 ]; do
  files $i; sync
  cat /mnt/t/d$((i - 8))/corpus.bin > /dev/null
  rm -rf /mnt/t/d$((i - 10))
  i=$((i + 1))
  sleep 1
done
sleep 5
sums
verify "with the background policy moving pages"
bd=$(host sysfs "$DEV" bd_stat)
say "host after $(since "$t0") s: mm_stat $(host sysfs "$DEV" mm_stat) bd_stat $bd"
writes1=$(echo "$bd" | awk '{print $3}')
check "the background wrote pages back by itself (bd_writes $writes0 -> $writes1)" test "${writes1:-0}" -gt "${writes0:-0}"
check "fstrim" fstrim /mnt/t
check "umount" umount /mnt/t
fsck.ext4 -n -f "$D" > /tmp/fsck.log 2>&1
rc=$?
expect_eq "fsck.ext4 -n -f finds the file system clean (exit)" 0 "$rc" || cat /tmp/fsck.log
check "mount again" mount -t ext4 "$D" /mnt/t || abort "cannot mount again"
verify "after the remount"
check "umount" umount /mnt/t
host tier-policy "$DEV" off off 0.1 >/dev/null

step "logout"
logout_all
scenario_end
