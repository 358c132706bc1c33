// See include/CPretextParallel.h.
#define _GNU_SOURCE
#include "CPretextParallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;   // one parallel region at a time
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

static _Atomic int requested_lanes = 0;       // 0: not set yet (online processors)
static int started_workers = 0;               // guarded by region_lock
static _Atomic unsigned long generation = 0;  // bumped once per region
static _Atomic int remaining = 0;             // workers still inside the current region
static _Atomic int sleepers = 0;

// The current region, written by the caller before it bumps `generation`.
static pretext_task region_task;
static void *region_context;
static long region_count;
static int region_lanes;

static __thread int inside_region = 0;

static double now_microseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

// Each lane's share of the current region's tasks: the contiguous range [front, back),
// packed in one word so that taking from either end is one compare-and-swap. A lane
// takes its own tasks from the front; a lane with none left takes the last task of the
// lane with the most left, so a lane slowed by something else (another process, the
// host) hands its remaining work to the others instead of holding the region up.
typedef struct { _Alignas(64) _Atomic unsigned long long range; } lane_share;
static lane_share shares[PRETEXT_MAX_LANES];

static unsigned long long pack(long front, long back) { return ((unsigned long long)front << 32) | (unsigned long long)back; }
static long front_of(unsigned long long range) { return (long)(range >> 32); }
static long back_of(unsigned long long range) { return (long)(range & 0xffffffffULL); }

// Takes task `*index` from lane `lane`'s share: its front (own work) or its back (stealing).
static int take(int lane, int from_back, long *index) {
    unsigned long long range = atomic_load_explicit(&shares[lane].range, memory_order_acquire);
    for (;;) {
        long front = front_of(range), back = back_of(range);
        if (front >= back) return 0;
        unsigned long long next = from_back ? pack(front, back - 1) : pack(front + 1, back);
        if (atomic_compare_exchange_weak_explicit(&shares[lane].range, &range, next, memory_order_acq_rel, memory_order_acquire)) {
            *index = from_back ? back - 1 : front;
            return 1;
        }
    }
}

static void run_lane(int lane, int lanes, long count, pretext_task task, void *context) {
    inside_region = 1;
    long index;
    if (count <= lanes) {
        if (lane < count) task(context, lane);
    } else if (count > 0xffffffffL) {   // too many to pack in a share: fixed stride, no taking
        for (index = lane; index < count; index += lanes) task(context, index);
    } else {
        while (take(lane, 0, &index)) task(context, index);
        for (;;) {   // own share done: help the lane with the most left
            int victim = -1;
            long most = 0;
            for (int other = 0; other < lanes; other++) {
                unsigned long long range = atomic_load_explicit(&shares[other].range, memory_order_acquire);
                long left = back_of(range) - front_of(range);
                if (left > most) { most = left; victim = other; }
            }
            if (victim < 0) break;
            if (take(victim, 1, &index)) task(context, index);
        }
    }
    inside_region = 0;
}

// A worker's lane and the generation before the region it was started for (so it
// cannot miss that region however late it starts running).
typedef struct { int lane; unsigned long seen; } worker_start;
static worker_start starts[PRETEXT_MAX_LANES];

static void *worker(void *argument) {
    const worker_start *start = argument;
    int lane = start->lane;
    unsigned long seen = start->seen;
    for (;;) {
        unsigned long current;
        double spin_start = now_microseconds();
        unsigned spins = 0;
        while ((current = atomic_load_explicit(&generation, memory_order_acquire)) == seen) {
            cpu_relax();
            if ((++spins & 255) != 0) continue;
            double waited = now_microseconds() - spin_start;
            if (waited > PRETEXT_YIELD_MICROSECONDS) sched_yield();   // lets a preempted caller run
            if (waited > PRETEXT_SPIN_MICROSECONDS) {
                pthread_mutex_lock(&sleep_lock);
                atomic_fetch_add(&sleepers, 1);
                while (atomic_load(&generation) == seen) pthread_cond_wait(&wake, &sleep_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&sleep_lock);
                spin_start = now_microseconds();
            }
        }
        seen = current;
        if (lane < region_lanes) run_lane(lane, region_lanes, region_count, region_task, region_context);
        atomic_fetch_sub_explicit(&remaining, 1, memory_order_release);
    }
    return NULL;
}

static int online_processors(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > PRETEXT_MAX_LANES ? PRETEXT_MAX_LANES : (int)n);
}

int pretext_parallel_lanes(void) {
    int lanes = atomic_load(&requested_lanes);
    return lanes > 0 ? lanes : online_processors();
}

void pretext_block_range(long extent, long parts, long part, long *start, long *length) {
    long tiles = (extent + 15) / 16;
    long first = tiles * part / parts * 16, last = tiles * (part + 1) / parts * 16;
    if (last > extent) last = extent;
    if (first > extent) first = extent;
    *start = first;
    *length = last - first;
}

int pretext_parallel_lanes_configured(void) { return atomic_load(&requested_lanes) > 0; }

void pretext_parallel_set_lanes(int lanes) {
    if (lanes < 1) lanes = 1;
    if (lanes > PRETEXT_MAX_LANES) lanes = PRETEXT_MAX_LANES;
    atomic_store(&requested_lanes, lanes);
}

void pretext_parallel_for(long count, pretext_task task, void *context) {
    if (count <= 0) return;
    int lanes = pretext_parallel_lanes();
    if (lanes > count) lanes = (int)count;
    if (lanes == 1 || inside_region || pthread_mutex_trylock(&region_lock) != 0) {
        for (long index = 0; index < count; index++) task(context, index);
        return;
    }
    while (started_workers < lanes - 1) {
        pthread_t thread;
        worker_start *start = &starts[started_workers + 1];
        start->lane = started_workers + 1;
        start->seen = atomic_load(&generation);
        if (pthread_create(&thread, NULL, worker, start) != 0) break;
        pthread_detach(thread);
        started_workers++;
    }
    if (lanes > started_workers + 1) lanes = started_workers + 1;   // thread creation failed: fewer lanes
    region_task = task;
    region_context = context;
    region_count = count;
    region_lanes = lanes;
    if (count > lanes && count <= 0xffffffffL) {
        for (int lane = 0; lane < lanes; lane++) {
            atomic_store_explicit(&shares[lane].range, pack(count * lane / lanes, count * (lane + 1) / lanes), memory_order_relaxed);
        }
    }
    atomic_store(&remaining, started_workers);
    atomic_fetch_add(&generation, 1);            // publishes the region (sequentially consistent)
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    run_lane(0, lanes, count, task, context);
    // Wait for the other lanes: spin, then also yield, so that a lane preempted by
    // another process (more runnable threads than cores) gets this core back sooner.
    double wait_start = 0;
    unsigned spins = 0;
    while (atomic_load_explicit(&remaining, memory_order_acquire) > 0) {
        cpu_relax();
        if ((++spins & 255) != 0) continue;
        if (wait_start == 0) wait_start = now_microseconds();
        else if (now_microseconds() - wait_start > PRETEXT_YIELD_MICROSECONDS) sched_yield();
    }
    pthread_mutex_unlock(&region_lock);
}
