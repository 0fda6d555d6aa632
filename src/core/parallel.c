#include "core/parallel.h"

#include <pthread.h>
#include <stdatomic.h>

#define MAX_THREADS 64

typedef struct {
	pk_parallel_fn fn;
	void *payload;
	size_t n;
	atomic_size_t next;
} job;

static void *work(void *arg)
{
	job *j = arg;
	size_t i;
	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		j->fn(j->payload, i);
	return NULL;
}

void pk_parallel_for(size_t n, int threads, pk_parallel_fn fn, void *payload)
{
	pthread_t ids[MAX_THREADS];
	size_t want = threads > 1 ? (size_t)threads : 1, started = 0, i;
	job j;

	j.fn = fn;
	j.payload = payload;
	j.n = n;
	atomic_init(&j.next, 0);
	if (want > MAX_THREADS)
		want = MAX_THREADS;
	if (want > n)
		want = n;
	for (i = 1; i < want; i++) /* this thread is the first worker */
		if (pthread_create(&ids[started], NULL, work, &j) == 0)
			started++;
	work(&j);
	for (i = 0; i < started; i++)
		pthread_join(ids[i], NULL);
}
