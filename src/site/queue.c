/*
 * queue.c: rendering pages on worker threads.
 *
 * The main thread prepares each page (its data and its compiled template)
 * and queues it. A full queue becomes a batch that workers render in the
 * background while the main thread prepares the next one; when that one is
 * full too, the main thread joins the workers on the batch in flight
 * before handing them the new one. So preparing and rendering overlap, and
 * at most two batches of prepared pages are held at a time.
 *
 * Templates and the site's shared values are read-only while pages are
 * prepared and rendered; the output guards its bookkeeping with a lock;
 * each page collects diagnostics of its own, merged into the build's in
 * queue order when its batch is finished. A batch is always finished at
 * the same point of the build whatever the number of threads (with one
 * thread the main thread renders it there), so the site and its messages
 * are the same byte for byte.
 *
 * With page records (output/pagerec.h), a worker fingerprints each page's
 * data once it is complete, or, when the page's work can describe what
 * its data is made of (a practice: its file by its hashes, its card, its
 * mentors...), that description before any of it is made; a page's frame
 * (menu, page.*) is fingerprinted by its few fields and made only for a
 * page that is rendered. A page with last build's fingerprint whose file
 * the output still holds is kept, not rendered. Only a page that rendered
 * without a message and without side effects is recorded, so a kept page
 * never owes the build anything but its file.
 */
#include "site/site_internal.h"
#include "core/parallel.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BATCH 128

struct pk_site_queued {
	pk_site_work work;    /* run on the worker before rendering */
	const pk_tmpl *tmpl;
	const char *tmpl_name;
	pk_value *scope;      /* owned: the page's data */
	pk_site_frame frame;  /* owned: added to scope on the worker */
	char *file;           /* output path: "practices/x/index.html" */
	pk_diags diags;       /* what rendering this page reported */
	int rc;
	bool has_fp;          /* fp is the fingerprint of its data */
	bool record;          /* rendered cleanly (or kept): record fp */
	bool kept;            /* the old file was kept, nothing rendered */
	pk_pagerec_fp fp;
};

/* What a worker reuses from page to page: one per thread of the pool. */
struct pk_site_workbufs {
	pk_buf html, extra, fp;
};
typedef struct pk_site_workbufs worker_bufs;

/* A batch of queued pages handed to the workers. */
struct pk_site_batch {
	pk_site *site;
	pk_vec pages;         /* pk_site_queued *, in queue order */
	pk_parallel_job *job; /* rendering them */
};

void pk_site__queue_push(pk_site *site, const pk_tmpl *tmpl, const char *tmpl_name,
			 pk_value *scope, const char *file, pk_site_frame *frame,
			 const pk_site_work *work)
{
	pk_site_queued *q = pk_xcalloc(1, sizeof(*q));
	q->frame = *frame;
	memset(frame, 0, sizeof(*frame));
	if (work)
		q->work = *work;
	q->tmpl = tmpl;
	q->tmpl_name = tmpl_name;
	q->scope = scope;
	q->file = pk_xstrdup(file);
	pk_vec_push(&site->queue, q);
}

static void drop_work(pk_site_queued *q)
{
	if (q->work.drop)
		q->work.drop(q->work.arg);
	memset(&q->work, 0, sizeof(q->work));
}

static void fp_text(pk_value_fp *fp, const char *s)
{
	pk_value_fp_bytes(fp, s ? "s" : "n", 1);
	if (s)
		pk_value_fp_bytes(fp, s, strlen(s));
}

/* The fingerprint of the page: its template, its file, its frame by
 * what it is made of (the rest of it, the menu and the site's
 * description, is in the page key), its data and what its data step said
 * the data does not hold. */
static bool fingerprint(pk_site *site, pk_site_queued *q, worker_bufs *w)
{
	pk_value_fp fp = { &w->fp, site->fp_shared, PK_ARRAY_SIZE(site->fp_shared), site->fp_memo,
			   0 };

	pk_buf_clear(&w->fp);
	pk_value_fp_bytes(&fp, q->tmpl_name, strlen(q->tmpl_name));
	pk_value_fp_bytes(&fp, q->file, strlen(q->file));
	fp_text(&fp, q->frame.kind);
	fp_text(&fp, q->frame.title);
	fp_text(&fp, q->frame.description);
	fp_text(&fp, q->frame.url_path);
	if (!pk_value_fingerprint(&fp, q->frame.crumbs))
		return false;
	pk_value_fp_bytes(&fp, w->extra.ptr, w->extra.len);
	if (!pk_value_fingerprint(&fp, q->scope))
		return false;
	q->fp = pk_pagerec_hash(w->fp.ptr, w->fp.len);
	return true;
}

/* True when last build rendered the page from the same data and the
 * output still has that file: then it stays. */
static bool keep_old(pk_site *site, pk_site_queued *q)
{
	const pk_pagerec_fp *old;

	if (!q->has_fp || !site->old_pages || !(old = pk_pagerec_get(site->old_pages, q->file)) ||
	    !pk_pagerec_fp_equal(*old, q->fp))
		return false;
	return pk_output_keep(site->out, q->file, &q->diags, &q->rc);
}

/* Fingerprints the page, keeps last build's file when it may, and
 * otherwise renders and writes it. A page whose work describes its data
 * (work.inputs) is fingerprinted before the data is made, and a kept one
 * never makes it. */
