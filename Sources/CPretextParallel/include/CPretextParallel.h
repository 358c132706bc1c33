// Compute lanes: a small pool of persistent threads that split one piece of work.
//
// Pretext's models are small: a training step is a chain of products and element-wise
// passes that each take microseconds. Handing each of those to threads that sleep
// between calls costs more than it saves (OpenBLAS's own threading spent ~20% of a
// SCARF step with its caller waiting in sched_yield). The lanes here spin briefly
// between pieces of work (up to PRETEXT_SPIN_MICROSECONDS, then they sleep on a
// condition variable), so a training step's dozens of parallel pieces start within
// a fraction of a microsecond. A thread that has spun for PRETEXT_YIELD_MICROSECONDS
// (a lane waiting for work, or the caller waiting for the lanes) also yields its core
// at each check, so that when other processes compete for the cores a preempted lane
// is not kept waiting by a spinning one.
//
// With no more tasks than lanes, lane l runs task l. With more, lane l owns a contiguous
// range of them (tasks l·count/lanes up to (l+1)·count/lanes) and runs it in order; a
// lane that finishes its range takes the last tasks of the lane with the most left, so a
// lane slowed by another process or by the host does not hold everyone up. Work is cut
// into PRETEXT_BLOCKS_PER_LANE blocks per lane for that (products, element-wise passes,
// the optimizer). Tasks write disjoint outputs, so a result never depends on which
// thread ran which task.
// A call made from inside a task, or while another thread holds the lanes, runs its
// tasks serially on the calling thread: the lanes are never oversubscribed and calls
// are safe from any thread.
#ifndef CPRETEXT_PARALLEL_H
#define CPRETEXT_PARALLEL_H

#ifdef __cplusplus
extern "C" {
#endif

/// One task: index in 0..<count.
typedef void (*pretext_task)(void *context, long index);

/// Runs task(context, i) for every i in 0..<count, split over the lanes (the caller is
/// lane 0), and returns when all are done.
void pretext_parallel_for(long count, pretext_task task, void *context);

/// Number of lanes (threads, the caller included) parallel work uses; at least 1,
/// at most PRETEXT_MAX_LANES. Default: the online processor count.
void pretext_parallel_set_lanes(int lanes);
int pretext_parallel_lanes(void);
/// 1 once pretext_parallel_set_lanes has been called.
int pretext_parallel_lanes_configured(void);

/// Block `part` of `parts` over 0..<extent, in whole 16-item tiles (the last block takes
/// the remainder): the blocks the products split C's rows into, so element-wise passes
/// can give each lane the rows it computed.
void pretext_block_range(long extent, long parts, long part, long *start, long *length);

#define PRETEXT_MAX_LANES 64
#define PRETEXT_SPIN_MICROSECONDS 200
#define PRETEXT_YIELD_MICROSECONDS 20
/// Blocks per lane that products and passes are cut into, so that work can move from a
/// slow lane to the others (one block each would leave nothing to take).
#define PRETEXT_BLOCKS_PER_LANE 2

#ifdef __cplusplus
}
#endif
#endif
