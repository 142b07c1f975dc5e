#!/usr/bin/env bash
# jzram's iSCSI target against Debian's tgtd exporting the kernel's zram, end to end over
# loopback iSCSI, measured with bench/iscsi/loadgen (libiscsi, fixed queue depth).
#
#   sudo bench/iscsi-vs-tgt.sh                      # 1 GiB devices, 15 s per job
#   sudo DURATION=3 SIZE=256M bench/iscsi-vs-tgt.sh # a quick run
#
# Environment (all optional):
#   SIZE=1G            device size of both (K/M/G suffixes)
#   ALGO=lz4           compression algorithm of both
#   DURATION=15        seconds per job and target (after RAMP)
#   RAMP=1             seconds per job and target not counted (JIT, queue fill)
#   ROUNDS=1           how often every job alternates tgt, jzram; figures are medians over rounds
#   JOBS="seqwrite seqread randread randwrite"   a subset, in this order
#   CORPUS=FILE        write payloads; default: io.jzram.bench.MixedCorpus, CORPUS_MB=64 MiB
#   TGT_BSOFLAGS=direct  tgt backing-store flags: direct = O_DIRECT on /dev/zram0 (no page
#                      cache between tgtd and zram); "" = buffered, through the page cache
#   JZRAM_JAVA_OPTS    extra JVM options for the jzram target
#   JZRAM_JFR=FILE     record a JFR profile (settings=profile) of the jzram target into FILE
#   JZRAM_STAT_CMD     a command printing jzram's mm_stat line
#                      (default: ./jzram --control-socket WORK/control.sock stat zram0)
#   JZRAM_TIERING="RECOMPRESS_AGE WRITEBACK_AGE BUDGET"   jzram's device set up again (before
#                      the fill) with zstd as its recompression algorithm, a backing file in WORK
#                      unless WRITEBACK_AGE is off, and that background policy, e.g. "0 off 1":
#                      every page recompressed as soon as it is written, a whole core of budget
#   RESULTS=FILE       also append the RESULT lines there
#   WORK=DIR           scratch directory (default: a new one under /tmp, removed at the end)
#   SKIP_BUILD=1       reuse bench/iscsi/loadgen and the Maven build of a previous run
#
# Everything listens on 127.0.0.1 only, on free high ports picked at start. Every process this
# script starts is stopped by its pid at the end, also on failure or Ctrl-C, and /dev/zram0 is
# reset. The kernel's zram0 is used only when it is free (disksize 0, no holders, not swap,
# not mounted).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=${SIZE:-1G}
ALGO=${ALGO:-lz4}
DURATION=${DURATION:-15}
RAMP=${RAMP:-1}
ROUNDS=${ROUNDS:-1}
JOBS=${JOBS:-"seqwrite seqread randread randwrite"}
CORPUS_MB=${CORPUS_MB:-64}
TGT_BSOFLAGS=${TGT_BSOFLAGS-direct}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
TGT_IQN=iqn.2026-11.io.jzram:tgt-zram0
JZ_IQN=iqn.2026-11.io.jzram:bench
LOADGEN=$ROOT/bench/iscsi/loadgen
ZRAM=/sys/block/zram0

log() { printf '== %s\n' "$*" >&2; }
fail() { printf 'iscsi-vs-tgt: %s\n' "$*" >&2; exit 1; }

bytes_of() {
    local s=${1^^} m=1
    case $s in
        *K) m=1024; s=${s%K} ;;
        *M) m=$((1024 * 1024)); s=${s%M} ;;
        *G) m=$((1024 * 1024 * 1024)); s=${s%G} ;;
    esac
    [[ $s =~ ^[0-9]+$ ]] || fail "bad size: $1"
    echo $((s * m))
}

SIZE_BYTES=$(bytes_of "$SIZE")
((SIZE_BYTES % 1048576 == 0)) || fail "SIZE must be a whole number of MiB"
[[ $DURATION =~ ^[0-9]+$ && $RAMP =~ ^[0-9]+$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] || fail "DURATION, RAMP, ROUNDS: whole numbers"
for j in $JOBS; do
    case $j in seqwrite | seqread | randread | randwrite) ;; *) fail "unknown job $j" ;; esac
done

# ------------------------------------------------------------------ state and cleanup
OWN_WORK=0
if [[ -z ${WORK:-} ]]; then
    WORK=$(mktemp -d /tmp/iscsi-vs-tgt.XXXXXX)
    OWN_WORK=1
