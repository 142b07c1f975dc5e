#!/bin/sh
# e2e-devices: 64M 32M
# e2e-timeout: 360
# Scenario 5, access control with open-iscsi's own settings (node.session.auth.*,
# discovery.sendtargets.auth.*): one-way CHAP with MD5 and with SHA-256, mutual CHAP, discovery
# CHAP, a wrong secret ending in iscsiadm's authorization failure (exit 24) without a hang, an
# initiator not on the list refused, and two initiator names (two ifaces) with different device
# lists each seeing only theirs. The access lists are put in force on the running target with
# `jzram apply` through the host hook (`access ...`); targets without it skip the scenario.
# The secrets are the test's own, known to both sides.
. /usr/lib/e2e/guest-lib.sh

ME=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
OTHER=iqn.2026-11.io.jzram.e2e:second
WEB_SECRET=e2e-web-secret-1
TARGET_SECRET=e2e-target-secret-1
DISC_SECRET=e2e-discovery-secret

# access WORDS...: the host puts the list in force; skip the whole scenario where it cannot
access() {
  host access "$@" > /tmp/access.out 2>&1; _r=$?
  cat /tmp/access.out
  if [ $_r -eq 3 ]; then
    skip "$E2E_TARGET has no access lists"; scenario_end
  fi
  return $_r
}

# node_auth IQN METHOD [USER SECRET [USER_IN SECRET_IN]] [ALGS]: the node record's CHAP settings
node_auth() {
  _iqn=$1; _m=$2; shift 2
  _set() { iscsiadm -m node -T "$_iqn" -p "$TARGET_PORTAL" -o update -n "$1" -v "$2" >/dev/null; }
  _set node.session.auth.authmethod "$_m"
  _set node.session.auth.username "${1:-}"
  _set node.session.auth.password "${2:-}"
  _set node.session.auth.username_in "${3:-}"
  _set node.session.auth.password_in "${4:-}"
  [ -n "${5:-}" ] && _set node.session.auth.chap_algs "$5"
  return 0
}

# try_login IQN: iscsiadm's exit code (0, or 24 for an authorization/authentication failure)
try_login() {
  with_timeout 60 iscsiadm -m node -T "$1" -p "$TARGET_PORTAL" --login > /tmp/login.out 2>&1
  _r=$?
  cat /tmp/login.out
  return $_r
}

step "discovery without CHAP, then the access list: $ME with one-way CHAP, devices zram0 and zram1"
discover > /tmp/iqns || abort "discovery failed"
iqn=$(head -n 1 /tmp/iqns)
access initiator "$ME" chap web "$WEB_SECRET" devices 0 1 || abort "the host could not put the access list in force"

step "login without CHAP: refused (iscsiadm exit 24), no hang"
node_auth "$iqn" None
t0=$(now)
try_login "$iqn"; rc=$?
expect_eq "login without CHAP exits 24 (authorization failure)" 24 "$rc"
say "refused in $(since "$t0") s"
expect_eq "no session" 0 "$(sessions | wc -l)"

step "one-way CHAP, MD5 (open-iscsi's default)"
node_auth "$iqn" CHAP web "$WEB_SECRET" "" "" MD5
check "login with MD5 CHAP" try_login "$iqn"
check "two disks" wait_disks 2 30
logout_all

step "one-way CHAP, SHA-256"
node_auth "$iqn" CHAP web "$WEB_SECRET" "" "" SHA256
check "login with SHA-256 CHAP" try_login "$iqn"
check "two disks" wait_disks 2 30
host cli sessions > /tmp/sessions.txt 2>&1
cat /tmp/sessions.txt
check "the target says the session used CHAP/SHA-256" grep -q 'CHAP/SHA-256' /tmp/sessions.txt
logout_all

step "a wrong secret: refused (exit 24), no hang"
node_auth "$iqn" CHAP web wrong-secret-value "" "" MD5
t0=$(now)
try_login "$iqn"; rc=$?
expect_eq "login with a wrong secret exits 24" 24 "$rc"
say "refused in $(since "$t0") s"

