/*
 * loader.c: loading a source's practices or mentors on worker threads.
 *
 * Workers take files one at a time and read (a git source's reads take
 * the sources' lock, see source.h), parse and check them; the calling
 * thread keeps them in file order as they are done — each file's
 * diagnostics, its dates (the history may read the source), its record
 * added to the bank — and parses files itself whenever the next one to
 * keep is not done yet. So keeping overlaps parsing, and the bank and its
 * messages are the same whatever the number of threads. (The parsed
 * front matter each file leaves for the cache is kept there too, so the
 * cache file is the same as well.)
 */
#include "content/bank.h"
#include "core/parallel.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *rel;
	pk_diags diags;
	void *record;      /* pk_practice * or pk_mentor * */
	atomic_bool done;  /* parsed: record and diags are the worker's no more */
} slot;

typedef struct {
	pk_bank *bank;
	const pk_bank_source *origin;
	pk_bank_kind kind;
	slot *slots;
	size_t len;
	pthread_mutex_t lock;   /* with ready: the keeper waits for a file */
	pthread_cond_t ready;
} batch;


/* text NULL: the file is read (or known, see pk_doc_load) by its doc. */
static void parse_slot(batch *b, slot *s, const pk_slice *text)
{
	if (b->kind == PK_BANK_PRACTICES) {
		pk_practice *p = pk_xcalloc(1, sizeof(*p));
		int rc = pk_practice_load(p, b->bank, b->origin, s->rel, text, &s->diags);
		if (b->bank->opts.flags & PK_BANK_PACK_META)
			pk_practice_pack_meta(p, rc == PK_OK && s->diags.len == 0);
		s->record = p;
	} else {
		pk_mentor *m = pk_xcalloc(1, sizeof(*m));
		pk_mentor_load(m, b->bank, b->origin, s->rel, text, &s->diags);
		s->record = m;
	}
}

static void parse_one(batch *b, size_t i)
{
	slot *s = &b->slots[i];
	pk_buf text = PK_BUF_INIT; /* freed by the thread that read it: nothing points into it */
	pk_slice bytes;

	if (b->bank->opts.fm_cache && pk_source_can_stat(b->origin->src)) {
		parse_slot(b, s, NULL); /* a file the cache knows is not read at all */
		return;
	}
	if (pk_source_read(b->origin->src, &text, s->rel, &s->diags) < 0) {
		pk_buf_release(&text);
		pk_buf_puts(&text, ""); /* parsed as empty: reports the missing front matter */
	}
	bytes = (pk_slice){ text.ptr, text.len };
	parse_slot(b, s, &bytes);
	pk_buf_release(&text);
}

/* Parses file i and says it is done. */
static void parse_and_mark(batch *b, size_t i)
{
	parse_one(b, i);
	pthread_mutex_lock(&b->lock);
	atomic_store_explicit(&b->slots[i].done, true, memory_order_release);
	pthread_cond_signal(&b->ready);
	pthread_mutex_unlock(&b->lock);
}

/* An item of the parsing job, on a pool thread. */
static void parse_item(void *payload, size_t i, unsigned worker)
{
	(void)worker;
	parse_and_mark(payload, i);
}

/* Hands a file's parsed front matter to the cache; a packed one is then
 * read back from there, so its bytes need not stay in memory. */
static void keep_front_matter(pk_bank *bank, pk_doc *doc)
{
	uint32_t ref;

	if (!doc->meta) /* the file could not be split or parsed: nothing to keep */
		return;
	ref = pk_fmcache_keep(bank->opts.fm_cache, &doc->fm_entry, doc->origin->name, doc->rel);

	if (ref && doc->packed) {
		doc->meta_ref = ref;
		doc->meta_cache = bank->opts.fm_cache;
	}
	if (ref || !doc->packed)
		pk_buf_release(&doc->fm_entry.bytes);
	else /* read back from memory, then: out of the old cache while it is open */
		pk_fmcache_fetch(bank->opts.fm_cache, &doc->fm_entry);
	if (doc->record.cacheable) /* a record has no file record: source and rel are not kept */
		pk_fmcache_keep(bank->opts.fm_cache, &doc->record, doc->origin->name, doc->rel);
	pk_buf_release(&doc->record.bytes);
}

