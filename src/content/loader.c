/*
 * loader.c: loading a source's practices or mentors on worker threads.
 *
 * Workers read (one at a time: reading takes the sources' lock, see
 * source.h), parse and check the files of a batch, so one reads while the
 * other parses; then, back on the calling thread and in file order, each
 * file's diagnostics are kept, its dates applied (the history may read
 * the source) and the record added to the bank. So the bank and its
 * messages are the same whatever the number of threads. (The parsed
 * front matter each file leaves for the cache is kept there too, so the
 * cache file is the same as well.)
 */
#include "content/bank.h"
#include "core/parallel.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BATCH 256

typedef struct {
	const char *rel;
	pk_diags diags;
	void *record;      /* pk_practice * or pk_mentor * */
} slot;

typedef struct {
	pk_bank *bank;
	const pk_bank_source *origin;
	pk_bank_kind kind;
	slot *slots;
	size_t len;
} batch;

/* text NULL: the file is read (or known, see pk_doc_load) by its doc. */
static void parse_slot(batch *b, slot *s, const pk_slice *text)
{
	if (b->kind == PK_BANK_PRACTICES) {
		pk_practice *p = pk_xcalloc(1, sizeof(*p));
		pk_practice_load(p, b->bank, b->origin, s->rel, text, &s->diags);
		if (b->bank->opts.flags & PK_BANK_PACK_META)
			pk_practice_pack_meta(p);
		s->record = p;
	} else {
		pk_mentor *m = pk_xcalloc(1, sizeof(*m));
		pk_mentor_load(m, b->bank, b->origin, s->rel, text, &s->diags);
		s->record = m;
	}
}

static void parse_one(void *payload, size_t i)
{
	batch *b = payload;
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

static int load_batch(batch *b, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	pk_parallel_for(b->len, b->bank->opts.threads, parse_one, b);
	for (i = 0; i < b->len; i++) {
		if (keep(b->bank, b->kind, &b->slots[i], diags) < 0)
			rc = PK_ERROR;
	}
	return rc;
}

int pk_bank__load_files(pk_bank *bank, const pk_bank_source *origin, const char *dir,
			pk_bank_kind kind, pk_diags *diags)
{
	pk_vec files = PK_VEC_INIT;
	slot *slots = pk_xcalloc(BATCH, sizeof(*slots));
	batch b = { bank, origin, kind, slots, 0 };
	size_t i, j;
	int rc = pk_source_list(origin->src, &files, dir, diags);

	for (i = 0; i < files.len; i += BATCH) {
		size_t n = 0;
		for (j = i; j < files.len && j < i + BATCH; j++) {
			size_t len = strlen(files.items[j]);
			if (len > 3 && !strcmp((char *)files.items[j] + len - 3, ".md")) {
				memset(&slots[n], 0, sizeof(slots[n]));
				slots[n++].rel = files.items[j];
			}
		}
		b.len = n;
		if (n && load_batch(&b, diags) < 0)
			rc = PK_ERROR;
	}
	pk_fmcache_flush(bank->opts.fm_cache); /* the render workers read it back */
	for (i = 0; i < files.len; i++)
		free(files.items[i]);
	pk_vec_release(&files);
	free(slots);
	return rc;
}