fi
mkdir -p "$WORK"
TGTD_PID=
TGTD_WRAP=
JZ_PID=
TGT_CTRL=
ZRAM_CONFIGURED=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $JZ_PID ]] && kill -0 "$JZ_PID" 2>/dev/null; then
        kill -TERM "$JZ_PID"
        for _ in $(seq 50); do kill -0 "$JZ_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$JZ_PID" 2>/dev/null && kill -KILL "$JZ_PID"
        wait "$JZ_PID" 2>/dev/null
    fi
    if [[ -n $TGTD_PID ]] && kill -0 "$TGTD_PID" 2>/dev/null; then
        # tgtd ignores SIGTERM: stop it as its systemd unit does, through its own control port
        # (targets deleted first: it refuses to stop while it has any), else kill it
        timeout 10 tgtadm -C "$TGT_CTRL" --lld iscsi --op delete --force --mode target --tid 1 >/dev/null 2>&1
        timeout 10 tgtadm -C "$TGT_CTRL" --op delete --mode system >/dev/null 2>&1
        for _ in $(seq 50); do kill -0 "$TGTD_PID" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$TGTD_PID" 2>/dev/null; then
            echo "iscsi-vs-tgt: tgtd did not stop through tgtadm; killing pid $TGTD_PID" >&2
            kill -KILL "$TGTD_PID"
        fi
    fi
    if [[ -n $TGTD_WRAP ]]; then
        wait "$TGTD_WRAP" 2>/dev/null
    fi
    if [[ -n $TGT_CTRL ]]; then
        rm -f "/run/tgtd/socket.$TGT_CTRL" "/run/tgtd/socket.$TGT_CTRL.lock" \
              "/var/run/tgtd/socket.$TGT_CTRL" "/var/run/tgtd/socket.$TGT_CTRL.lock"
    fi
    if ((ZRAM_CONFIGURED)); then
        for _ in $(seq 20); do
            echo 1 >"$ZRAM/reset" 2>/dev/null && break
            sleep 0.5
        done
        [[ $(cat "$ZRAM/disksize") == 0 ]] || echo "iscsi-vs-tgt: WARNING: could not reset zram0" >&2
    fi
    if ((OWN_WORK)) && [[ -z ${KEEP_WORK:-} ]]; then
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ preconditions
[[ $(id -u) == 0 ]] || fail "run as root (zram0 and tgtd need it)"
command -v tgtd >/dev/null && command -v tgtadm >/dev/null || fail "tgt is not installed (apt-get install tgt)"
[[ -e /usr/include/iscsi/iscsi.h ]] || fail "libiscsi-dev is not installed (apt-get install libiscsi-dev)"
command -v gcc >/dev/null || fail "gcc is not installed"
[[ -d $ZRAM ]] || fail "no $ZRAM (modprobe zram)"
[[ $(cat "$ZRAM/disksize") == 0 ]] || fail "zram0 is in use (disksize $(cat "$ZRAM/disksize")); not touching it"
[[ -z $(ls -A "$ZRAM/holders") ]] || fail "zram0 has holders: $(ls "$ZRAM/holders")"
! grep -q '^/dev/zram0[[:space:]]' /proc/swaps || fail "zram0 is swap"
! grep -q '^/dev/zram0[[:space:]]' /proc/mounts || fail "zram0 is mounted"
grep -qw "$ALGO" "$ZRAM/comp_algorithm" || fail "the kernel's zram has no $ALGO: $(cat "$ZRAM/comp_algorithm")"

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
pick_port() {
    local p
    for _ in $(seq 100); do
        p=$((40000 + RANDOM % 20000))
        if port_free "$p" && [[ $p != "${1:-}" ]]; then echo "$p"; return; fi
    done
    fail "no free port found"
}
PORT_TGT=$(pick_port)
PORT_JZ=$(pick_port "$PORT_TGT")
for _ in $(seq 100); do
    TGT_CTRL=$((10000 + RANDOM % 20000))
    [[ -e /run/tgtd/socket.$TGT_CTRL || -e /var/run/tgtd/socket.$TGT_CTRL ]] || break
done

# The longest the whole run may take: every process gets this as its hard limit.
NJOBS=$(wc -w <<<"$JOBS")
LIFETIME=$((600 + SIZE_BYTES / 1048576 / 5 + NJOBS * ROUNDS * 2 * (DURATION + RAMP + 30)))

