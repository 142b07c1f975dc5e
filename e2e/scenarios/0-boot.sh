#!/bin/sh
# e2e-devices: 64M
# e2e-timeout: 120
# Scenario 0, boot: the VM's set-up (modules, recv_from_iscsi_q, network, iscsid) and the host
# request channel (echo, exit codes, a long answer, the target alive).
. /usr/lib/e2e/guest-lib.sh

step "the VM"
check "iscsi_tcp loaded" grep -q '^iscsi_tcp ' /proc/modules
if [ -e /sys/module/iscsi_tcp/parameters/recv_from_iscsi_q ]; then
  expect_eq "iscsi_tcp recv_from_iscsi_q as asked (E2E_RECV_Q)" "${E2E_RECV_Q:-N}" "$(cat /sys/module/iscsi_tcp/parameters/recv_from_iscsi_q)"
else
  skip "this kernel's iscsi_tcp has no recv_from_iscsi_q"
fi
for m in sd_mod sg ext4 virtio_net; do check "$m loaded" grep -q "^$m " /proc/modules; done
check "eth0 is 10.0.2.15/24" sh -c 'ip -4 addr show eth0 | grep -q "10.0.2.15/24"'
check "default route via 10.0.2.2" sh -c 'ip route | grep -q "default via 10.0.2.2"'
check "iscsid running" grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix
check "initiator name set" grep -q '^InitiatorName=iqn\.' /etc/iscsi/initiatorname.iscsi
say "kernel $(uname -r), $(awk '/MemTotal/ {print $2}' /proc/meminfo) KiB, cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"

step "the host request channel"
expect_eq "echo" "hello from the guest" "$(host echo hello from the guest)"
host no-such-request >/dev/null; rc=$?
check "an unknown request fails (exit $rc)" test $rc -ne 0
n=$(host log 200 | wc -l)
check "a multi-line answer arrives ($n lines)" test "$n" -ge 1
check "the target is alive" host alive
host info
scenario_end
