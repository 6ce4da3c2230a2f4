// Chooses the instruction-set table at run time, splits large inputs over threads, and holds the
// kernels whose inner loops are scalar by nature (histogram, scan, compaction, transpose).
#define _GNU_SOURCE  // sched_getcpu
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include "mybro_kernels.h"
#include "simd/kernels_table.h"

// MARK: - Paths

static int best_path(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        return MYBRO_PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return MYBRO_PATH_AVX2;
#endif
    return MYBRO_PATH_BASELINE;
}

static const mybro_k_table *table_for(int path) {
#if defined(__x86_64__)
    if (path == MYBRO_PATH_AVX512) return &mybro_k_table_avx512;
    if (path == MYBRO_PATH_AVX2) return &mybro_k_table_avx2;
#endif
    (void)path;
    return &mybro_k_table_baseline;
}

static int current_path = -1;
static int thread_count = 0;
/// Below this many elements one thread does the work (half of it for the transcendental maps
/// and the histogram). Measured here (2 shared cores, Benchmarks/kernel/cutover.c): with the
/// pool's workers spinning between calls a part changes hands in under a microsecond, and two
/// threads halve a memory-bound pass from 2^15 floats (add 2.7 → 1.4 µs, tanh 12.5 → 6.5 µs);
/// a call that finds its worker asleep pays the wake-up (about 5 µs), which the caller's taking
/// back unclaimed parts bounds. 2^16 keeps calls under ~5 µs on one thread.
static size_t thread_cutover = (size_t)1 << 16;
/// Outputs at least this large bypass the cache (non-temporal stores): they cannot stay in it
/// anyway, and the store then costs no read of the destination line.
static const size_t nontemporal_bytes = (size_t)8 << 20;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static void setup(void) {
    int best = best_path();
    current_path = best;
    const char *forced = getenv("MYBRO_KERNELS_PATH");
    if (forced) {
        int wanted = strcmp(forced, "avx512") == 0 ? MYBRO_PATH_AVX512
                     : strcmp(forced, "avx2") == 0 ? MYBRO_PATH_AVX2
                                                    : MYBRO_PATH_BASELINE;
        if (wanted <= best) current_path = wanted;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    thread_count = online < 1 ? 1 : online > 16 ? 16 : (int)online;
    const char *threads = getenv("MYBRO_KERNELS_THREADS");
    if (threads) {
        int wanted = atoi(threads);
        if (wanted >= 1 && wanted <= 64) thread_count = wanted;
    }
}

static const mybro_k_table *table(void) {
    pthread_once(&setup_once, setup);
    return table_for(__atomic_load_n(&current_path, __ATOMIC_RELAXED));
}

int mybro_k_path(void) {
    pthread_once(&setup_once, setup);
    return __atomic_load_n(&current_path, __ATOMIC_RELAXED);
}
int mybro_k_best_path(void) { return best_path(); }
const char *mybro_k_path_name(int path) { return table_for(path)->name; }
int mybro_k_set_path(int path) {
    pthread_once(&setup_once, setup);
    if (path < 0 || path > best_path()) return -1;
    __atomic_store_n(&current_path, path, __ATOMIC_RELAXED);
    return 0;
}
int mybro_k_threads(void) {
    pthread_once(&setup_once, setup);
    return __atomic_load_n(&thread_count, __ATOMIC_RELAXED);
}
void mybro_k_set_threads(int threads) {
    pthread_once(&setup_once, setup);
    __atomic_store_n(&thread_count, threads < 1 ? 1 : threads > 64 ? 64 : threads, __ATOMIC_RELAXED);
}
size_t mybro_k_thread_cutover(void) { return __atomic_load_n(&thread_cutover, __ATOMIC_RELAXED); }
void mybro_k_set_thread_cutover(size_t elements) {
    __atomic_store_n(&thread_cutover, elements < 1024 ? 1024 : elements, __ATOMIC_RELAXED);
}

// MARK: - Threads

typedef void (*range_fn)(void *context, size_t begin, size_t end, int part);
typedef struct {
    range_fn fn;
    void *context;
    size_t begin, end;
    int part;
} range_job;

enum { MAX_PARTS = 64 };

/// A pool of workers started on first use and kept: starting a thread costs 30–60 µs here,
/// waking a sleeping one 5–30 µs, so a worker that has just finished a job spins for a while
/// (pool_spin_ns) before it sleeps, and the caller spins for its parts before it sleeps: kernels
/// called back to back (a stream of windows, a model's layers) then hand a part over in well
/// under a microsecond. One parallel call at a time owns the pool; a call that finds it busy
/// (another thread's kernel, or a kernel inside a kernel) runs on its own thread instead.
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pool_owner = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
static int pool_workers = 0;   // under pool_lock
static int pool_sleepers = 0;  // workers waiting on pool_wake, under pool_lock
/// The published call: its sequence number above the low 8 bits and its part count in them, so a
/// worker reads both at once. Stored with release after pool_jobs and pool_pending are written:
/// a worker that loads it with acquire sees that call's jobs.
static unsigned long pool_call = 0;
static unsigned long pool_calls = 0;  // sequence numbers handed out, under pool_owner
static int pool_pending = 0;          // parts not yet finished by workers (atomic)
static range_job pool_jobs[MAX_PARTS];
/// Part p of the published call is still unclaimed while pool_tickets[p] holds that call's word.
/// Its worker and the caller (once done with its own part) race to swap it to 0; the winner runs
/// it. So a worker that is asleep or descheduled costs the call nothing but the caller's time.
static unsigned long pool_tickets[MAX_PARTS];
/// The call each worker was started in: its first job is the one after (or the one being set up
/// while it starts, which pool_grow's caller publishes after starting it).
static unsigned long pool_started_in[MAX_PARTS];
/// How long a worker spins for the next call, and the caller for its parts, before sleeping.
static const long pool_spin_ns = 200000;

static long long pool_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline void pool_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// The CPU the latest caller ran on when it published its call (-1: unknown).
static int pool_caller_cpu = -1;

/// A bounded spin: how many turns it has taken and when it gives up.
typedef struct {
    unsigned turns;
    long long deadline;
} pool_spinner;

/// One turn of a spin; returns 0 once pool_spin_ns have passed. Every 64 turns it reads the
/// clock, and every 256 it yields: a spinner that shares its CPU with the thread it waits for
/// would hold that thread off for its whole time slice (p95 of a 2^14 sum: 211 µs here).
static int pool_spin_turn(pool_spinner *spinner) {
    unsigned turn = spinner->turns++;
    if ((turn & 63) == 0) {
        if (turn > 0 && (turn & 255) == 0) sched_yield();
        long long now = pool_now_ns();
        if (spinner->deadline == 0) spinner->deadline = now + pool_spin_ns;
        else if (now > spinner->deadline) return 0;
    }
    pool_pause();
    return 1;
}

/// A worker's wait for the call after `seen`; returns 0 when it should sleep instead: its spin
/// ran out, or it finds itself on the caller's CPU, where it only delays the caller (which takes
/// its parts back) and where, spinning, it would never be moved. Sleeping lets the next wake-up
/// place it on an idle CPU (spinning there, the pool gave one thread's speed in half the runs).
static int pool_spin_for_call(unsigned long seen) {
    pool_spinner spinner = {0, 0};
    while (__atomic_load_n(&pool_call, __ATOMIC_ACQUIRE) == seen) {
        if ((spinner.turns & 63) == 0) {
            int cpu = sched_getcpu();  // -1 where it cannot be read: then spin as usual
            if (cpu >= 0 && cpu == __atomic_load_n(&pool_caller_cpu, __ATOMIC_RELAXED)) return 0;
        }
        if (!pool_spin_turn(&spinner)) return 0;
    }
    return 1;
}

/// The caller's wait for the workers' parts; returns 0 when its spin ran out.
static int pool_spin_for_parts(void) {
    pool_spinner spinner = {0, 0};
    while (__atomic_load_n(&pool_pending, __ATOMIC_ACQUIRE) > 0) {
        if (!pool_spin_turn(&spinner)) return 0;
    }
    return 1;
}

static void run_job(range_job job) { job.fn(job.context, job.begin, job.end, job.part); }

static void *pool_worker(void *argument) {
    int index = (int)(intptr_t)argument;  // runs pool_jobs[index]
    pthread_mutex_lock(&pool_lock);
    unsigned long seen = pool_started_in[index];
    pthread_mutex_unlock(&pool_lock);
    int spin = 1;  // only after a call it had a part in: the others would spin for nothing
    for (;;) {
        if (!spin || !pool_spin_for_call(seen)) {
            // Sleep. The caller publishes before it takes pool_lock to look for sleepers, so a
            // call published after this check finds this worker counted and wakes it.
            pthread_mutex_lock(&pool_lock);
            pool_sleepers++;
            while (__atomic_load_n(&pool_call, __ATOMIC_ACQUIRE) == seen) pthread_cond_wait(&pool_wake, &pool_lock);
            pool_sleepers--;
            pthread_mutex_unlock(&pool_lock);
        }
        seen = __atomic_load_n(&pool_call, __ATOMIC_ACQUIRE);
        // A worker outside this call's parts reads no job: the next call may be writing them.
        spin = index < (int)(seen & 0xff);
        if (!spin) continue;
        unsigned long ticket = seen;
        if (!__atomic_compare_exchange_n(&pool_tickets[index], &ticket, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            continue;  // the caller ran it, or a newer call is out: its word is loaded next turn
        run_job(pool_jobs[index]);
        if (__atomic_sub_fetch(&pool_pending, 1, __ATOMIC_ACQ_REL) == 0) {
            pthread_mutex_lock(&pool_lock);
            pthread_cond_signal(&pool_done);
            pthread_mutex_unlock(&pool_lock);
        }
    }
    return NULL;
}

/// Makes sure `wanted` workers (jobs 1…wanted) exist; returns how many do. Under pool_lock.
static int pool_grow(int wanted) {
    while (pool_workers < wanted) {
        pthread_t thread;
        pthread_attr_t attributes;
        pool_started_in[pool_workers + 1] = __atomic_load_n(&pool_call, __ATOMIC_RELAXED);
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, pool_worker, (void *)(intptr_t)(pool_workers + 1));
        pthread_attr_destroy(&attributes);
        if (failed) break;
        pool_workers++;
    }
    return pool_workers;
}

/// How many parts `n` elements split into: none below the cut-over (`heavy` kernels, which
/// spend many cycles per element, split from half of it), then at least half a cut-over each.
static int parts_for_cost(size_t n, int heavy) {
    int threads = mybro_k_threads();
    size_t cutover = mybro_k_thread_cutover();
    if (heavy) cutover = cutover / 2 < 4096 ? 4096 : cutover / 2;
    if (threads <= 1 || n < cutover) return 1;
    size_t byCutover = n / (cutover / 2);
    return byCutover < (size_t)threads ? (int)(byCutover < 1 ? 1 : byCutover) : threads;
}

static int parts_for(size_t n) { return parts_for_cost(n, 0); }

/// Runs fn over [0, n) in `parts` ranges, each a multiple of `grain` (a power of two); part 0 on
/// the calling thread, the others on the pool.
/// Returns the number of parts it used (fewer than asked when the pool is busy or short).
static _Thread_local int last_parts = 1;
int mybro_k_last_parts(void) { return last_parts; }

static int parallel_in(size_t n, int parts, size_t grain, range_fn fn, void *context) {
    if (parts > MAX_PARTS) parts = MAX_PARTS;
    if ((size_t)parts > n / grain + 1) parts = (int)(n / grain + 1);  // at most a part per grain begun
    if (parts > 1 && pthread_mutex_trylock(&pool_owner) != 0) parts = 1;
    if (parts <= 1) {
        fn(context, 0, n, 0);
        last_parts = 1;
        return 1;
    }
    pthread_mutex_lock(&pool_lock);
    int available = pool_grow(parts - 1 < MAX_PARTS - 1 ? parts - 1 : MAX_PARTS - 1) + 1;
    pthread_mutex_unlock(&pool_lock);
    if (available < parts) parts = available;
    size_t chunk = (n / (size_t)parts + grain - 1) & ~(grain - 1);
    // Only parts that start before the end: one past it would wake a worker for nothing.
    if ((size_t)parts > (n + chunk - 1) / chunk) parts = (int)((n + chunk - 1) / chunk);
    for (int p = 0; p < parts; p++) {
        size_t begin = chunk * (size_t)p, end = begin + chunk;
        if (end > n || p == parts - 1) end = n;
        pool_jobs[p] = (range_job){fn, context, begin, end, p};
    }
    __atomic_store_n(&pool_pending, parts - 1, __ATOMIC_RELAXED);
    __atomic_store_n(&pool_caller_cpu, sched_getcpu(), __ATOMIC_RELAXED);
    pool_calls++;
    unsigned long word = (pool_calls << 8) | (unsigned long)parts;
    for (int p = 1; p < parts; p++) __atomic_store_n(&pool_tickets[p], word, __ATOMIC_RELEASE);
    __atomic_store_n(&pool_call, word, __ATOMIC_RELEASE);
    pthread_mutex_lock(&pool_lock);
    if (pool_sleepers > 0) pthread_cond_broadcast(&pool_wake);
    pthread_mutex_unlock(&pool_lock);
    run_job(pool_jobs[0]);
    for (int p = 1; p < parts; p++) {
        unsigned long ticket = word;
        if (__atomic_compare_exchange_n(&pool_tickets[p], &ticket, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            run_job(pool_jobs[p]);
            __atomic_sub_fetch(&pool_pending, 1, __ATOMIC_ACQ_REL);
        }
    }
    if (!pool_spin_for_parts()) {
        pthread_mutex_lock(&pool_lock);
        while (__atomic_load_n(&pool_pending, __ATOMIC_ACQUIRE) > 0) pthread_cond_wait(&pool_done, &pool_lock);
        pthread_mutex_unlock(&pool_lock);
    }
    last_parts = parts;
    pthread_mutex_unlock(&pool_owner);
    return parts;
}

/// parallel_in over elements in multiples of 2048: each part's output starts on its own cache
/// line, and the reductions' blocks are the same as in one thread.
static int parallel(size_t n, int parts, range_fn fn, void *context) {
    return parallel_in(n, parts, 2048, fn, context);
}

// MARK: - Reductions

typedef struct {
    const mybro_k_table *table;
    const float *x, *other;
    float scalar;
    int kind;
    double partial[MAX_PARTS], partial2[MAX_PARTS];
    size_t counts[MAX_PARTS];
    float extreme[MAX_PARTS];
} reduce_context;

enum { R_SUM, R_SQUARE, R_ABS, R_MASKED, R_COUNT, R_MIN, R_MAX, R_MAXABS, R_MOMENTS };

static void reduce_range(void *argument, size_t begin, size_t end, int part) {
    reduce_context *c = argument;
    const float *x = c->x + begin;
    size_t n = end - begin;
    switch (c->kind) {
    case R_SUM: c->partial[part] = c->table->sum(x, n); break;
    case R_SQUARE: c->partial[part] = c->table->square_sum(x, n); break;
    case R_ABS: c->partial[part] = c->table->abs_sum(x, n); break;
    case R_MASKED: c->partial[part] = c->table->masked_sum(x, c->other + begin, n); break;
    case R_COUNT: c->counts[part] = c->table->threshold_count(x, n, c->scalar); break;
    case R_MIN: c->extreme[part] = n ? c->table->min(x, n) : INFINITY; break;
    case R_MAX: c->extreme[part] = n ? c->table->max(x, n) : -INFINITY; break;
    case R_MAXABS: c->extreme[part] = c->table->max_abs_finite(x, n); break;
    case R_MOMENTS:
        c->counts[part] = n;
        c->table->moments(x, n, &c->partial[part], &c->partial2[part]);
        break;
    }
}

static int reduce(reduce_context *c, size_t n) {
    c->table = table();
    return parallel(n, parts_for(n), reduce_range, c);
}

static double reduce_double(int kind, const float *x, const float *other, size_t n) {
    reduce_context c = {.x = x, .other = other, .kind = kind};
    int parts = reduce(&c, n);
    double total = 0;
    for (int p = 0; p < parts; p++) total += c.partial[p];
    return total;
}

double mybro_k_sum(const float *x, size_t n) { return reduce_double(R_SUM, x, NULL, n); }
double mybro_k_square_sum(const float *x, size_t n) { return reduce_double(R_SQUARE, x, NULL, n); }
double mybro_k_abs_sum(const float *x, size_t n) { return reduce_double(R_ABS, x, NULL, n); }
double mybro_k_masked_sum(const float *x, const float *mask, size_t n) {
    return reduce_double(R_MASKED, x, mask, n);
}

size_t mybro_k_threshold_count(const float *x, size_t n, float threshold) {
    reduce_context c = {.x = x, .kind = R_COUNT, .scalar = threshold};
    int parts = reduce(&c, n);
    size_t total = 0;
    for (int p = 0; p < parts; p++) total += c.counts[p];
    return total;
}

static float extreme(int kind, const float *x, size_t n) {
    if (n == 0) return kind == R_MAXABS ? 0 : NAN;
    reduce_context c = {.x = x, .kind = kind};
    int parts = reduce(&c, n);
    float result = c.extreme[0];
    for (int p = 1; p < parts; p++) {
        float v = c.extreme[p];
        if (v != v || result != result) result = NAN;
        else if (kind == R_MIN ? v < result : v > result) result = v;
    }
    return result;
}

float mybro_k_min(const float *x, size_t n) { return extreme(R_MIN, x, n); }
float mybro_k_max(const float *x, size_t n) { return extreme(R_MAX, x, n); }
float mybro_k_max_abs_finite(const float *x, size_t n) { return extreme(R_MAXABS, x, n); }

void mybro_k_moments(const float *x, size_t n, double *mean, double *m2) {
    if (n == 0) {
        *mean = NAN;
        *m2 = NAN;
        return;
    }
    reduce_context c = {.x = x, .kind = R_MOMENTS};
    int parts = reduce(&c, n);
    double count = 0, m = 0, s = 0;
    for (int p = 0; p < parts; p++) {
        double nb = (double)c.counts[p];
        if (nb == 0) continue;
        double delta = c.partial[p] - m, total = count + nb;
        m += delta * nb / total;
        s += c.partial2[p] + delta * delta * count * nb / total;
        count = total;
    }
    *mean = m;
    *m2 = s;
}

// MARK: - Maps

typedef struct {
    const mybro_k_table *table;
    int op, binary, nontemporal;
    const float *a, *b;
    float scalar;
    float *y;
} map_context;

static void map_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    map_context *c = argument;
    size_t n = end - begin;
    if (c->binary == 0) c->table->unary(c->op, c->a + begin, c->y + begin, n, c->nontemporal);
    else if (c->binary == 1) c->table->binary(c->op, c->a + begin, c->b + begin, c->y + begin, n, c->nontemporal);
    else c->table->binary_scalar(c->op, c->a + begin, c->scalar, c->y + begin, n, c->nontemporal);
}

static void map(map_context *c, size_t n) {
    c->table = table();
    c->nontemporal = n * sizeof(float) >= nontemporal_bytes;
    int heavy = c->binary == 0 && c->op <= MYBRO_UNARY_TANH;  // the transcendental functions
    parallel(n, parts_for_cost(n, heavy), map_range, c);
}

void mybro_k_unary(int op, const float *x, float *y, size_t n) {
    map_context c = {.op = op, .binary = 0, .a = x, .y = y};
    map(&c, n);
}
void mybro_k_binary(int op, const float *a, const float *b, float *y, size_t n) {
    map_context c = {.op = op, .binary = 1, .a = a, .b = b, .y = y};
    map(&c, n);
}
void mybro_k_binary_scalar(int op, const float *a, float b, float *y, size_t n) {
    map_context c = {.op = op, .binary = 2, .a = a, .scalar = b, .y = y};
    map(&c, n);
}

typedef struct {
    const mybro_k_table *table;
    float *a;
    const float *b, *c;
    float s;
    int nontemporal;
} triad_context;

static void triad_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    triad_context *t = argument;
    t->table->triad(t->a + begin, t->b + begin, t->c + begin, t->s, end - begin, t->nontemporal);
}

void mybro_k_triad(float *a, const float *b, const float *c, float s, size_t n) {
    triad_context t = {table(), a, b, c, s, n * sizeof(float) >= nontemporal_bytes};
    parallel(n, parts_for(n), triad_range, &t);
}

// MARK: - Histogram

/// Bin of x as numpy computes it: (x − low)·bins/(high − low) truncated, then moved by one where
/// rounding put x on the wrong side of an edge (edges low + i·(high − low)/bins, in double).
static inline size_t bin_of(double x, double low, double high, double width, double scale, size_t bins) {
    size_t index = (size_t)((x - low) * scale);
    if (index >= bins) index = bins - 1;
    if (index > 0 && x < low + (double)index * width) index--;
    else if (index + 1 < bins && x >= low + (double)(index + 1) * width) index++;
    (void)high;
    return index;
}

typedef struct {
    const float *x;
    double low, high;
    size_t bins;
    uint64_t *counts[MAX_PARTS];
} histogram_context;

static void histogram_range(void *argument, size_t begin, size_t end, int part) {
    histogram_context *c = argument;
    uint64_t *counts = c->counts[part];
    const double low = c->low, high = c->high, width = (high - low) / (double)c->bins;
    const double scale = (double)c->bins / (high - low);
    for (size_t i = begin; i < end; i++) {
        float v = c->x[i];
        double d = v;
        if (!(d >= low && d <= high)) continue;
        counts[bin_of(d, low, high, width, scale, c->bins)]++;
    }
}

void mybro_k_histogram(const float *x, size_t n, double low, double high, size_t bins, uint64_t *counts) {
    if (bins == 0 || !(high > low) || !isfinite(low) || !isfinite(high)) return;
    histogram_context c = {.x = x, .low = low, .high = high, .bins = bins};
    int parts = parts_for_cost(n, 1);
    c.counts[0] = counts;
    for (int p = 1; p < parts; p++) {
        c.counts[p] = calloc(bins, sizeof(uint64_t));
        if (!c.counts[p]) {
            for (int q = 1; q < p; q++) free(c.counts[q]);
            parts = 1;
            break;
        }
    }
    int used = parallel(n, parts, histogram_range, &c);
    for (int p = 1; p < parts; p++) {
        if (p >= used) {
            free(c.counts[p]);
            continue;
        }
        for (size_t b = 0; b < bins; b++) counts[b] += c.counts[p][b];
        free(c.counts[p]);
    }
}

// MARK: - Chained blocks

/// Scan and compaction go through their input in blocks that each need a running figure from
/// all the blocks before (the carry, the output place). Threads take the blocks in order from a
/// shared counter; each first reads its block into cache for its own figure (a total, a count),
/// waits for the block before to publish its running figure, publishes its own (one add), and
/// then reads its block again from cache to write it. So the input is read from memory once,
/// where a first pass over all of it followed by a second would read it twice. The wait is
/// short: the block before was taken earlier and needs only its own read to publish. It never
/// deadlocks: a block is published by a thread that is running it, whichever part that thread
/// runs; a part that runs after another (the pool's caller may take a part back) finds the
/// blocks taken.
typedef struct {
    size_t blocks;
    size_t next;           // the next block to take (atomic)
    unsigned char *ready;  // per block: set once its running figure is published
} block_chain;

/// The next block for this thread, or `blocks` when none is left.
static size_t chain_take(block_chain *chain) { return __atomic_fetch_add(&chain->next, 1, __ATOMIC_RELAXED); }

/// Waits for block `b`'s figure (b ≥ 0). Spins first, then yields: the thread that holds block
/// b may share this CPU.
static void chain_wait(const block_chain *chain, size_t b) {
    for (unsigned turn = 0; !__atomic_load_n(&chain->ready[b], __ATOMIC_ACQUIRE); turn++) {
        if (turn < 2048) pool_pause();
        else sched_yield();
    }
}

static void chain_publish(block_chain *chain, size_t b) { __atomic_store_n(&chain->ready[b], 1, __ATOMIC_RELEASE); }

// MARK: - Scan

/// Running sum in double, in blocks of SCAN_BLOCK values. Each block starts from the carry
/// plus the totals of the blocks before it, each total summed on its own (`sum_wide`) and added
/// in order, so the result does not depend on the thread count. Threads take the blocks as a
/// chain (above); one thread sums each block just before scanning it.
enum { SCAN_BLOCK = 1 << 14 };

typedef struct {
    const mybro_k_table *table;
    const float *x;
    float *y;
    size_t n;
    int exclusive;
    double carry;  // before the first block
    int nontemporal;
    double *ends;  // per block: the carry after it
    block_chain chain;
} scan_context;

static void scan_chained(void *argument, size_t begin, size_t end, int part) {
    (void)begin, (void)end, (void)part;
    scan_context *c = argument;
    for (size_t b; (b = chain_take(&c->chain)) < c->chain.blocks;) {
        size_t start = b * SCAN_BLOCK, length = c->n - start < SCAN_BLOCK ? c->n - start : SCAN_BLOCK;
        double total = c->table->sum_wide(c->x + start, length), before = c->carry;
        if (b > 0) {
            chain_wait(&c->chain, b - 1);
            before = c->ends[b - 1];
        }
        c->ends[b] = before + total;
        chain_publish(&c->chain, b);
        c->table->scan_piece(c->x + start, c->y + start, length, c->exclusive, before, c->nontemporal);
    }
}

double mybro_k_scan(const float *x, float *y, size_t n, int exclusive, double carry) {
    const mybro_k_table *t = table();
    size_t blocks = (n + SCAN_BLOCK - 1) / SCAN_BLOCK;
    int parts = parts_for(n), nontemporal = n * sizeof(float) >= nontemporal_bytes;
    double *ends = parts > 1 && blocks > 1 ? malloc(blocks * sizeof *ends) : NULL;
    unsigned char *ready = ends ? calloc(blocks, 1) : NULL;
    if (!ready) {
        free(ends);
        for (size_t start = 0; start < n; start += SCAN_BLOCK) {
            size_t length = n - start < SCAN_BLOCK ? n - start : SCAN_BLOCK;
            double total = blocks > 1 ? t->sum_wide(x + start, length) : 0;
            double end = t->scan_piece(x + start, y + start, length, exclusive, carry, nontemporal);
            carry = blocks > 1 ? carry + total : end;
        }
        return carry;
    }
    scan_context c = {t, x, y, n, exclusive, carry, nontemporal, ends, {blocks, 0, ready}};
    parallel_in(n, parts, SCAN_BLOCK, scan_chained, &c);
    carry = ends[blocks - 1];
    free(ends);
    free(ready);
    return carry;
}

// MARK: - Compaction

/// Writes the selected values of x[0, length) to y from slot 0, 8 at a time: the kept lanes are
/// moved to the front by a permutation looked up from the comparison's 8-bit mask, all 8 lanes
/// are stored, and the next store starts after the kept ones (overwriting the others). Stops
/// before a store could reach slot `room`, so nothing is written at or past it. Returns the
/// values kept; `consumed`: how many of x it went through.
#if defined(__x86_64__)
static uint8_t compact_lanes[256][8];
static pthread_once_t compact_lanes_once = PTHREAD_ONCE_INIT;

static void compact_lanes_fill(void) {
    for (int bits = 0; bits < 256; bits++) {
        int kept = 0;
        for (int lane = 0; lane < 8; lane++)
            if (bits >> lane & 1) compact_lanes[bits][kept++] = (uint8_t)lane;
    }
}

__attribute__((target("avx2,fma"))) static size_t compact_avx2(const float *x, const float *mask, float threshold,
                                                              float *y, size_t length, size_t room,
                                                              size_t *consumed) {
    pthread_once(&compact_lanes_once, compact_lanes_fill);
    const __m256 above = _mm256_set1_ps(threshold), zero = _mm256_setzero_ps();
    size_t i = 0, kept = 0;
    for (; i + 8 <= length && kept + 8 <= room; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        // the scalar tests exactly: mask != 0 (true for NaN), v > threshold (false for NaN)
        __m256 keep = mask ? _mm256_cmp_ps(_mm256_loadu_ps(mask + i), zero, _CMP_NEQ_UQ)
                           : _mm256_cmp_ps(v, above, _CMP_GT_OQ);
        int bits = _mm256_movemask_ps(keep);
        __m256i lanes = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)compact_lanes[bits]));
        _mm256_storeu_ps(y + kept, _mm256_permutevar8x32_ps(v, lanes));
        kept += (size_t)__builtin_popcount((unsigned)bits);
    }
    *consumed = i;
    return kept;
}
#endif

