/*
 * loadgen: a fixed-queue-depth iSCSI load generator on libiscsi's asynchronous API.
 *
 * One iSCSI session (one TCP connection), one event loop: poll() on libiscsi's socket,
 * iscsi_service() on what poll() reports, and every completion callback immediately issues the
 * next READ(16)/WRITE(16) so that exactly --qd commands stay in flight until the job ends.
 *
 * Write payloads come from a data file (--data), never a constant byte: device byte b carries
 * data file byte (b + seed * 4096) mod file_size, so consecutive device pages carry consecutive
 * file pages and the device holds the file over and over. Because the mapping depends only on
 * the position, a later READ of any block knows what it must return (--verify), whatever mix
 * of sequential and random writes happened before.
 *
 * Nothing fails silently: a SCSI status other than GOOD, a residual, a transport error, a
 * reconnect attempt (auto-reconnect is disabled), a task timeout or a stalled session ends the
 * run with a message and exit status 2. Exit status 1 is a usage error.
 *
 * Output: one machine-readable line starting with "RESULT " (key=value pairs) and one human
 * line. MB/s is 10^6 bytes per second. ios/secs/bytes and the latencies cover the measured part
 * (after --ramp); ios_all/secs_all the whole run, ramp included.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

#define PAGE 4096u

enum job { SEQ_WRITE, SEQ_READ, RAND_READ, RAND_WRITE };
static const char *const job_names[] = {"seqwrite", "seqread", "randread", "randwrite"};

/* ------------------------------------------------------------------ options */

static struct {
    const char *url;
    const char *data;
    const char *label;
    const char *initiator;
    enum job job;
    uint64_t bs;
    int qd;
    double duration;   /* seconds of issuing; 0 = unbounded (then --total is required) */
    double ramp;       /* seconds at the start whose completions are not counted */
    uint64_t total;    /* stop issuing after this many bytes; 0 = no limit */
    int total_all;     /* --total all: the whole device (or --range) once */
    uint64_t offset;   /* start of the region */
    uint64_t range;    /* length of the region; 0 = to the end of the device */
    uint64_t seed;
    int verify;
    int timeout;       /* per-task timeout and stall limit, seconds */
} opt = {
    .label = "-",
    .initiator = "iqn.2026-11.io.jzram:loadgen",
    .job = SEQ_READ,
    .bs = 4096,
    .qd = 1,
    .duration = 10,
    .seed = 0,
    .timeout = 30,
};

static void usage(FILE *f) {
    fprintf(f,
        "usage: loadgen --url iscsi://HOST:PORT/IQN/LUN --job seqwrite|seqread|randread|randwrite\n"
        "               [--bs SIZE] [--qd N] [--duration SEC] [--ramp SEC] [--total SIZE|all]\n"
        "               [--offset SIZE] [--range SIZE] [--data FILE] [--seed N] [--verify]\n"
        "               [--label NAME] [--initiator IQN] [--timeout SEC]\n"
        "  SIZE takes k/K, m/M, g/G suffixes (powers of 1024).\n"
        "  --data FILE   write payloads (required for writes, and for --verify): device byte b\n"
        "                holds file byte (b + seed*4096) mod size; the file is cut to whole pages\n"
        "  --total all   exactly the region once (a fill): issuing stops there, not at --duration\n"
        "  --verify      compare every block read with what the mapping says it holds\n");
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "loadgen[%s %s]: ", opt.label, job_names[opt.job]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void bad_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "loadgen: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    usage(stderr);
    exit(1);
}

static uint64_t parse_size(const char *s, const char *what) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) {
        bad_usage("bad %s: %s", what, s);
    }
    uint64_t mult = 1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mult = 1ull << 10; end++; break;
    case 'm': case 'M': mult = 1ull << 20; end++; break;
    case 'g': case 'G': mult = 1ull << 30; end++; break;
    default: bad_usage("bad %s: %s", what, s);
    }
    if (*end == 'i' || *end == 'B') {
        end++;
    }
    if (*end == 'B') {
        end++;
    }
    if (*end != '\0') {
        bad_usage("bad %s: %s", what, s);
    }
    return (uint64_t)v * mult;
}