step "mutual CHAP: the target proves itself too"
access initiator "$ME" chap web "$WEB_SECRET" mutual jzram "$TARGET_SECRET" devices 0 1 || abort "access list"
node_auth "$iqn" CHAP web "$WEB_SECRET" jzram "$TARGET_SECRET" MD5
check "login with mutual CHAP" try_login "$iqn"
check "two disks" wait_disks 2 30
host cli sessions > /tmp/sessions.txt 2>&1
check "the target says the session used mutual CHAP" grep -q 'mutual' /tmp/sessions.txt
logout_all
step "mutual CHAP with a target secret the initiator does not expect: the initiator refuses the target"
node_auth "$iqn" CHAP web "$WEB_SECRET" jzram not-the-target-secret MD5
try_login "$iqn"; rc=$?
check "the login fails" test "$rc" -ne 0
expect_eq "no session" 0 "$(sessions | wc -l)"

step "discovery CHAP"
access discovery disc "$DISC_SECRET" initiator "$ME" chap web "$WEB_SECRET" devices 0 1 || abort "access list"
iscsiadm -m discoverydb -t sendtargets -p "$TARGET_PORTAL" -o new >/dev/null 2>&1
_dset() { iscsiadm -m discoverydb -t sendtargets -p "$TARGET_PORTAL" -o update -n "$1" -v "$2" >/dev/null; }
_dset discovery.sendtargets.auth.authmethod None
with_timeout 60 iscsiadm -m discoverydb -t sendtargets -p "$TARGET_PORTAL" --discover > /tmp/d.out 2>&1; rc=$?
cat /tmp/d.out
check "discovery without CHAP is refused" test "$rc" -ne 0
_dset discovery.sendtargets.auth.authmethod CHAP
_dset discovery.sendtargets.auth.username disc
_dset discovery.sendtargets.auth.password "$DISC_SECRET"
with_timeout 60 iscsiadm -m discoverydb -t sendtargets -p "$TARGET_PORTAL" --discover > /tmp/d.out 2>&1; rc=$?
cat /tmp/d.out
expect_eq "discovery with CHAP" 0 "$rc"
check "it names the target" grep -q "$iqn" /tmp/d.out

step "two initiator names with different device lists each see only theirs"
access initiator "$ME" chap web "$WEB_SECRET" devices 0 initiator "$OTHER" devices 1 || abort "access list"
iscsiadm -m iface -I second -o new >/dev/null
iscsiadm -m iface -I second -o update -n iface.initiatorname -v "$OTHER" >/dev/null
# discovery through both ifaces makes a node record for each (discovery is open again here)
_dset discovery.sendtargets.auth.authmethod None
with_timeout 60 iscsiadm -m discoverydb -t sendtargets -p "$TARGET_PORTAL" -I default -I second --discover
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I default -o update -n node.session.auth.authmethod -v CHAP >/dev/null
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I default -o update -n node.session.auth.username -v web >/dev/null
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I default -o update -n node.session.auth.password -v "$WEB_SECRET" >/dev/null
iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I second -o update -n node.session.auth.authmethod -v None >/dev/null
check "login as $ME (iface default)" with_timeout 60 iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I default --login
check "login as $OTHER (iface second)" with_timeout 60 iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I second --login
check "two disks in all" wait_disks 2 30
all_disks | tee /tmp/disks
expect_eq "two sessions" 2 "$(sessions | wc -l)"
expect_eq "each session has one LUN" "0 1" "$(cut -d' ' -f2 /tmp/disks | sort | tr '\n' ' ' | sed 's/ $//')"
for sid in $(sessions | cut -d' ' -f1); do
  n=$(session_disks "$sid" | wc -l)
  expect_eq "session $sid sees one disk" 1 "$n"
done

step "the list loses $OTHER: the target ends its session at once"
access initiator "$ME" chap web "$WEB_SECRET" devices 0 || abort "access list"
i=0
while :; do
  host cli sessions > /tmp/sessions.txt 2>&1
  grep -q "$OTHER" /tmp/sessions.txt || break
  i=$((i + 1)); [ $i -ge 10 ] && break
  sleep 1
done
cat /tmp/sessions.txt
check "the target has no session of $OTHER any more" sh -c "! grep -q '$OTHER' /tmp/sessions.txt"
check "the session of $ME goes on" grep -q "$ME" /tmp/sessions.txt
# open-iscsi would keep trying to log $OTHER in again (each refused 02/02): stop it
with_timeout 30 iscsiadm -m node -T "$iqn" -p "$TARGET_PORTAL" -I second --logout >/dev/null 2>&1
logout_all

scenario_end
