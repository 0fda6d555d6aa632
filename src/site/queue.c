/*
 * queue.c: rendering pages on worker threads.
 *
 * The main thread prepares each page (its data and its compiled template)
 * and queues it; when the queue holds a batch, workers render the batch
 * in parallel and hand each file to the output. Templates are read-only
 * while rendering, the output guards its bookkeeping with a lock, and
 * each worker collects diagnostics of its own, merged afterwards in queue
 * order — so the site and its messages are the same byte for byte
 * whatever the number of threads. Batches bound the memory held by
 * prepared pages.
 */
#include "site/site_internal.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 512

struct pk_site_queued {
	pk_site_prepare_fn prepare; /* run on the worker before rendering, or NULL */
	void *prepare_arg;
	const pk_tmpl *tmpl;
	pk_value *scope;      /* owned: the page's data */
	char *file;           /* output path: "practices/x/index.html" */
	pk_diags diags;       /* what rendering this page reported */
	int rc;
};

void pk_site__queue_push(pk_site *site, const pk_tmpl *tmpl, pk_value *scope, const char *file,
			 pk_site_prepare_fn prepare, void *prepare_arg)
{
	pk_site_queued *q = pk_xcalloc(1, sizeof(*q));
	q->prepare = prepare;
	q->prepare_arg = prepare_arg;
	q->tmpl = tmpl;
	q->scope = scope;
	q->file = pk_xstrdup(file);
	pk_vec_push(&site->queue, q);
}

typedef struct {
	pk_site *site;
	atomic_size_t next;
} batch;

static void render_one(pk_site *site, pk_site_queued *q, pk_buf *html)
{
	pk_buf_clear(html);
	if (q->prepare)
		q->rc = q->prepare(site, q->prepare_arg, &q->diags);
	if (q->rc == PK_OK)
		q->rc = pk_tmpl_render(html, q->tmpl, q->scope, &q->diags);
	if (q->rc == PK_OK)
		q->rc = pk_output_write(site->out, q->file, html->ptr, html->len, &q->diags);
	pk_value_free(q->scope);
	q->scope = NULL;
}

static void *worker(void *arg)
{
	batch *b = arg;
	pk_buf html = PK_BUF_INIT; /* reused for every page of this worker */
	size_t i;

	while ((i = atomic_fetch_add(&b->next, 1)) < b->site->queue.len)
		render_one(b->site, b->site->queue.items[i], &html);
	pk_buf_release(&html);
	return NULL;
}

static void run_workers(pk_site *site, batch *b)
{
	size_t n = site->threads > 1 ? (size_t)site->threads : 1, i, started = 0;
	pthread_t *threads;

	if (n > site->queue.len)
		n = site->queue.len;
	if (n <= 1) {
		worker(b);
		return;
	}
	threads = pk_xcalloc(n, sizeof(*threads));
	for (i = 0; i < n; i++)
		if (pthread_create(&threads[i], NULL, worker, b) == 0)
			started++;
	if (!started)
		worker(b); /* no threads to be had: render here */
	for (i = 0; i < n; i++)
		if (i < started)
			pthread_join(threads[i], NULL);
	free(threads);
}

int pk_site__queue_flush(pk_site *site)
{
	batch b;
	size_t i;
	int rc = PK_OK;

	if (!site->queue.len)
		return PK_OK;
	b.site = site;
	atomic_init(&b.next, 0);
	run_workers(site, &b);
	for (i = 0; i < site->queue.len; i++) {
		pk_site_queued *q = site->queue.items[i];
		pk_diags_move(site->diags, &q->diags);
		if (q->rc < 0 && rc == PK_OK)
			rc = q->rc;
		site->stats->pages++;
		free(q->file);
		free(q);
	}
	site->queue.len = 0;
	if (site->progress)
		site->progress(site->stats->pages, site->progress_payload);
	return rc;
}

int pk_site__queue_maybe_flush(pk_site *site)
{
	return site->queue.len >= BATCH ? pk_site__queue_flush(site) : PK_OK;
}

void pk_site__queue_release(pk_site *site)
{
	size_t i;
	for (i = 0; i < site->queue.len; i++) {
		pk_site_queued *q = site->queue.items[i];
		pk_value_free(q->scope);
		pk_diags_release(&q->diags);
		if (q->prepare) /* never run: let it free its argument */
			q->prepare(NULL, q->prepare_arg, NULL);
		free(q->file);
		free(q);
	}
	pk_vec_release(&site->queue);
}