static double parse_double(const char *s, const char *what) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || v < 0) {
        bad_usage("bad %s: %s", what, s);
    }
    return v;
}

/* ------------------------------------------------------------------ time */

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ latency histogram
 * Log-linear buckets over nanoseconds: values below 2^SUB_BITS exactly, above that 2^SUB_BITS
 * buckets per power of two (relative error below 1/2^SUB_BITS = 3%). Constant time, no
 * allocation on the I/O path.
 */
#define SUB_BITS 5
#define SUB (1u << SUB_BITS)
#define NBUCKETS ((64 - SUB_BITS) * SUB + SUB)

static uint64_t hist[NBUCKETS];

static inline unsigned bucket_of(uint64_t v) {
    if (v < SUB) {
        return (unsigned)v;
    }
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - SUB_BITS;
    return (shift + 1) * SUB + (unsigned)((v >> shift) & (SUB - 1));
}

/* The middle of a bucket's value range. */
static double bucket_value(unsigned b) {
    if (b < SUB) {
        return b;
    }
    unsigned shift = b / SUB - 1;
    uint64_t lo = ((uint64_t)(SUB + b % SUB)) << shift;
    return (double)lo + (double)(1ull << shift) / 2.0;
}

static double percentile(uint64_t count, double p) {
    if (count == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t)ceil(p * (double)count);
    if (rank < 1) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (unsigned b = 0; b < NBUCKETS; b++) {
        seen += hist[b];
        if (seen >= rank) {
            return bucket_value(b);
        }
    }
    return bucket_value(NBUCKETS - 1);
}

/* ------------------------------------------------------------------ state */

struct slot {
    unsigned char *buf;   /* bs bytes: read target, or write payload when the mapping wraps */
    uint64_t offset;      /* device byte offset of the command in flight */
    uint64_t start_ns;
    int busy;
};

static struct iscsi_context *iscsi;
static int lun;
static uint32_t block_size;
static uint64_t dev_bytes;
static uint64_t region_start, region_len;
static const unsigned char *data;   /* the data file, mapped */
static uint64_t data_len;           /* whole pages */
static struct slot *slots;

static uint64_t seq_cursor;         /* next sequential offset, relative to region_start */
static uint64_t rng_state;
static uint64_t issued_bytes;
static int inflight;
static int issuing = 1;
static uint64_t t_start, t_count_from, t_stop_issue, t_last_done, t_last_progress;
static int ramp_done;

/* counted from t_count_from on */
static uint64_t done_ios, done_bytes, lat_sum_ns, lat_max_ns;
/* every completion, ramp included (for per-I/O costs measured from outside over the whole run) */
static uint64_t all_ios;
static uint64_t verified_bytes;

static inline uint64_t xorshift64star(void) {
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Copies the expected contents of device bytes [off, off+len) to dst. */
static void expected(unsigned char *dst, uint64_t off, uint64_t len) {
    uint64_t pos = (off + opt.seed * PAGE) % data_len;
    while (len > 0) {
        uint64_t n = data_len - pos < len ? data_len - pos : len;
        memcpy(dst, data + pos, n);
        dst += n;
        len -= n;
        pos = 0;
    }
}

/* Compares [buf, buf+len) with the expected contents of device bytes [off, off+len). */
static void verify_block(const unsigned char *buf, uint64_t off, uint64_t len) {
    uint64_t pos = (off + opt.seed * PAGE) % data_len;
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = data_len - pos < len - done ? data_len - pos : len - done;
        if (memcmp(buf + done, data + pos, n) != 0) {
            for (uint64_t i = 0; i < n; i++) {
                if (buf[done + i] != data[pos + i]) {
                    die("verify: device byte %" PRIu64 " (LBA %" PRIu64 ") is 0x%02x, expected 0x%02x "
                        "(data file byte %" PRIu64 ")", off + done + i, (off + done + i) / block_size,
                        buf[done + i], data[pos + i], pos + i);
                }
            }
        }
        done += n;
        pos = 0;
    }
}