# ------------------------------------------------------------------ build
cd "$ROOT"
if [[ -z ${SKIP_BUILD:-} || ! -x $LOADGEN ]]; then
    log "building bench/iscsi/loadgen"
    gcc -O2 -Wall -Wextra -o "$LOADGEN" bench/iscsi/loadgen.c -liscsi -lm
fi
if [[ -z ${CORPUS:-} ]]; then
    CORPUS=$WORK/corpus.bin
    if [[ ! -s $ROOT/bench/target/benchmarks.jar || -z ${SKIP_BUILD:-} ]]; then
        log "building bench (MixedCorpus)"
        timeout 900 ./mvnw -q -B -pl core,bench -am package -DskipTests >"$WORK/mvn-bench.log" 2>&1 \
            || { tail -30 "$WORK/mvn-bench.log" >&2; fail "maven build of bench failed"; }
    fi
    timeout 300 "$JAVA" -cp "$ROOT/bench/target/benchmarks.jar" io.jzram.bench.MixedCorpus "$CORPUS" "$CORPUS_MB" >&2
fi
[[ -s $CORPUS ]] || fail "no corpus file $CORPUS"

# ------------------------------------------------------------------ the kernel's zram behind tgtd
log "zram0: $ALGO, disksize $SIZE_BYTES"
ZRAM_CONFIGURED=1
echo "$ALGO" >"$ZRAM/comp_algorithm"
echo "$SIZE_BYTES" >"$ZRAM/disksize"

log "tgtd on 127.0.0.1:$PORT_TGT (control port $TGT_CTRL), backing store /dev/zram0, bsoflags '${TGT_BSOFLAGS}'"
# tgtd ignores SIGTERM, so the hard limit is a SIGKILL; TGTD_PID is tgtd itself (timeout's child)
timeout -s KILL "$LIFETIME" tgtd -f -C "$TGT_CTRL" --iscsi "portal=127.0.0.1:$PORT_TGT" >"$WORK/tgtd.log" 2>&1 &
TGTD_WRAP=$!
for _ in $(seq 50); do
    TGTD_PID=$(pgrep -P "$TGTD_WRAP" -x tgtd || true)
    [[ -n $TGTD_PID ]] && break
    sleep 0.1
done
[[ -n $TGTD_PID ]] || { cat "$WORK/tgtd.log" >&2; fail "tgtd did not start"; }
tgtadm_() { tgtadm -C "$TGT_CTRL" --lld iscsi "$@"; }
for i in $(seq 50); do
    tgtadm_ --op show --mode target >/dev/null 2>&1 && break
    kill -0 "$TGTD_PID" 2>/dev/null || { cat "$WORK/tgtd.log" >&2; fail "tgtd exited"; }
    sleep 0.2
done
tgtadm_ --op new --mode target --tid 1 -T "$TGT_IQN"
if [[ -n $TGT_BSOFLAGS ]]; then
    tgtadm_ --op new --mode logicalunit --tid 1 --lun 1 -b /dev/zram0 --bsoflags "$TGT_BSOFLAGS"
else
    tgtadm_ --op new --mode logicalunit --tid 1 --lun 1 -b /dev/zram0
fi
tgtadm_ --op bind --mode target --tid 1 -I 127.0.0.1
URL_TGT=iscsi://127.0.0.1:$PORT_TGT/$TGT_IQN/1

# ------------------------------------------------------------------ jzram
JVM_OPTS=(--enable-native-access=ALL-UNNAMED)
if [[ -n ${JZRAM_JFR:-} ]]; then
    JVM_OPTS+=("-XX:StartFlightRecording=filename=$JZRAM_JFR,settings=profile,dumponexit=true")
fi
# shellcheck disable=SC2206
JVM_OPTS+=(${JZRAM_JAVA_OPTS:-})
log "jzram: ./jzram serve on 127.0.0.1:$PORT_JZ, device $SIZE:$ALGO"
JZRAM_JAVA_OPTS="${JVM_OPTS[*]}" timeout -k 5 "$LIFETIME" "$ROOT/jzram" serve --no-shell \
    --listen "127.0.0.1:$PORT_JZ" --iqn "$JZ_IQN" --control-socket "$WORK/control.sock" \
    --device "$SIZE:$ALGO" >"$WORK/jzram.out" 2>"$WORK/jzram.err" &
JZ_PID=$!
for i in $(seq 300); do
    ! port_free "$PORT_JZ" && break
    kill -0 "$JZ_PID" 2>/dev/null || { cat "$WORK/jzram.out" "$WORK/jzram.err" >&2; fail "the jzram target exited"; }
    sleep 0.2