/// The values of x[0, length) that are kept, written to y from slot 0: 8 at a time where the
/// CPU allows, then one at a time, every value written at the next free slot, which moves on
/// only when the value is kept (branch-free). Writes stay below `room`: past it, a value goes to
/// a spare slot instead. In place (y is x) the writes never pass the values still to be read.
static size_t compact_piece(const float *x, const float *mask, float threshold, float *y, size_t length,
                            size_t room) {
    size_t i = 0, kept = 0;
    float spare;
#if defined(__x86_64__)
    if (mybro_k_path() >= MYBRO_PATH_AVX2) kept = compact_avx2(x, mask, threshold, y, length, room, &i);
#endif
    if (mask) {
        for (; i < length; i++) {
            *(kept < room ? y + kept : &spare) = x[i];
            kept += mask[i] != 0.0f;
        }
    } else {
        for (; i < length; i++) {
            float v = x[i];
            *(kept < room ? y + kept : &spare) = v;
            kept += v > threshold;
        }
    }
    return kept;
}

/// Threads take the blocks as a chain (above): each counts its block's kept values, takes its
/// output place from the block before, publishes the place after it, and writes. A block's
/// writes stay inside its own stretch of y (the next block's first slot may be another
/// thread's): past its last kept value a value goes to a spare slot instead.
enum { COMPACT_BLOCK = 1 << 14 };

