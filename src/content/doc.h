/*
 * doc.h: one content file: its paths, its front matter and its Markdown
 * body, as read from a source. Practices, mentors and free pages are docs
 * with typed fields on top.
 */
#ifndef PK_CONTENT_DOC_H
#define PK_CONTENT_DOC_H

#include "content/fmcache.h"
#include "core/diag.h"
#include "source/source.h"
#include "value/value.h"

typedef struct pk_bank_source pk_bank_source;

typedef struct {
	const pk_bank_source *origin; /* the source the file was read from */
	char *rel;        /* path in its source: "content/practices/x.md" */
	char *path;       /* path as shown in diagnostics */
	char *slug;       /* from 'slug' or the file name */
	pk_pos slug_pos;  /* where 'slug' was written, or 1:1 */
	pk_value *meta;   /* front matter map (owned) */
	/* A build packs each practice's front matter as soon as it is
	 * checked (pk_doc_pack_meta): meta keeps the few fields that linking
	 * and the cards read, the rest is the bytes pk_value_pack wrote, half
	 * the tree's weight; pk_doc_unpack_meta gives the whole tree back to
	 * the worker that renders the page. */
	char *packed_meta;
	size_t packed_len;
	/* The Markdown after the front matter is not kept (a bank's bodies
	 * weigh as much as all the rest): pk_doc_body reads it again. */
	size_t body_off;  /* where it starts in the file */
	size_t body_len;
	uint64_t body_hash; /* pk_hash64 of its bytes when loaded */
	int body_line;    /* file line where the body starts */
	/* What the front-matter cache keeps of this file: the loader hands
	 * it to pk_fmcache_keep and it is empty afterwards. */
	pk_fmcache_entry fm_entry;
} pk_doc;

/* Splits rel of origin's source — its bytes are text, or read from the
 * source when text is NULL — applying origin's defaults and slug prefix.
 * The front matter is looked up in cache first (may be NULL; see
 * fmcache.h). The caller releases *out whatever the result. Safe on
 * worker threads. */
int pk_doc_load(pk_doc *out, const pk_bank_source *origin, const char *rel, const pk_slice *text,
		pk_fmcache *cache, pk_diags *diags);
void pk_doc_release(pk_doc *doc);
/* The body, read again from the doc's source: appends the file to text and
 * points *body into it. An error at the file if it is no longer what was
 * loaded (edited during the build), so a page never mixes two versions.
 * Safe on worker threads. */
int pk_doc_body(const pk_doc *doc, pk_buf *text, pk_slice *body, pk_diags *diags);
/* Packs the fields of meta other than the n keys in keep (they stay in
 * meta as they are, so pointers into them stay valid) and frees their
 * trees; nothing changes if they cannot be packed. From then on
 * pk_doc_text and pk_doc_pos see only the kept fields. */
void pk_doc_pack_meta(pk_doc *doc, const char *const *keep, size_t n);
/* A new copy of the whole front matter, packed or not; NULL when there is
 * none. The caller frees it. Safe on worker threads. */
pk_value *pk_doc_unpack_meta(const pk_doc *doc);
/* The string field key of the front matter, or NULL. */
const char *pk_doc_text(const pk_doc *doc, const char *key);
/* The position of key's value, or 1:1 when absent. */
pk_pos pk_doc_pos(const pk_doc *doc, const char *key);
/* True when slug is lowercase ASCII letters, digits and single inner '-'. */
bool pk_doc_slug_is_valid(const char *slug);

#endif