done
port_free "$PORT_JZ" && fail "the jzram target does not listen on $PORT_JZ"
# the JVM itself (below timeout, and below ./jzram if that is a wrapper script), for its CPU time
find_java() {
    local p=$1 c
    for _ in 1 2 3 4; do
        [[ $(cat "/proc/$p/comm" 2>/dev/null) == java ]] && { echo "$p"; return; }
        c=$(pgrep -P "$p" | head -1)
        [[ -n $c ]] || break
        p=$c
    done
}
JZ_JAVA_PID=$(find_java "$JZ_PID")
[[ -n $JZ_JAVA_PID ]] || fail "cannot find the jzram target's JVM below pid $JZ_PID"
# the target's name as it answers SendTargets (the check that --iqn took)
JZ_IQN=$(timeout 30 iscsi-ls "iscsi://127.0.0.1:$PORT_JZ" | sed -n 's/^Target:\([^ ]*\).*/\1/p' | head -1)
[[ -n $JZ_IQN ]] || fail "SendTargets on 127.0.0.1:$PORT_JZ named no target"
URL_JZ=iscsi://127.0.0.1:$PORT_JZ/$JZ_IQN/0
jz() { "$ROOT/jzram" --control-socket "$WORK/control.sock" "$@"; }
if [[ -n ${JZRAM_TIERING:-} ]]; then
    read -r t_recomp t_wb t_budget <<<"$JZRAM_TIERING"
    log "jzram: zram0 set up again with recomp_algorithm zstd, background policy recompress_idle_after $t_recomp, writeback_idle_after $t_wb, budget $t_budget"
    jz reset zram0 --force >/dev/null
    jz sysfs zram0 comp_algorithm "$ALGO"
    jz sysfs zram0 recomp_algorithm "algo=zstd priority=1"
    if [[ $t_wb != off ]]; then
        : >"$WORK/zram0.wb"
        jz sysfs zram0 backing_dev "$WORK/zram0.wb"
    fi
    jz sysfs zram0 disksize "$SIZE_BYTES"
    jz sysfs zram0 recompress_idle_after "$t_recomp"
    jz sysfs zram0 writeback_idle_after "$t_wb"
    jz sysfs zram0 tiering_cpu_budget "$t_budget"
fi

# ------------------------------------------------------------------ helpers
RESULT_LINES=$WORK/results.txt
: >"$RESULT_LINES"

# run LABEL URL loadgen-args...: one loadgen run, its RESULT line kept
# What a target process has used so far: "CPU-ticks read-syscalls write-syscalls context-switches".
# CPU is user + system of all threads (the kernel's zram compresses in the context of the
# writer, so tgtd's system time includes it); syscr/syscw count read(v)/write(v) calls, which
# for tgtd include its O_DIRECT pread/pwrite to /dev/zram0 and its eventfd/signalfd wake-ups.
proc_usage() {
    local cpu r w cs
    cpu=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat")
    r=$(awk '/^syscr:/ { print $2 }' "/proc/$1/io")
    w=$(awk '/^syscw:/ { print $2 }' "/proc/$1/io")
    cs=$(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches:/ { s += $2 } END { print s + 0 }')
    echo "$cpu $r $w $cs"
}
CLK_TCK=$(getconf CLK_TCK)

# run LABEL URL loadgen-args...: one loadgen run; its RESULT line kept, with what the target
# process used during the run appended: target_cpu_s, target_cpu_us_per_io, target_cpu_util
# (CPUs busy), target_reads_per_io, target_writes_per_io (system calls), target_ctxsw_per_io.
# The counters cover the whole loadgen run, so they are divided by all its I/Os and its whole
# time (ios_all, secs_all: ramp included); login and logout add a few system calls.
run() {
    local label=$1 url=$2 pid out u0 u1 line
    shift 2
    if [[ $label == tgt ]]; then pid=$TGTD_PID; else pid=$JZ_JAVA_PID; fi
    u0=$(proc_usage "$pid")
    out=$(timeout -k 5 $((DURATION + RAMP + 120)) "$LOADGEN" --url "$url" --label "$label" --data "$CORPUS" "$@") \
        || fail "loadgen $label $* failed (exit $?)"
    u1=$(proc_usage "$pid")
    line=$(grep '^RESULT ' <<<"$out" | awk -v u0="$u0" -v u1="$u1" -v hz="$CLK_TCK" '{
        split(u0, a, " "); split(u1, b, " ")
        t = (b[1] - a[1]) / hz
        ios = 0; secs = 0
        for (i = 1; i <= NF; i++) { if ($i ~ /^ios_all=/) ios = substr($i, 9); if ($i ~ /^secs_all=/) secs = substr($i, 10) }
        n = (ios > 0 ? ios : 1)
        printf "%s target_cpu_s=%.2f target_cpu_us_per_io=%.1f target_cpu_util=%.2f target_reads_per_io=%.2f target_writes_per_io=%.2f target_ctxsw_per_io=%.2f\n",
            $0, t, t * 1e6 / n, (secs > 0 ? t / secs : 0), (b[2] - a[2]) / n, (b[3] - a[3]) / n, (b[4] - a[4]) / n }')
    echo "$line" >>"$RESULT_LINES"
    if [[ -n ${RESULTS:-} ]]; then echo "$line" >>"$RESULTS"; fi
    grep -v '^RESULT ' <<<"$out" | sed "s|\$|; $(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "target: CPU %s us/IO, %s read + %s write syscalls/IO, %s context switches/IO", v["target_cpu_us_per_io"],
            v["target_reads_per_io"], v["target_writes_per_io"], v["target_ctxsw_per_io"] }' <<<"$line")|" >&2
}