typedef struct {
    const mybro_k_table *table;
    const float *x, *mask;
    float threshold;
    float *y;
    size_t n;
    size_t *ends;  // per block: where the output after it starts
    block_chain chain;
} compact_context;

static void compact_chained(void *argument, size_t begin, size_t end, int part) {
    (void)begin, (void)end, (void)part;
    compact_context *c = argument;
    for (size_t block; (block = chain_take(&c->chain)) < c->chain.blocks;) {
        size_t start = block * COMPACT_BLOCK;
        size_t length = c->n - start < COMPACT_BLOCK ? c->n - start : COMPACT_BLOCK, limit = 0;
        if (c->mask) {
            const float *mask = c->mask + start;
            for (size_t i = 0; i < length; i++) limit += mask[i] != 0.0f;
        } else {
            limit = c->table->threshold_count(c->x + start, length, c->threshold);
        }
        size_t place = 0;
        if (block > 0) {
            chain_wait(&c->chain, block - 1);
            place = c->ends[block - 1];
        }
        c->ends[block] = place + limit;
        chain_publish(&c->chain, block);
        compact_piece(c->x + start, c->mask ? c->mask + start : NULL, c->threshold, c->y + place, length, limit);
    }
}

/// Whether y[0, n) shares memory with x[0, n) (or the mask): compaction in place, which only the
/// serial loop may do (it writes at or before the value it reads; a thread's block would write
/// over input another thread has yet to read).
static int overlaps(const float *y, const float *x, size_t n) {
    if (!x) return 0;
    uintptr_t a = (uintptr_t)y, b = (uintptr_t)x, bytes = n * sizeof(float);
    return a < b + bytes && b < a + bytes;
}

