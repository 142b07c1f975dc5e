#!/bin/sh
# e2e-devices: 1G 256M
# e2e-timeout: 300
# Scenario 2, integrity: 256 MiB of a pattern written with dd oflag=direct bs=1M and read back
# (sha256); 512-byte, unaligned and buffered writes with their neighbours intact; the last
# sector and the first one past the end; mkfs.ext4, a tree of files, sync, umount, fsck -n,
# mount again and verify; fstrim frees memory on the host (mem-used before/after); logout.
. /usr/lib/e2e/guest-lib.sh

PATTERN_MIB=${E2E_PATTERN_MIB:-256}

# A pattern of N MiB, different in every 4 KiB page: even MiBs come from /dev/urandom (they do
# not compress), odd MiBs are a header page (the chunk number, then zeros) and 255 pages of
# binaries and kernel modules (they compress, like real data).
make_corpus() {
  cat /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/modules/*/kernel/*/*.ko 2>/dev/null | head -c 16777216 > /tmp/corpus
}
pattern() {
  _i=0
  _pages=$(( $(stat -c %s /tmp/corpus) / 4096 - 255 ))
  while [ $_i -lt "$1" ]; do
    if [ $((_i % 2)) -eq 0 ]; then
      dd if=/dev/urandom bs=1M count=1 iflag=fullblock status=none
    else
      { printf 'jzram e2e pattern chunk %08d\n' $_i; dd if=/dev/zero bs=4064 count=1 status=none; } | head -c 4096
      dd if=/tmp/corpus bs=4096 skip=$(( (_i * 97) % _pages )) count=255 status=none
    fi
    _i=$((_i + 1))
  done
}

step "login"
host devices > /tmp/devices || abort "host request 'devices' failed"
cat /tmp/devices
read -r dev lun bytes < /tmp/devices
discover > /tmp/iqns || abort "discovery failed"
login "$(head -n 1 /tmp/iqns)" >/dev/null || abort "login failed"
wait_disks "$(grep -c . /tmp/devices)" 30 || abort "disks did not appear"
sd=$(disk_of_lun "$lun")
[ -n "$sd" ] || abort "no disk for $dev (LUN $lun)"
pass "$dev is /dev/$sd ($bytes bytes)"
D=/dev/$sd
sectors=$(( bytes / 512 ))

step "write $PATTERN_MIB MiB of a pattern with dd oflag=direct bs=1M"
# in pieces of 32 MiB staged in tmpfs (a pipe through tee to sha256sum crawls under TCG)
make_corpus
piece=32
: > /tmp/pat.sums
t0=$(now); wt=0; i=0
while [ $i -lt $(( PATTERN_MIB / piece )) ]; do
  pattern $piece > /tmp/piece
  sha256sum < /tmp/piece | cut -d' ' -f1 >> /tmp/pat.sums
  t1=$(now)
  dd if=/tmp/piece of="$D" bs=1M seek=$(( i * piece )) oflag=direct conv=notrunc status=none || break
  wt=$(awk -v a="$wt" -v b="$(since "$t1")" 'BEGIN {print a + b}')
  i=$((i + 1))
done
rm -f /tmp/piece
expect_eq "pieces of $piece MiB written with dd oflag=direct" $(( PATTERN_MIB / piece )) "$i"
say "wrote $PATTERN_MIB MiB in $(since "$t0") s, of which dd $wt s ($(awk -v m="$PATTERN_MIB" -v t="$wt" 'BEGIN {printf "%.1f", m / t}') MiB/s)"
if mu=$(host mem-used "$dev"); then say "host: $dev mem_used_total $mu after the pattern"; fi

step "read it back with dd iflag=direct and compare"
t0=$(now); i=0; bad=0
while read -r want; do
  dd if="$D" of=/tmp/piece bs=1M skip=$(( i * piece )) count=$piece iflag=direct status=none
  got=$(sha256sum < /tmp/piece | cut -d' ' -f1)
  [ "$got" = "$want" ] || { bad=$((bad + 1)); say "MiB $(( i * piece ))..$(( i * piece + piece - 1 )): sha256 $got, want $want"; }
  i=$((i + 1))
done < /tmp/pat.sums
rm -f /tmp/piece
dt=$(since "$t0")
expect_eq "pieces whose sha256 differs after reading back $PATTERN_MIB MiB" 0 "$bad"
say "read and hashed $PATTERN_MIB MiB in $dt s"

