/*
 * parallel.h: running one function over the items 0..n-1 on worker threads.
 *
 * The calling thread works too; items are handed out one at a time from
 * an atomic counter, so uneven items balance themselves. The function must
 * only touch what item i owns and what no thread writes meanwhile.
 */
#ifndef PK_CORE_PARALLEL_H
#define PK_CORE_PARALLEL_H

#include <stddef.h>

typedef void (*pk_parallel_fn)(void *payload, size_t i);

/* Calls fn(payload, i) for every i below n, on up to threads threads
 * (1 or less: all on this one), and returns when every call has. */
void pk_parallel_for(size_t n, int threads, pk_parallel_fn fn, void *payload);

#endif