static size_t compact(const float *x, const float *mask, float threshold, float *y, size_t n) {
    size_t blocks = (n + COMPACT_BLOCK - 1) / COMPACT_BLOCK;
    int parts = overlaps(y, x, n) || overlaps(y, mask, n) ? 1 : parts_for(n);
    size_t *ends = parts > 1 && blocks > 1 ? malloc(blocks * sizeof *ends) : NULL;
    unsigned char *ready = ends ? calloc(blocks, 1) : NULL;
    if (!ready) {
        free(ends);
        return compact_piece(x, mask, threshold, y, n, n);
    }
    compact_context c = {table(), x, mask, threshold, y, n, ends, {blocks, 0, ready}};
    parallel_in(n, parts, COMPACT_BLOCK, compact_chained, &c);
    size_t total = ends[blocks - 1];
    free(ends);
    free(ready);
    return total;
}

size_t mybro_k_compact_mask(const float *x, const float *mask, float *y, size_t n) {
    return compact(x, mask, 0, y, n);
}

size_t mybro_k_compact_above(const float *x, float threshold, float *y, size_t n) {
    return compact(x, NULL, threshold, y, n);
}

// MARK: - Transpose

enum { TILE = 64 };

/// How transpose stores its blocks: plainly, or streamed past the cache in 32- or 16-byte stores
/// (as y and the row length allow every store to be aligned).
enum { STORE_PLAIN = 0, STREAM_32 = 1, STREAM_16 = 2 };

