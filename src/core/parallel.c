#include "core/parallel.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct pk_parallel_job {
	pk_parallel_fn fn;
	void *payload;
	size_t n;
	atomic_size_t next; /* the next item to hand out */
	unsigned want;      /* pool threads asked for */
	unsigned joined;    /* pool threads that took the job (under pool.lock) */
	unsigned running;   /* pool threads still on it (under pool.lock) */
};

/* The process's worker threads and the job they are asked to join. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job to join, or stop */
	pthread_cond_t left; /* a thread left its job */
	pthread_t ids[PK_PARALLEL_MAX_THREADS];
	unsigned started;
	pk_parallel_job *job; /* NULL: none to join */
	bool stop, registered;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };

static void run(pk_parallel_job *j, unsigned worker)
{
	size_t i;
	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		j->fn(j->payload, i, worker);
}

static bool can_join(void)
{
	return pool.job && pool.job->joined < pool.job->want;
}

static void *pool_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		pk_parallel_job *j;
		unsigned worker;
		while (!pool.stop && !can_join())
			pthread_cond_wait(&pool.work, &pool.lock);
		if (pool.stop)
			break;
		j = pool.job;
		worker = ++j->joined;
		j->running++;
		pthread_mutex_unlock(&pool.lock);
		run(j, worker);
		pthread_mutex_lock(&pool.lock);
		if (--j->running == 0)
			pthread_cond_broadcast(&pool.left);
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

/* Starts threads until there are want; fewer if the system has none to
 * give. Caller holds pool.lock. */
static unsigned start_threads(unsigned want)
{
	if (!pool.registered && atexit(pk_parallel_shutdown) == 0)
		pool.registered = true;
	if (!pool.registered) /* could not end them at exit: start none */
		return 0;
	while (pool.started < want &&
	       pthread_create(&pool.ids[pool.started], NULL, pool_thread, NULL) == 0)
		pool.started++;
	return pool.started < want ? pool.started : want;
}

pk_parallel_job *pk_parallel_start(size_t n, int threads, pk_parallel_fn fn, void *payload)
{
	pk_parallel_job *j = pk_xcalloc(1, sizeof(*j));
	size_t want = threads > 1 ? (size_t)threads - 1 : 0;

	j->fn = fn;
	j->payload = payload;
	j->n = n;
	atomic_init(&j->next, 0);
	if (want > PK_PARALLEL_MAX_THREADS - 1)
		want = PK_PARALLEL_MAX_THREADS - 1;
	if (want >= n) /* the caller takes one item too */
		want = n ? n - 1 : 0;
	if (!want)
		return j;
	pthread_mutex_lock(&pool.lock);
	if (!pool.job && !pool.stop) {
		j->want = start_threads((unsigned)want);
		if (j->want) {
			pool.job = j;
			pthread_cond_broadcast(&pool.work);
		}
	}
	pthread_mutex_unlock(&pool.lock);
	return j;
}

bool pk_parallel_take(pk_parallel_job *job, size_t *item)
{
	size_t i = atomic_fetch_add(&job->next, 1);
	if (i >= job->n)
		return false;
	*item = i;
	return true;
}

void pk_parallel_cancel(pk_parallel_job *job)
{
	atomic_store(&job->next, job->n);
}

void pk_parallel_finish(pk_parallel_job *job)
{
	run(job, 0);
	pthread_mutex_lock(&pool.lock);
	if (pool.job == job)
		pool.job = NULL; /* nobody joins it now: every item is taken */
	while (job->running)
		pthread_cond_wait(&pool.left, &pool.lock);
	pthread_mutex_unlock(&pool.lock);
	free(job);
}

void pk_parallel_for(size_t n, int threads, pk_parallel_fn fn, void *payload)
{
	pk_parallel_finish(pk_parallel_start(n, threads, fn, payload));
}

void pk_parallel_shutdown(void)
{
	unsigned i, n;

	pthread_mutex_lock(&pool.lock);
	pool.stop = true;
	pthread_cond_broadcast(&pool.work);
	n = pool.started;
	pthread_mutex_unlock(&pool.lock);
	for (i = 0; i < n; i++)
		pthread_join(pool.ids[i], NULL);
	pthread_mutex_lock(&pool.lock);
	pool.started = 0;
	pool.stop = false;
	pthread_mutex_unlock(&pool.lock);
}

void pk_task_start(pk_task *task, int threads, void *(*fn)(void *), void *arg)
{
	task->threaded = threads > 1 && pthread_create(&task->thread, NULL, fn, arg) == 0;
	if (!task->threaded)
		fn(arg);
}

void pk_task_wait(pk_task *task)
{
	if (task->threaded)
		pthread_join(task->thread, NULL);
	task->threaded = false;
}