mm_tgt() { cat "$ZRAM/mm_stat"; }
mm_jz() {
    if [[ -n ${JZRAM_STAT_CMD:-} ]]; then
        bash -c "$JZRAM_STAT_CMD"
    else
        "$ROOT/jzram" --control-socket "$WORK/control.sock" stat zram0 | sed -n 's/^mm_stat *//p'
    fi
}
# ratio "mm_stat line": orig_data_size / mem_used_total
mem_ratio() { awk '{ if (NF >= 3 && $3 > 0) printf "%.3f", $1 / $3; else printf "n/a" }' <<<"$1"; }

show_memory() {
    local when=$1 k j
    if [[ -z $TGT_BSOFLAGS ]]; then
        # buffered tgtd: dirty pages of /dev/zram0 sit in the page cache, not yet in zram
        blockdev --flushbufs /dev/zram0
    fi
    k=$(mm_tgt)
    j=$(mm_jz)
    printf 'memory %s: kernel zram0 (tgt): orig %s, mem_used_total %s, ratio %s | jzram: orig %s, mem_used_total %s, ratio %s\n' \
        "$when" "$(awk '{print $1}' <<<"$k")" "$(awk '{print $3}' <<<"$k")" "$(mem_ratio "$k")" \
        "$(awk '{print $1}' <<<"$j")" "$(awk '{print $3}' <<<"$j")" "$(mem_ratio "$j")"
    printf 'MEMORY when=%s tgt_mm_stat="%s" jzram_mm_stat="%s" tgt_ratio=%s jzram_ratio=%s\n' \
        "$when" "$(echo $k)" "$(echo $j)" "$(mem_ratio "$k")" "$(mem_ratio "$j")" >>"$RESULT_LINES"
}

# ------------------------------------------------------------------ fill and check
log "fill: both devices written once, sequentially, 1 MiB at QD16, from $CORPUS"
run tgt "$URL_TGT" --job seqwrite --bs 1M --qd 16 --total all
run jzram "$URL_JZ" --job seqwrite --bs 1M --qd 16 --total all
log "check: both devices read back once and compared with the corpus"
run tgt "$URL_TGT" --job seqread --bs 1M --qd 16 --total all --verify
run jzram "$URL_JZ" --job seqread --bs 1M --qd 16 --total all --verify
show_memory after-fill >&2
: >"$WORK/jobs.txt"

# ------------------------------------------------------------------ the jobs, alternating
for job in $JOBS; do
    case $job in
        seqwrite | seqread) args=(--bs 1M --qd 16) ;;
        randread | randwrite) args=(--bs 4k --qd 32) ;;
    esac
    for r in $(seq "$ROUNDS"); do
        log "$job round $r/$ROUNDS: tgt, then jzram (${RAMP}s ramp + ${DURATION}s each)"
        for t in tgt jzram; do
            if [[ $t == tgt ]]; then url=$URL_TGT; else url=$URL_JZ; fi
            n_before=$(wc -l <"$RESULT_LINES")
            run "$t" "$url" --job "$job" "${args[@]}" --duration "$DURATION" --ramp "$RAMP"
            tail -n +$((n_before + 1)) "$RESULT_LINES" | grep '^RESULT ' >>"$WORK/jobs.txt"
        done
    done