static void issue(struct slot *s);

static void completed(struct iscsi_context *ctx, int status, void *command_data, void *private_data) {
    (void)ctx;
    struct slot *s = private_data;
    struct scsi_task *task = command_data;
    uint64_t t = now_ns();

    if (status != SCSI_STATUS_GOOD) {
        if (task != NULL && status == SCSI_STATUS_CHECK_CONDITION) {
            die("%s at byte %" PRIu64 " (LBA %" PRIu64 "): CHECK CONDITION, sense key %s (0x%x), "
                "ASC/ASCQ %s (0x%04x); %s",
                opt.job == SEQ_WRITE || opt.job == RAND_WRITE ? "WRITE(16)" : "READ(16)",
                s->offset, s->offset / block_size, scsi_sense_key_str(task->sense.key), task->sense.key,
                scsi_sense_ascq_str(task->sense.ascq), task->sense.ascq, iscsi_get_error(iscsi));
        }
        die("%s at byte %" PRIu64 ": SCSI status 0x%x; %s",
            opt.job == SEQ_WRITE || opt.job == RAND_WRITE ? "WRITE(16)" : "READ(16)",
            s->offset, (unsigned)status, iscsi_get_error(iscsi));
    }
    if (task == NULL) {
        die("completion without a task at byte %" PRIu64, s->offset);
    }
    if (task->residual_status != SCSI_RESIDUAL_NO_RESIDUAL || task->residual != 0) {
        die("residual %s of %zu bytes at byte %" PRIu64,
            task->residual_status == SCSI_RESIDUAL_UNDERFLOW ? "underflow" : "overflow",
            task->residual, s->offset);
    }
    scsi_free_scsi_task(task);

    if (opt.verify && (opt.job == SEQ_READ || opt.job == RAND_READ)) {
        verify_block(s->buf, s->offset, opt.bs);
        verified_bytes += opt.bs;
    }

    inflight--;
    all_ios++;
    s->busy = 0;
    t_last_done = t;
    t_last_progress = t;
    /* only commands issued after the ramp are counted */
    if (ramp_done && s->start_ns >= t_count_from) {
        uint64_t lat = t - s->start_ns;
        done_ios++;
        done_bytes += opt.bs;
        lat_sum_ns += lat;
        if (lat > lat_max_ns) {
            lat_max_ns = lat;
        }
        hist[bucket_of(lat)]++;
    }
    issue(s);
}

static void issue(struct slot *s) {
    if (!issuing) {
        return;
    }
    uint64_t t = now_ns();
    if (!ramp_done && t >= t_count_from) {
        ramp_done = 1;
    }
    if (opt.duration > 0 && t >= t_stop_issue) {
        issuing = 0;
        return;
    }
    if (opt.total > 0 && issued_bytes >= opt.total) {
        issuing = 0;
        return;
    }

    uint64_t rel;
    if (opt.job == SEQ_WRITE || opt.job == SEQ_READ) {
        if (seq_cursor + opt.bs > region_len) {
            seq_cursor = 0;
        }
        rel = seq_cursor;
        seq_cursor += opt.bs;
    } else {
        rel = (xorshift64star() % (region_len / opt.bs)) * opt.bs;
    }
    s->offset = region_start + rel;
    s->start_ns = t;
    s->busy = 1;

    uint64_t lba = s->offset / block_size;
    struct scsi_task *task;
    if (opt.job == SEQ_WRITE || opt.job == RAND_WRITE) {
        uint64_t pos = (s->offset + opt.seed * PAGE) % data_len;
        unsigned char *payload;
        if (pos + opt.bs <= data_len) {
            payload = (unsigned char *)(data + pos);   /* zero copy: libiscsi only reads it */
        } else {
            expected(s->buf, s->offset, opt.bs);
            payload = s->buf;
        }
        task = iscsi_write16_task(iscsi, lun, lba, payload, (uint32_t)opt.bs, (int)block_size,
                                  0, 0, 0, 0, 0, completed, s);
        if (task == NULL) {
            die("iscsi_write16_task at LBA %" PRIu64 ": %s", lba, iscsi_get_error(iscsi));
        }
    } else {
        task = iscsi_read16_task(iscsi, lun, lba, (uint32_t)opt.bs, (int)block_size,
                                 0, 0, 0, 0, 0, completed, s);
        if (task == NULL) {
            die("iscsi_read16_task at LBA %" PRIu64 ": %s", lba, iscsi_get_error(iscsi));
        }
        if (scsi_task_add_data_in_buffer(task, (int)opt.bs, s->buf) != 0) {
            die("scsi_task_add_data_in_buffer: %s", iscsi_get_error(iscsi));
        }
    }
    issued_bytes += opt.bs;
    inflight++;
}