/// Scalar tiles over rows [r0, r1): the portable path.
static void transpose_tiles(const float *x, float *y, size_t rows, size_t cols, size_t r0, size_t r1) {
    for (size_t rt = r0; rt < r1; rt += TILE) {
        size_t rEnd = rt + TILE < r1 ? rt + TILE : r1;
        for (size_t ct = 0; ct < cols; ct += TILE) {
            size_t c1 = ct + TILE < cols ? ct + TILE : cols;
            for (size_t r = rt; r < rEnd; r++)
                for (size_t c = ct; c < c1; c++) y[c * rows + r] = x[r * cols + c];
        }
    }
}

/// Few columns (interleaved channels → planar) or few rows (planar → interleaved): with the
/// channel count a constant, the compiler turns the strided side into shuffles. Each handles
/// frames [begin, end) of `frames`, so that threads can take a stretch each.
#define SKINNY(C, ATTR)                                                                            \
    ATTR static void deinterleave_##C(const float *x, float *y, size_t frames, size_t begin, size_t end) { \
        for (size_t i = begin; i < end; i++)                                                       \
            for (size_t c = 0; c < C; c++) y[c * frames + i] = x[i * C + c];                       \
    }                                                                                              \
    ATTR static void interleave_##C(const float *x, float *y, size_t frames, size_t begin, size_t end) {   \
        for (size_t i = begin; i < end; i++)                                                       \
            for (size_t c = 0; c < C; c++) y[i * C + c] = x[c * frames + i];                       \
    }

