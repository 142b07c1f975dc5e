#!/bin/sh
# Guest script of the boot probe (ci.sh, README): the VM boots, iscsid runs, the network is up.
. /usr/lib/e2e/guest-lib.sh
check "iscsi_tcp loaded" grep -q '^iscsi_tcp ' /proc/modules
check "iscsid running" grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix
check "eth0 is 10.0.2.15/24" sh -c 'ip -4 addr show eth0 | grep -q "10.0.2.15/24"'
scenario_end