/* ------------------------------------------------------------------ setup */

static void map_data(void) {
    int fd = open(opt.data, O_RDONLY);
    if (fd < 0) {
        bad_usage("cannot open data file %s: %s", opt.data, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        bad_usage("cannot stat %s: %s", opt.data, strerror(errno));
    }
    data_len = (uint64_t)st.st_size / PAGE * PAGE;
    if (data_len == 0) {
        bad_usage("data file %s holds less than one page", opt.data);
    }
    void *m = mmap(NULL, data_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m == MAP_FAILED) {
        bad_usage("cannot map %s: %s", opt.data, strerror(errno));
    }
    close(fd);
    data = m;
}

static void connect_target(void) {
    iscsi = iscsi_create_context(opt.initiator);
    if (iscsi == NULL) {
        die("iscsi_create_context failed");
    }
    struct iscsi_url *url = iscsi_parse_full_url(iscsi, opt.url);
    if (url == NULL) {
        bad_usage("bad URL %s: %s", opt.url, iscsi_get_error(iscsi));
    }
    lun = url->lun;
    if (iscsi_set_targetname(iscsi, url->target) != 0
        || iscsi_set_session_type(iscsi, ISCSI_SESSION_NORMAL) != 0
        || iscsi_set_header_digest(iscsi, ISCSI_HEADER_DIGEST_NONE) != 0) {
        die("session setup: %s", iscsi_get_error(iscsi));
    }
    iscsi_set_noautoreconnect(iscsi, 1);   /* a dropped connection is an error, not a silent retry */
    iscsi_set_timeout(iscsi, opt.timeout);
    if (iscsi_full_connect_sync(iscsi, url->portal, url->lun) != 0) {
        die("login to %s: %s", opt.url, iscsi_get_error(iscsi));
    }
    iscsi_destroy_url(url);

    struct scsi_task *task = iscsi_readcapacity16_sync(iscsi, lun);
    if (task == NULL || task->status != SCSI_STATUS_GOOD) {
        die("READ CAPACITY(16): %s", iscsi_get_error(iscsi));
    }
    struct scsi_readcapacity16 *rc16 = scsi_datain_unmarshall(task);
    if (rc16 == NULL) {
        die("cannot decode READ CAPACITY(16) data");
    }
    block_size = rc16->block_length;
    dev_bytes = (rc16->returned_lba + 1) * (uint64_t)block_size;
    scsi_free_scsi_task(task);
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"url", required_argument, 0, 'u'},
        {"job", required_argument, 0, 'j'},
        {"bs", required_argument, 0, 'b'},
        {"qd", required_argument, 0, 'q'},
        {"duration", required_argument, 0, 'd'},
        {"ramp", required_argument, 0, 'r'},
        {"total", required_argument, 0, 't'},
        {"offset", required_argument, 0, 'o'},
        {"range", required_argument, 0, 'R'},
        {"data", required_argument, 0, 'D'},
        {"seed", required_argument, 0, 's'},
        {"verify", no_argument, 0, 'v'},
        {"label", required_argument, 0, 'l'},
        {"initiator", required_argument, 0, 'i'},
        {"timeout", required_argument, 0, 'T'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    int job_set = 0;
    while ((c = getopt_long(argc, argv, "u:j:b:q:d:r:t:o:R:D:s:vl:i:T:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'u': opt.url = optarg; break;
        case 'j': {
            int found = 0;
            for (int i = 0; i < 4; i++) {
                if (strcmp(optarg, job_names[i]) == 0) {
                    opt.job = (enum job)i;
                    found = 1;
                }
            }
            if (!found) {
                bad_usage("unknown job %s", optarg);
            }
            job_set = 1;
            break;
        }
        case 'b': opt.bs = parse_size(optarg, "--bs"); break;
        case 'q': opt.qd = atoi(optarg); break;
        case 'd': opt.duration = parse_double(optarg, "--duration"); break;
        case 'r': opt.ramp = parse_double(optarg, "--ramp"); break;
        case 't':
            if (strcmp(optarg, "all") == 0) {
                opt.total_all = 1;
            } else {
                opt.total = parse_size(optarg, "--total");
            }
            break;
        case 'o': opt.offset = parse_size(optarg, "--offset"); break;
        case 'R': opt.range = parse_size(optarg, "--range"); break;
        case 'D': opt.data = optarg; break;
        case 's': opt.seed = strtoull(optarg, NULL, 10); break;
        case 'v': opt.verify = 1; break;
        case 'l': opt.label = optarg; break;
        case 'i': opt.initiator = optarg; break;
        case 'T': opt.timeout = atoi(optarg); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind != argc) {
        bad_usage("unexpected argument %s", argv[optind]);
    }
    if (opt.url == NULL || !job_set) {
        bad_usage("--url and --job are required");
    }
    if (opt.qd < 1 || opt.qd > 1024) {
        bad_usage("--qd must be 1..1024");
    }
    if (opt.bs == 0 || opt.bs % 512 != 0 || opt.bs > (64u << 20)) {
        bad_usage("--bs must be a multiple of 512 up to 64M");
    }
    if (opt.timeout < 1) {
        bad_usage("--timeout must be at least 1 second");
    }
    int writes = opt.job == SEQ_WRITE || opt.job == RAND_WRITE;
    if ((writes || opt.verify) && opt.data == NULL) {
        bad_usage("%s needs --data FILE", writes ? "a write job" : "--verify");
    }
    if (opt.data != NULL) {
        map_data();
    }

    connect_target();

    if (opt.bs % block_size != 0 || opt.offset % block_size != 0) {
        die("--bs %" PRIu64 " and --offset must be multiples of the block size %u", opt.bs, block_size);
    }
    region_start = opt.offset;
    if (region_start >= dev_bytes) {
        die("--offset beyond the device (%" PRIu64 " bytes)", dev_bytes);
    }
    region_len = opt.range ? opt.range : dev_bytes - region_start;
    if (region_start + region_len > dev_bytes) {
        die("--offset + --range beyond the device (%" PRIu64 " bytes)", dev_bytes);
    }
    region_len = region_len / opt.bs * opt.bs;
    if (region_len == 0) {
        die("region smaller than one block of %" PRIu64 " bytes", opt.bs);
    }
    if (opt.total_all) {
        opt.total = region_len;
        opt.duration = 0;
    }
    if (opt.duration == 0 && opt.total == 0) {
        bad_usage("give --duration or --total");
    }
    rng_state = 0x9E3779B97F4A7C15ull ^ (opt.seed * 0xD1B54A32D192ED03ull) ^ (uint64_t)opt.job;
    if (rng_state == 0) {
        rng_state = 1;
    }

    slots = calloc((size_t)opt.qd, sizeof *slots);
    if (slots == NULL) {
        die("out of memory");
    }
    for (int i = 0; i < opt.qd; i++) {
        if (posix_memalign((void **)&slots[i].buf, PAGE, opt.bs) != 0) {
            die("out of memory");
        }
        memset(slots[i].buf, 0, opt.bs);
    }

    t_start = now_ns();
    t_count_from = t_start + (uint64_t)(opt.ramp * 1e9);
    ramp_done = opt.ramp == 0;
    t_stop_issue = t_start + (uint64_t)((opt.ramp + opt.duration) * 1e9);
    t_last_progress = t_start;
    for (int i = 0; i < opt.qd && issuing; i++) {
        issue(&slots[i]);
    }

    while (inflight > 0) {
        struct pollfd pfd = {.fd = iscsi_get_fd(iscsi), .events = (short)iscsi_which_events(iscsi)};
        if (pfd.events == 0) {
            die("the session went away (no events to wait for): %s", iscsi_get_error(iscsi));
        }
        int n = poll(&pfd, 1, 100);
        if (n < 0 && errno != EINTR) {
            die("poll: %s", strerror(errno));
        }
        if (iscsi_service(iscsi, n > 0 ? pfd.revents : 0) < 0) {
            die("iscsi_service: %s", iscsi_get_error(iscsi));
        }
        uint64_t t = now_ns();
        if (t - t_last_progress > (uint64_t)opt.timeout * 1000000000ull) {
            die("stalled: no completion for %d s with %d commands in flight", opt.timeout, inflight);
        }
        /* a slot whose callback stopped issuing (end of the job) stays idle; refill the rest */
        for (int i = 0; i < opt.qd && issuing && inflight < opt.qd; i++) {
            if (!slots[i].busy) {
                issue(&slots[i]);
            }
        }
    }
    if (!ramp_done) {
        die("the job ended during the ramp (--ramp %.1f s): nothing was counted", opt.ramp);
    }

    uint64_t t_end = t_last_done;
    double secs = (double)(t_end - t_count_from) / 1e9;
    if (secs <= 0) {
        secs = 1e-9;
    }
    double iops = (double)done_ios / secs;
    double mbps = (double)done_bytes / secs / 1e6;
    double avg_us = done_ios ? (double)lat_sum_ns / (double)done_ios / 1e3 : 0;
    double p50 = percentile(done_ios, 0.50) / 1e3;
    double p99 = percentile(done_ios, 0.99) / 1e3;
    double p999 = percentile(done_ios, 0.999) / 1e3;
    double maxus = (double)lat_max_ns / 1e3;

    if (iscsi_logout_sync(iscsi) != 0) {
        die("logout: %s", iscsi_get_error(iscsi));
    }
    iscsi_destroy_context(iscsi);

    printf("RESULT label=%s job=%s bs=%" PRIu64 " qd=%d secs=%.3f ios=%" PRIu64 " bytes=%" PRIu64
           " iops=%.1f mbps=%.2f lat_avg_us=%.1f lat_p50_us=%.1f lat_p99_us=%.1f lat_p999_us=%.1f"
           " lat_max_us=%.1f verified_bytes=%" PRIu64 " device_bytes=%" PRIu64 " block=%u ios_all=%" PRIu64
           " secs_all=%.3f errors=0\n",
           opt.label, job_names[opt.job], opt.bs, opt.qd, secs, done_ios, done_bytes, iops, mbps, avg_us,
           p50, p99, p999, maxus, verified_bytes, dev_bytes, block_size, all_ios,
           (double)(t_end - t_start) / 1e9);
    printf("%s %s bs=%" PRIu64 "K qd=%d: %.1f MB/s, %.0f IOPS in %.2f s; latency us: avg %.0f, "
           "p50 %.0f, p99 %.0f, p99.9 %.0f, max %.0f%s\n",
           opt.label, job_names[opt.job], opt.bs / 1024, opt.qd, mbps, iops, secs, avg_us, p50, p99, p999,
           maxus, opt.verify ? ", all data verified" : "");
    return 0;
}