#if defined(__x86_64__)
#define SKINNY_TARGET __attribute__((target("avx2,fma")))
#else
#define SKINNY_TARGET
#endif
SKINNY(2, SKINNY_TARGET)
SKINNY(3, SKINNY_TARGET)
SKINNY(4, SKINNY_TARGET)
SKINNY(8, SKINNY_TARGET)

typedef void (*skinny_fn)(const float *x, float *y, size_t frames, size_t begin, size_t end);

typedef struct {
    skinny_fn fn;
    const float *x;
    float *y;
    size_t frames;
} skinny_context;

static void skinny_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    skinny_context *c = argument;
    c->fn(c->x, c->y, c->frames, begin, end);
}

/// The channel count's own loop, over the threads by stretches of frames; 0 when there is none.
static int skinny(const float *x, float *y, size_t rows, size_t cols) {
    int avx = mybro_k_path() >= MYBRO_PATH_AVX2;
#if !defined(__x86_64__)
    avx = 1;
#endif
    if (!avx) return 0;
    skinny_fn fn = NULL;
    size_t frames = 0;
    switch (cols) {
    case 2: fn = deinterleave_2; break;
    case 3: fn = deinterleave_3; break;
    case 4: fn = deinterleave_4; break;
    case 8: fn = deinterleave_8; break;
    }
    if (fn) {
        frames = rows;
    } else {
        switch (rows) {
        case 2: fn = interleave_2; break;
        case 3: fn = interleave_3; break;
        case 4: fn = interleave_4; break;
        case 8: fn = interleave_8; break;
        }
        frames = cols;
    }
    if (!fn) return 0;
    skinny_context c = {fn, x, y, frames};
    parallel(frames, parts_for(rows * cols), skinny_range, &c);
    return 1;
}