step "512-byte and unaligned writes"
# the neighbourhood of LBA 4093..4100 (crosses a 4 KiB page boundary at 4096) before
dd if="$D" of=/tmp/before bs=512 skip=4088 count=16 iflag=direct status=none
head -c 512 /dev/urandom > /tmp/s1
dd if=/tmp/s1 of="$D" bs=512 seek=4095 count=1 oflag=direct conv=notrunc status=none
check "512-byte O_DIRECT write at LBA 4095" test $? -eq 0
head -c 1536 /dev/urandom > /tmp/s3
dd if=/tmp/s3 of="$D" bs=512 seek=4097 count=3 oflag=direct conv=notrunc status=none
check "1536-byte O_DIRECT write at LBA 4097 (not page aligned)" test $? -eq 0
# expected: before, with sector 7 (4095) and 9..11 (4097..4099) replaced
{ head -c 3584 /tmp/before; cat /tmp/s1; tail -c +4097 /tmp/before | head -c 512; cat /tmp/s3; tail -c +6145 /tmp/before; } > /tmp/expect
dd if="$D" of=/tmp/after bs=512 skip=4088 count=16 iflag=direct status=none
check "sectors 4088..4103 read back as expected (neighbours intact)" cmp -s /tmp/expect /tmp/after
# buffered, byte-granular write through the page cache (the kernel reads, modifies, writes 4 KiB)
printf 'unaligned-buffered-write-%s' "$(date +%s)" > /tmp/u
off=$(( 5 * 1048576 + 12345 ))
dd if=/tmp/u of="$D" bs=1 seek=$off conv=notrunc,fsync status=none
check "buffered write of $(stat -c %s /tmp/u) bytes at byte offset $off" test $? -eq 0
echo 3 > /proc/sys/vm/drop_caches
dd if="$D" bs=4096 skip=$(( off / 4096 )) count=1 iflag=direct status=none | \
  tail -c +$(( off % 4096 + 1 )) | head -c "$(stat -c %s /tmp/u)" > /tmp/u2
check "buffered write read back with O_DIRECT" cmp -s /tmp/u /tmp/u2

step "the last sector and the first past the end"
head -c 512 /dev/urandom > /tmp/last
dd if=/tmp/last of="$D" bs=512 seek=$((sectors - 1)) count=1 oflag=direct conv=notrunc status=none
check "write the last sector (LBA $((sectors - 1)))" test $? -eq 0
dd if="$D" of=/tmp/last2 bs=512 skip=$((sectors - 1)) count=1 iflag=direct status=none
check "last sector read back" cmp -s /tmp/last /tmp/last2
dd if=/tmp/last of="$D" bs=512 seek=$sectors count=1 oflag=direct conv=notrunc status=none 2>/tmp/past.err
rc=$?
check "a write past the end fails ($(head -n 1 /tmp/past.err))" test $rc -ne 0
n=$(dd if="$D" bs=512 skip=$sectors count=1 iflag=direct status=none 2>/dev/null | wc -c)
expect_eq "a read past the end returns nothing" 0 "$n"

step "mkfs.ext4, a tree of files, sync, umount, fsck -n, mount again, verify"
t0=$(now)
mkfs.ext4 -q -F -L e2e "$D" > /tmp/mkfs.log 2>&1
check "mkfs.ext4 (with its discard of the whole device) in $(since "$t0") s" test $? -eq 0 || cat /tmp/mkfs.log
mkdir -p /mnt/e2e
check "mount" mount -t ext4 "$D" /mnt/e2e || abort "cannot mount"
i=0
while [ $i -lt 8 ]; do
  mkdir -p /mnt/e2e/d$i/sub
  dd if=/dev/urandom of=/mnt/e2e/d$i/random.bin bs=64k count=$(( 16 + i * 8 )) status=none
  dd if=/tmp/corpus of=/mnt/e2e/d$i/sub/corpus.bin bs=64k skip=$(( i * 16 )) count=$(( 32 + i * 4 )) status=none
  j=0
  while [ $j -lt 16 ]; do
    printf 'small file %d/%d\n' $i $j > /mnt/e2e/d$i/sub/small-$j.txt
    j=$((j + 1))
  done
  i=$((i + 1))
done
ln -s d0/random.bin /mnt/e2e/link
(cd /mnt/e2e && find . -type f | sort | xargs sha256sum) > /tmp/tree.sums
say "$(grep -c . /tmp/tree.sums) files, $(du -sk /mnt/e2e | cut -f1) KiB"
check "sync" sync
if mu=$(host mem-used "$dev"); then say "host: $dev mem_used_total $mu with the files"; fi
check "umount" umount /mnt/e2e
fsck.ext4 -n -f "$D" > /tmp/fsck.log 2>&1
rc=$?
expect_eq "fsck.ext4 -n -f finds the file system clean (exit)" 0 "$rc" || cat /tmp/fsck.log
echo 3 > /proc/sys/vm/drop_caches
check "mount again" mount -t ext4 "$D" /mnt/e2e || abort "cannot mount again"
(cd /mnt/e2e && sha256sum -c -s /tmp/tree.sums)
check "every file's sha256 after the remount" test $? -eq 0
expect_eq "symlink kept" d0/random.bin "$(readlink /mnt/e2e/link)"

step "fstrim: deleted files free memory on the host"
if mu0=$(host mem-used "$dev"); then
  say "host: $dev mem_used_total $mu0 before deleting"
  rm -rf /mnt/e2e/d*
  sync
  fstrim -v /mnt/e2e > /tmp/fstrim.log 2>&1
  rc=$?
  cat /tmp/fstrim.log
  expect_eq "fstrim exit" 0 "$rc"
  # the target may free asynchronously: up to 10 s
  i=0
  while :; do
    mu1=$(host mem-used "$dev")
    [ "$mu1" -lt "$mu0" ] || [ $i -ge 10 ] && break
    sleep 1; i=$((i + 1))
  done
  say "host: $dev mem_used_total $mu1 after fstrim (was $mu0)"
  check "mem_used_total went down after fstrim ($mu0 -> $mu1)" test "$mu1" -lt "$mu0"
else
  skip "the target does not report memory use: $mu0"
fi
check "umount" umount /mnt/e2e

step "logout"
check "logout" logout_all
scenario_end
