# shellcheck shell=bash
# Host-side helpers shared by run-scenarios.sh, the host hook and the target plugins (bash).
# Needs: E2E_DIR (the e2e/ directory). Target state lives in E2E_STATE (a directory).

elog() { echo "[e2e $(date +%H:%M:%S)] $*" >&2; }

# a free TCP port on 127.0.0.1 (not listening now), from a range unlikely to collide
free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! port_listening "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

port_listening() {  # port_listening PORT: something accepts connections on 127.0.0.1:PORT
  if command -v ss >/dev/null; then
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

wait_port() {  # wait_port PORT SECONDS [PID]: until listening; fails early if PID died
  local port=$1 t=$(( $2 * 10 )) pid=${3:-} i=0
  until port_listening "$port"; do
    [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && return 2
    i=$((i + 1)); [ $i -gt $t ] && return 1
    sleep 0.1
  done
}

wait_gone() {  # wait_gone PID SECONDS: until the process has exited
  local t=$(( $2 * 10 )) i=0
  while kill -0 "$1" 2>/dev/null; do
    # a zombie child of ours counts as gone
    [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ] && return 0
    i=$((i + 1)); [ $i -gt $t ] && return 1
    sleep 0.1
  done
}

rss_kib() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' '; }

# size such as 1G, 256M, 512K, 4096 -> bytes (binary units)
size_bytes() {
  local s=$1 n u
  n=${s%[KkMmGgTt]}; u=${s#"$n"}
  case $u in
    K|k) echo $(( n * 1024 )) ;;
    M|m) echo $(( n * 1024 * 1024 )) ;;
    G|g) echo $(( n * 1024 * 1024 * 1024 )) ;;
    T|t) echo $(( n * 1024 * 1024 * 1024 * 1024 )) ;;
    *) echo "$n" ;;
  esac
}