static void render_one(pk_site *site, pk_site_queued *q, worker_bufs *w)
{
	bool pure = true, described;

	pk_buf_clear(&w->html);
	pk_buf_clear(&w->extra);
	described = site->new_pages && q->work.inputs && q->work.inputs(site, q->work.arg);
	if (described) {
		q->has_fp = fingerprint(site, q, w);
		q->kept = keep_old(site, q);
	}
	if (!q->kept && q->rc == PK_OK && q->work.data)
		q->rc = q->work.data(site, q->work.arg, &w->extra, &q->diags);
	if (!described && q->rc == PK_OK && site->new_pages && q->diags.len == 0) {
		q->has_fp = fingerprint(site, q, w);
		q->kept = keep_old(site, q);
	}
	if (q->kept) {
		q->record = q->rc == PK_OK;
	} else {
		pk_site__frame_put(site, q->scope, &q->frame);
		if (q->rc == PK_OK && q->work.finish)
			q->rc = q->work.finish(site, q->work.arg, &pure, &q->diags);
		if (q->rc == PK_OK)
			q->rc = pk_tmpl_render(&w->html, q->tmpl, q->scope, &q->diags);
		if (q->rc == PK_OK)
			q->rc = pk_output_write(site->out, q->file, w->html.ptr, w->html.len, &q->diags);
		q->record = q->rc == PK_OK && q->has_fp && pure && q->diags.len == 0;
	}
	drop_work(q);
	pk_site__frame_release(&q->frame);
	pk_value_free(q->scope);
	q->scope = NULL;
}

/* Renders page i of the batch on the given worker thread. */
static void render_item(void *payload, size_t i, unsigned worker)
{
	pk_site_batch *b = payload;
	render_one(b->site, b->pages.items[i], &b->site->workbufs[worker]);
}

/* The threads that render: the workers and the main thread (which
 * prepares the next batch meanwhile, and joins in at its end). */
static int render_threads(const pk_site *site)
{
	return site->threads > 1 ? site->threads + 1 : 1;
}

/* Moves the queued pages into a new batch and starts the workers on it;
 * with one thread (or none to be had) the batch waits for finish_batch. */
static pk_site_batch *start_batch(pk_site *site)
{
	pk_site_batch *b = pk_xcalloc(1, sizeof(*b));

	if (!site->workbufs) {
		size_t i, n = (size_t)render_threads(site);
		site->workbufs = pk_xmalloc(n * sizeof(worker_bufs));
		for (i = 0; i < n; i++) {
			pk_buf_init(&site->workbufs[i].html);
			pk_buf_init(&site->workbufs[i].extra);
			pk_buf_init(&site->workbufs[i].fp);
		}
	}
	b->site = site;
	b->pages = site->queue;
	memset(&site->queue, 0, sizeof(site->queue));
	b->job = pk_parallel_start(b->pages.len, render_threads(site), render_item, b);
	return b;
}

/* Renders what is left of the batch on this thread too, waits for the
 * workers, merges the pages' diagnostics in order and frees the batch. */
static int finish_batch(pk_site *site, pk_site_batch *b)
{
	size_t i;
	int rc = PK_OK;

	pk_parallel_finish(b->job);
	for (i = 0; i < b->pages.len; i++) {
		pk_site_queued *q = b->pages.items[i];
		pk_diags_move(site->diags, &q->diags);
		if (q->rc < 0 && rc == PK_OK)
			rc = q->rc;
		if (q->record)
			pk_pagerec_put(site->new_pages, q->file, q->fp);
		site->stats->pages_kept += q->kept;
		site->stats->pages++;
		free(q->file);
		free(q);
	}
	pk_vec_release(&b->pages);
	free(b);
	if (site->progress)
		site->progress(site->stats->pages, site->progress_payload);
	return rc;
}

/* Finishes the batch in flight, if any. */
static int finish_inflight(pk_site *site)
{
	pk_site_batch *b = site->inflight;
	site->inflight = NULL;
	return b ? finish_batch(site, b) : PK_OK;
}

int pk_site__queue_flush(pk_site *site)
{
	int rc = finish_inflight(site);
	if (site->queue.len) {
		int rc2 = finish_batch(site, start_batch(site));
		if (rc == PK_OK)
			rc = rc2;
	}
	return rc;
}

int pk_site__queue_maybe_flush(pk_site *site)
{
	int rc;
	if (site->queue.len < BATCH)
		return PK_OK;
	rc = finish_inflight(site);
	site->inflight = start_batch(site);
	return rc;
}

static void drop_pages(pk_vec *pages)
{
	size_t i;
	for (i = 0; i < pages->len; i++) {
		pk_site_queued *q = pages->items[i];
		pk_value_free(q->scope);
		pk_site__frame_release(&q->frame);
		pk_diags_release(&q->diags);
		drop_work(q); /* never run: let it free its argument */
		free(q->file);
		free(q);
	}
	pk_vec_release(pages);
}

void pk_site__queue_release(pk_site *site)
{
	pk_site_batch *b = site->inflight;
	size_t i;

	if (b) { /* a build that stopped early: let the workers end first */
		pk_parallel_cancel(b->job);
		pk_parallel_finish(b->job);
		drop_pages(&b->pages);
		free(b);
		site->inflight = NULL;
	}
	drop_pages(&site->queue);
	if (site->workbufs) {
		for (i = 0; i < (size_t)render_threads(site); i++) {
			pk_buf_release(&site->workbufs[i].html);
			pk_buf_release(&site->workbufs[i].extra);
			pk_buf_release(&site->workbufs[i].fp);
		}
		free(site->workbufs);
		site->workbufs = NULL;
	}
}