/* Keeps one parsed file: its messages, its dates, its place in the bank. */
static int keep(pk_bank *bank, pk_bank_kind kind, slot *s, pk_diags *diags)
{
	int rc = s->diags.errors ? PK_ERROR : PK_OK;

	pk_diags_move(diags, &s->diags);
	if (kind == PK_BANK_PRACTICES) {
		pk_practice *p = s->record;
		keep_front_matter(bank, &p->doc);
		if (!p->doc.meta) {
			pk_practice_release(p);
			free(p);
			return rc;
		}
		if (pk_practice_finish(p, bank, diags) < 0)
			rc = PK_ERROR;
		pk_vec_push(&bank->all_practices, p);
		if (!p->draft || (bank->opts.flags & PK_BANK_DRAFTS))
			pk_vec_push(&bank->practices, p);
	} else {
		pk_mentor *m = s->record;
		keep_front_matter(bank, &m->doc);
		if (!m->doc.meta) {
			pk_mentor_release(m);
			free(m);
			return rc;
		}
		pk_vec_push(&bank->mentors, m);
	}
	return rc;
}

/* Keeps the files in order, parsing the next free one whenever the next
 * to keep is not done, and waiting only when none is left to parse. */
static int keep_in_order(batch *b, pk_parallel_job *job, pk_diags *diags)
{
	size_t kept = 0, i;
	int rc = PK_OK;

	while (kept < b->len) {
		if (atomic_load_explicit(&b->slots[kept].done, memory_order_acquire)) {
			if (keep(b->bank, b->kind, &b->slots[kept++], diags) < 0)
				rc = PK_ERROR;
		} else if (pk_parallel_take(job, &i)) {
			parse_and_mark(b, i);
		} else {
			pthread_mutex_lock(&b->lock);
			while (!atomic_load_explicit(&b->slots[kept].done, memory_order_acquire))
				pthread_cond_wait(&b->ready, &b->lock);
			pthread_mutex_unlock(&b->lock);
		}
	}
	return rc;
}

static int load_all_files(batch *b, pk_diags *diags)
{
	/* this thread parses too, when it can */
	pk_parallel_job *job = pk_parallel_start(b->len, b->bank->opts.threads, parse_item, b);
	int rc = keep_in_order(b, job, diags);

	pk_parallel_finish(job); /* every file is kept: only waits for the threads to leave */
	return rc;
}

int pk_bank__load_files(pk_bank *bank, const pk_bank_source *origin, const char *dir,
			pk_bank_kind kind, pk_diags *diags)
{
	pk_vec files = PK_VEC_INIT;
	batch b;
	size_t i, n = 0;
	int rc = pk_source_list(origin->src, &files, dir, diags);

	memset(&b, 0, sizeof(b));
	b.bank = bank;
	b.origin = origin;
	b.kind = kind;
	b.slots = pk_xcalloc(files.len ? files.len : 1, sizeof(*b.slots));
	for (i = 0; i < files.len; i++) {
		size_t len = strlen(files.items[i]);
		if (len > 3 && !strcmp((char *)files.items[i] + len - 3, ".md")) {
			b.slots[n].rel = files.items[i];
			atomic_init(&b.slots[n++].done, false);
		}
	}
	b.len = n;
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.ready, NULL);
	if (n && load_all_files(&b, diags) < 0)
		rc = PK_ERROR;
	pthread_cond_destroy(&b.ready);
	pthread_mutex_destroy(&b.lock);
	pk_fmcache_flush(bank->opts.fm_cache); /* the render workers read it back */
	for (i = 0; i < files.len; i++)
		free(files.items[i]);
	pk_vec_release(&files);
	free(b.slots);
	return rc;
}
