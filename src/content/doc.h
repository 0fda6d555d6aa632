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
	 * and the cards read, the whole of it stays packed (pk_value_pack) in
	 * fm_entry.bytes, half the tree's weight, or, once the loader wrote it
	 * to the build's front-matter cache, only there, on disk (meta_ref).
	 * pk_doc_unpack_meta gives the whole tree back to the worker that
	 * renders the page. */
	bool packed;
	uint32_t meta_ref;       /* its entry in meta_cache, or 0 */
	pk_fmcache *meta_cache;  /* borrowed */
	/* The Markdown after the front matter is not kept (a bank's bodies
	 * weigh as much as all the rest): pk_doc_body reads it again. */
	size_t body_off;  /* where it starts in the file */
	size_t body_len;
	uint64_t body_hash; /* pk_hash64 of its bytes when loaded */
	int body_line;    /* file line where the body starts */
	/* The front matter as parsed, packed, when there is a cache or it was
	 * packed: the loader hands it to pk_fmcache_keep. */
	pk_fmcache_entry fm_entry;
	/* What a practice's checks derived from its front matter, kept in
	 * the cache beside it (practice.c): made by a load that reported
	 * nothing, used instead of the whole front matter by the next build
	 * that finds the file as it was. The loader keeps it too. */
	pk_fmcache_entry record;
	bool from_record;  /* meta is the record, not the front matter */
} pk_doc;

/* Splits rel of origin's source — its bytes are text, or read from the
 * source when text is NULL — applying origin's defaults and slug prefix.
 * The front matter is looked up in cache first (may be NULL; see
 * fmcache.h). With a cache and no text, a file the cache knows by its
 * stat (pk_fmcache_known) is not read at all, and one that cannot be
 * read is split as empty, so it reports its missing front matter like
 * any other. The caller releases *out whatever the result. Safe on
 * worker threads. */
int pk_doc_load(pk_doc *out, const pk_bank_source *origin, const char *rel, const pk_slice *text,
		pk_fmcache *cache, pk_diags *diags);
/* The same, but a file its source can stat, that the last build read as
 * it is now and whose record it kept in the cache under this context
 * (pk_doc_record_key), is loaded from that record: doc->meta is the
 * record's tree and from_record is set. */
int pk_doc_load_or_record(pk_doc *out, const pk_bank_source *origin, const char *rel,
			  const pk_slice *text, pk_fmcache *cache, uint64_t context,
			  pk_diags *diags);
/* The cache key of the record derived from the front matter fm_key in
 * context (a hash of everything else the record depends on). */
void pk_doc_record_key(uint64_t key[2], const uint64_t fm_key[2], uint64_t context);
void pk_doc_release(pk_doc *doc);
/* The body, read again from the doc's source: appends the file to text and
 * points *body into it. An error at the file if it is no longer what was
 * loaded (edited during the build), so a page never mixes two versions.
 * Safe on worker threads. */
int pk_doc_body(const pk_doc *doc, pk_buf *text, pk_slice *body, pk_diags *diags);
/* Keeps only the n keys in keep in meta (they stay as they are, so
 * pointers into them stay valid) and frees the rest; the whole front
 * matter stays packed. Nothing changes if it cannot be packed. From then
 * on pk_doc_text and pk_doc_pos see only the kept fields. */
void pk_doc_pack_meta(pk_doc *doc, const char *const *keep, size_t n);
/* A new copy of the whole front matter, packed or not (defaults added);
 * a packed one the cache cannot give back is parsed again from its file.
 * NULL when there is none, or when the file no longer has it. The caller
 * frees it. Safe on worker threads. */
pk_value *pk_doc_unpack_meta(const pk_doc *doc);
/* The string field key of the front matter, or NULL. */
const char *pk_doc_text(const pk_doc *doc, const char *key);
/* The position of key's value, or 1:1 when absent. */
pk_pos pk_doc_pos(const pk_doc *doc, const char *key);
/* True when slug is lowercase ASCII letters, digits and single inner '-'. */
bool pk_doc_slug_is_valid(const char *slug);

#endif