#if defined(__x86_64__)
#include <immintrin.h>
/// Rows r…r+7, columns c…c+7 of x transposed in registers (unpack, shuffle, permute): out[k] is
/// column c+k's 8 values.
__attribute__((target("avx2,fma"), always_inline)) static inline void transpose_8x8(const float *x, size_t cols,
                                                                                    __m256 out[8]) {
    __m256 v[8], t[8];
    for (int k = 0; k < 8; k++) v[k] = _mm256_loadu_ps(x + (size_t)k * cols);
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(v[k], v[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps(v[k], v[k + 1]);
    }
    v[0] = _mm256_shuffle_ps(t[0], t[2], 0x44);
    v[1] = _mm256_shuffle_ps(t[0], t[2], 0xEE);
    v[2] = _mm256_shuffle_ps(t[1], t[3], 0x44);
    v[3] = _mm256_shuffle_ps(t[1], t[3], 0xEE);
    v[4] = _mm256_shuffle_ps(t[4], t[6], 0x44);
    v[5] = _mm256_shuffle_ps(t[4], t[6], 0xEE);
    v[6] = _mm256_shuffle_ps(t[5], t[7], 0x44);
    v[7] = _mm256_shuffle_ps(t[5], t[7], 0xEE);
    for (int k = 0; k < 4; k++) {
        out[k] = _mm256_permute2f128_ps(v[k], v[k + 4], 0x20);
        out[k + 4] = _mm256_permute2f128_ps(v[k], v[k + 4], 0x31);
    }
}

__attribute__((target("avx2,fma"), always_inline)) static inline void store_8(float *p, __m256 v, int nontemporal) {
    switch (nontemporal) {
    case STREAM_32: _mm256_stream_ps(p, v); break;
    case STREAM_16:  // two 16-byte halves, when y has only malloc's alignment (slower here: 26 against 35 GB/s)
        _mm_stream_ps(p, _mm256_castps256_ps128(v));
        _mm_stream_ps(p + 4, _mm256_extractf128_ps(v, 1));
        break;
    default: _mm256_storeu_ps(p, v); break;
    }
}

/// 8×8 blocks transposed in registers inside 64×64 tiles, for rows [r0, r1) (r0 a multiple of
/// 8). Rows go 16 at a time where they can, so that each column's output gets 64 bytes (a whole
/// cache line when aligned) in a row; with `nontemporal` (STREAM_32 or STREAM_16) those lines are
/// streamed to memory without being read first.
__attribute__((target("avx2,fma"))) static void transpose_avx2(const float *x, float *y, size_t rows, size_t cols,
                                                              size_t r0, size_t r1, int nontemporal) {
    size_t rows8 = r1 - (r1 - r0) % 8, cols8 = cols / 8 * 8;
    for (size_t rt = r0; rt < rows8; rt += TILE) {
        size_t rEnd = rt + TILE < rows8 ? rt + TILE : rows8;
        for (size_t ct = 0; ct < cols8; ct += TILE) {
            size_t c1 = ct + TILE < cols8 ? ct + TILE : cols8;
            size_t r = rt;
            for (; r + 16 <= rEnd; r += 16) {
                for (size_t c = ct; c < c1; c += 8) {
                    __m256 upper[8], lower[8];
                    transpose_8x8(x + r * cols + c, cols, upper);
                    transpose_8x8(x + (r + 8) * cols + c, cols, lower);
                    for (int k = 0; k < 8; k++) {
                        store_8(y + (c + (size_t)k) * rows + r, upper[k], nontemporal);
                        store_8(y + (c + (size_t)k) * rows + r + 8, lower[k], nontemporal);
                    }
                }
            }
            for (; r < rEnd; r += 8) {
                for (size_t c = ct; c < c1; c += 8) {
                    __m256 block[8];
                    transpose_8x8(x + r * cols + c, cols, block);
                    for (int k = 0; k < 8; k++) store_8(y + (c + (size_t)k) * rows + r, block[k], nontemporal);
                }
            }
        }
    }
    if (nontemporal) _mm_sfence();
    // The edges: the last (r1 − r0) % 8 rows, and the last cols % 8 columns of the others.
    for (size_t r = rows8; r < r1; r++)
        for (size_t c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c];
    for (size_t r = r0; r < rows8; r++)
        for (size_t c = cols8; c < cols; c++) y[c * rows + r] = x[r * cols + c];
}
#endif

typedef struct {
    const float *x;
    float *y;
    size_t rows, cols;
    int nontemporal;
} transpose_context;

static void transpose_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    transpose_context *c = argument;
#if defined(__x86_64__)
    if (mybro_k_path() >= MYBRO_PATH_AVX2) {
        transpose_avx2(c->x, c->y, c->rows, c->cols, begin, end, c->nontemporal);
        return;
    }
#endif
    transpose_tiles(c->x, c->y, c->rows, c->cols, begin, end);
}

/// Split by whole 64-row tiles over the threads: each part writes its own stretch of every
/// output row. One thread moved 0.65–0.87 of numpy's speed on a 16-core Xeon at 10^7–10^8.
void mybro_k_transpose(const float *x, float *y, size_t rows, size_t cols) {
    if (skinny(x, y, rows, cols)) return;
    int nontemporal = STORE_PLAIN;
    if (rows * cols * sizeof(float) >= nontemporal_bytes) {
        if (((uintptr_t)y & 31) == 0 && rows % 8 == 0) nontemporal = STREAM_32;
        else if (((uintptr_t)y & 15) == 0 && rows % 4 == 0) nontemporal = STREAM_16;
    }
    transpose_context c = {x, y, rows, cols, nontemporal};
    parallel_in(rows, parts_for(rows * cols), TILE, transpose_range, &c);
}

// MARK: - Quantization

typedef struct {
    const mybro_k_table *table;
    const float *x;
    int8_t *q;
    float *y;
    float scale;
    int direction;
} quant_context;

