/*
 * parallel.h: running one function over the items 0..n-1 on worker threads.
 *
 * The threads are the process's pool: started on first use (as many as
 * the largest job asked for, at most PK_PARALLEL_MAX_THREADS), then idle
 * between jobs, so a build that runs a job per batch of pages starts its
 * threads once, not per batch, and each thread keeps its allocator caches.
 * They are ended at exit.
 *
 * Items are handed out one at a time from an atomic counter, so uneven
 * items balance themselves. The function must only touch what item i
 * owns and what no thread writes meanwhile. worker numbers the thread
 * running the item: 0 for the thread that finishes the job, 1..threads-1
 * for the pool's, so per-thread state (buffers reused item to item) can
 * live in an array of threads slots.
 *
 * The pool runs one job at a time; a job started while another holds it
 * runs on the calling thread alone (in pk_parallel_finish), which is the
 * same but slower.
 */
#ifndef PK_CORE_PARALLEL_H
#define PK_CORE_PARALLEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define PK_PARALLEL_MAX_THREADS 64

typedef void (*pk_parallel_fn)(void *payload, size_t i, unsigned worker);

/* Calls fn(payload, i, worker) for every i below n, on up to threads
 * threads (1 or less: all on this one), and returns when every call has. */
void pk_parallel_for(size_t n, int threads, pk_parallel_fn fn, void *payload);

/* A job running in the background while the thread that started it does
 * something else (prepares the next batch, keeps results in order). */
typedef struct pk_parallel_job pk_parallel_job;

/* Starts fn over 0..n-1 on up to threads - 1 pool threads and returns at
 * once; the caller's own thread is the last worker, in pk_parallel_finish
 * (threads 1 or less: nothing runs before that). */
pk_parallel_job *pk_parallel_start(size_t n, int threads, pk_parallel_fn fn, void *payload);

/* The next item nobody has taken, for the caller to run itself (as
 * worker 0); false when none is left. */
bool pk_parallel_take(pk_parallel_job *job, size_t *item);

/* No item not yet taken will run (a build that stopped early). */
void pk_parallel_cancel(pk_parallel_job *job);

/* Runs the items left on this thread (worker 0), waits for those the pool
 * is running, and frees the job. */
void pk_parallel_finish(pk_parallel_job *job);

/* Ends the pool's threads (registered with atexit on first use; a later
 * job starts them again). No job may be running. */
void pk_parallel_shutdown(void);

/* One function run on a thread of its own (not the pool's) while the
 * caller goes on: with threads above 1 and a thread to be had, else at
 * once in pk_task_start. pk_task_wait returns when it has run. */
typedef struct {
	pthread_t thread;
	bool threaded;   /* the thread runs, to be joined */
} pk_task;

void pk_task_start(pk_task *task, int threads, void *(*fn)(void *), void *arg);
void pk_task_wait(pk_task *task);

#endif