done
show_memory after-jobs >&2
if [[ -n ${JZRAM_TIERING:-} ]]; then
    jz stat zram0 | sed -n '/^TIER/,$p' >&2
fi

# ------------------------------------------------------------------ summary
echo
echo "iSCSI over loopback, device $SIZE ($SIZE_BYTES bytes) $ALGO, ${DURATION}s per job after a ${RAMP}s ramp, $ROUNDS round(s) (medians), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tgt: tgtd $(tgtd -V 2>/dev/null | head -1) on /dev/zram0 (bsoflags '${TGT_BSOFLAGS}'); jzram: ./jzram serve; MB/s = 10^6 bytes/s"
awk -v jobs="$JOBS" '
    function kv(line, key,   a, i, n) {
        n = split(line, a, " ")
        for (i = 1; i <= n; i++) if (index(a[i], key "=") == 1) return substr(a[i], length(key) + 2)
        return ""
    }
    function median(list,   a, n, i, j, t) {
        n = split(list, a, ",")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function add(name, k, v) { val[name, k] = val[name, k] (val[name, k] == "" ? "" : ",") v }
    function m(name, k) { return median(val[name, k]) }
    /^RESULT / {
        k = kv($0, "label") SUBSEP kv($0, "job")
        seen[k] = 1
        add("mbps", k, kv($0, "mbps")); add("iops", k, kv($0, "iops"))
        add("p50", k, kv($0, "lat_p50_us")); add("p99", k, kv($0, "lat_p99_us")); add("p999", k, kv($0, "lat_p999_us"))
        add("cpu", k, kv($0, "target_cpu_us_per_io")); add("util", k, kv($0, "target_cpu_util"))
        add("sys", k, kv($0, "target_reads_per_io") + kv($0, "target_writes_per_io")); add("cs", k, kv($0, "target_ctxsw_per_io"))
        bs[kv($0, "job")] = kv($0, "bs"); qd[kv($0, "job")] = kv($0, "qd")
    }
    END {
        n = split(jobs, J, " ")
        printf "%-10s %-8s | %9s %8s %8s %8s | %9s %8s %8s %8s | %5s\n", "job", "bs/qd", "tgt MB/s", "IOPS", "p99 us", "p99.9 us",
            "jzram MB/s", "IOPS", "p99 us", "p99.9 us", "ratio"
        for (i = 1; i <= n; i++) {
            j = J[i]; t = "tgt" SUBSEP j; z = "jzram" SUBSEP j
            if (!(t in seen) || !(z in seen)) continue
            printf "%-10s %-8s | %9.1f %8.0f %8.0f %8.0f | %9.1f %8.0f %8.0f %8.0f | %5.2f\n", j, (bs[j] / 1024) "K/" qd[j],
                m("mbps", t), m("iops", t), m("p99", t), m("p999", t), m("mbps", z), m("iops", z), m("p99", z), m("p999", z),
                (m("mbps", t) > 0 ? m("mbps", z) / m("mbps", t) : 0)
        }
        print ""
        print "cost at the target per I/O: CPU us, CPUs busy, system calls (read+write), context switches"
        printf "%-10s | %8s %5s %7s %7s | %8s %5s %7s %7s | %9s\n", "job", "tgt CPU", "busy", "sysc", "ctxsw", "jzram CPU", "busy", "sysc", "ctxsw", "CPU ratio"
        for (i = 1; i <= n; i++) {
            j = J[i]; t = "tgt" SUBSEP j; z = "jzram" SUBSEP j
            if (!(t in seen) || !(z in seen)) continue
            printf "%-10s | %8.1f %5.2f %7.2f %7.2f | %8.1f %5.2f %7.2f %7.2f | %9.2f\n", j,
                m("cpu", t), m("util", t), m("sys", t), m("cs", t), m("cpu", z), m("util", z), m("sys", z), m("cs", z),
                (m("cpu", t) > 0 ? m("cpu", z) / m("cpu", t) : 0)
        }
    }' "$WORK/jobs.txt"
grep '^MEMORY ' "$RESULT_LINES" | sed 's/^MEMORY /memory: /'
if [[ -n ${RESULTS:-} ]]; then grep '^MEMORY ' "$RESULT_LINES" >>"$RESULTS"; fi
echo "ratio = jzram / tgt in MB/s (the project aims for >= 1.0); CPU ratio = jzram / tgt in target CPU time per I/O"
echo "(lower is better; less sensitive to a busy machine than MB/s); memory ratio = orig_data_size / mem_used_total"