static void quant_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    quant_context *c = argument;
    if (c->direction == 0) c->table->quantize(c->x + begin, c->q + begin, end - begin, c->scale);
    else c->table->dequantize(c->q + begin, c->y + begin, end - begin, c->scale);
}

float mybro_k_quantize_scale(const float *x, size_t n) { return mybro_k_max_abs_finite(x, n) / 127.0f; }

void mybro_k_quantize(const float *x, int8_t *q, size_t n, float scale) {
    quant_context c = {table(), x, q, NULL, scale, 0};
    parallel(n, parts_for(n), quant_range, &c);
}

void mybro_k_dequantize(const int8_t *q, float *y, size_t n, float scale) {
    quant_context c = {table(), NULL, (int8_t *)q, y, scale, 1};
    parallel(n, parts_for(n), quant_range, &c);
}

// MARK: - Batched

typedef struct {
    const mybro_k_table *table;
    const float *a, *b;
    float *y;
    size_t k;
    float queryNorm;
    int cosine;
} batch_context;

static void batch_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    batch_context *c = argument;
    for (size_t r = begin; r < end; r++) {
        float dot, rr;
        if (c->cosine) {
            c->table->dot(c->a, c->b + r * c->k, c->k, &dot, &rr);
            c->y[r] = (float)((double)dot / sqrt((double)c->queryNorm * (double)rr));
        } else {
            c->table->dot(c->a + r * c->k, c->b + r * c->k, c->k, &dot, NULL);
            c->y[r] = dot;
        }
    }
}

/// The batched kernels split rows, not elements: parts of whole 16-row groups (each part's
/// outputs on their own cache line). With parallel's 2048, fewer than 2048·parts rows (all of
/// 10^6 floats in rows of 768) all went to the calling thread.
static void batch_parallel(batch_context *c, size_t rows) {
    parallel_in(rows, parts_for(rows * c->k), 16, batch_range, c);
}

void mybro_k_dot_pairs(const float *a, const float *b, float *y, size_t rows, size_t k) {
    batch_context c = {table(), a, b, y, k, 0, 0};
    batch_parallel(&c, rows);
}

void mybro_k_cosine(const float *q, const float *m, float *y, size_t rows, size_t k) {
    const mybro_k_table *t = table();
    float qq = (float)t->square_sum(q, k);
    batch_context c = {t, q, m, y, k, qq, 1};
    batch_parallel(&c, rows);
}

// MARK: - Many queries

/// OpenBLAS's cblas_sgemm, opened on first use: linking it would start its thread pool in every
/// command that uses these kernels (mybro-vad, mybro-capture), most of which never multiply a
/// matrix. NULL where no CBLAS is installed; the cosines then take the dot-product path.
typedef void (*sgemm_fn)(int order, int transa, int transb, int m, int n, int k, float alpha, const float *a,
                         int lda, const float *b, int ldb, float beta, float *c, int ldc);
static sgemm_fn blas_sgemm;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void open_blas(void) {
    const char *names[] = {"libopenblas.so.0", "libcblas.so.3", "libblas.so.3"};
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !blas_sgemm; i++) {
        void *library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (library) blas_sgemm = (sgemm_fn)dlsym(library, "cblas_sgemm");
    }
}

static int blas_switched_off;

int mybro_k_cosines_use_blas(int use) {
    pthread_once(&blas_once, open_blas);
    if (use >= 0) __atomic_store_n(&blas_switched_off, !use, __ATOMIC_RELAXED);
    return blas_sgemm != NULL && !__atomic_load_n(&blas_switched_off, __ATOMIC_RELAXED);
}

typedef struct {
    const mybro_k_table *table;
    const float *queries, *m;
    float *y;
    const double *queryNorms;
    size_t count, k;
    int products;  /// y already holds the dot products (sgemm): only divide
} cosines_context;

static void cosines_range(void *argument, size_t begin, size_t end, int part) {
    (void)part;
    cosines_context *c = argument;
    for (size_t r = begin; r < end; r++) {
        const float *row = c->m + r * c->k;
        float *out = c->y + r * c->count;
        double rowNorm = sqrt(c->table->square_sum(row, c->k));
        for (size_t j = 0; j < c->count; j++) {
            float dot = out[j];
            if (!c->products) c->table->dot(c->queries + j * c->k, row, c->k, &dot, NULL);
            // As the one-query kernel: NaN where a norm is 0, the division in double.
            out[j] = (float)((double)dot / (rowNorm * c->queryNorms[j]));
        }
    }
}

int mybro_k_cosines(const float *queries, size_t count, const float *m, size_t rows, size_t k, float *y) {
    if (count == 1) return mybro_k_cosine(queries, m, y, rows, k), 0;
    double *queryNorms = malloc((count ? count : 1) * sizeof *queryNorms);
    if (!queryNorms) return -1;
    const mybro_k_table *t = table();
    for (size_t j = 0; j < count; j++) queryNorms[j] = sqrt(t->square_sum(queries + j * k, k));
    int products = 0;
    // sgemm's dimensions are ints: rows go in blocks that keep m's block and y's block under 2^31.
    if (count <= INT_MAX / 2 && k <= INT_MAX / 2 && mybro_k_cosines_use_blas(-1)) {
        size_t block = (size_t)INT_MAX / (k > count ? k : count);
        for (size_t first = 0; first < rows; first += block) {
            size_t these = rows - first < block ? rows - first : block;
            blas_sgemm(101, 111, 112, (int)these, (int)count, (int)k, 1.0f, m + first * k, (int)k, queries, (int)k,
                       0.0f, y + first * count, (int)count);
        }
        products = 1;
    }
    cosines_context c = {t, queries, m, y, queryNorms, count, k, products};
    parallel_in(rows, parts_for(rows * k * (products ? 1 : count)), 16, cosines_range, &c);
    free(queryNorms);
    return 0;
}

// MARK: - Audio levels

int64_t mybro_k_i16_square_sum(const int16_t *x, size_t n) {
    // Each product fits int32 (at most 2^30) and the sum is int64: exact for any length, the
    // same integers the segmenter summed before; the compiler vectorises the loop.
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) total += (int32_t)x[i] * (int32_t)x[i];
    return total;
}
