#include "content/doc.h"
#include "content/bank.h"
#include "core/hash.h"
#include "core/xalloc.h"
#include "text/text.h"
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>

bool pk_doc_slug_is_valid(const char *s)
{
	size_t i, n = strlen(s);
	if (!n || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && s[i + 1] == '-')
			return false;
	}
	return true;
}

/* The slug from 'slug', else from the file name without ".md". */
static int set_slug(pk_doc *doc, pk_diags *diags)
{
	const pk_value *v = pk_value_map_get(doc->meta, "slug");
	const char *base = strrchr(doc->rel, '/');
	pk_buf slug = PK_BUF_INIT;

	base = base ? base + 1 : doc->rel;
	doc->slug_pos = (pk_pos){ 1, 1 };
	if (v && v->type == PK_VALUE_STRING) {
		doc->slug_pos = v->pos;
		doc->slug = pk_xstrdup(v->as.str.ptr);
		if (!pk_doc_slug_is_valid(doc->slug))
			return pk_diag_error(diags, doc->path, v->pos,
					     "slug '%s' must use only lowercase latin letters, digits and '-'",
					     doc->slug);
		return PK_OK;
	}
	pk_text_slugify(&slug, base, strlen(base) - 3);
	doc->slug = pk_buf_detach(&slug);
	return PK_OK;
}

/* A source's defaults fill the fields its practices leave out. */
static void apply_defaults(const pk_doc *doc, pk_value *meta)
{
	const pk_value *defaults = doc->origin->defaults;
	size_t i;

	if (meta->type != PK_VALUE_MAP || !defaults || strncmp(doc->rel, "content/practices/", 18))
		return;
	for (i = 0; i < pk_value_len(defaults); i++) {
		const pk_map_entry *e = &defaults->as.map.entries[i];
		if (!pk_value_map_getn(meta, e->key, e->key_len))
			pk_value_map_add(meta, e->key, e->key_len, e->key_pos, pk_value_clone(e->value));
	}
}

/* A source's prefix keeps its slugs apart from other sources'. */
static void apply_prefix(pk_doc *doc, const char *prefix)
{
	pk_buf slug = PK_BUF_INIT;
	if (!prefix || !*prefix)
		return;
	pk_buf_printf(&slug, "%s%s", prefix, doc->slug);
	free(doc->slug);
	doc->slug = pk_buf_detach(&slug);
}

void pk_doc_record_key(uint64_t key[2], const uint64_t fm_key[2], uint64_t context)
{
	uint64_t words[3] = { fm_key[0], fm_key[1], context };
	key[0] = pk_hash64_seeded(words, sizeof(words), 0x7265636F72642031ull);
	key[1] = pk_hash64_seeded(words, sizeof(words), 0x7265636F72642032ull);
}

/* The record the last build derived from this front matter in context,
 * as doc->meta; false if there is none. */
static bool load_record(pk_doc *doc, pk_fmcache *cache, uint64_t context)
{
	uint64_t key[2];
	pk_value *tree;

	pk_doc_record_key(key, doc->fm_entry.key, context);
	if (!pk_fmcache_find(cache, key, &doc->record))
		return false;
	tree = pk_value_unpack(doc->record.bytes.ptr, doc->record.bytes.len);
	if (!tree || tree->type != PK_VALUE_MAP) {
		pk_value_free(tree);
		pk_buf_clear(&doc->record.bytes);
		doc->record.found = 0;
		return false;
	}
	doc->meta = tree;
	doc->from_record = true;
	doc->packed = true; /* the whole front matter stays in the cache */
	return true;
}

/* A file the last build read as it is now: its parts as that build
 * found them (see pk_fmcache_known), without reading it; with a context,
 * its record when there is one, else its whole front matter. */
static bool load_known(pk_doc *doc, pk_fmcache *cache, const pk_fmcache_sig *sig,
		       const uint64_t *context)
{
	const pk_fmcache_file *f = &doc->fm_entry.file;

	if (!pk_fmcache_known_bytes(cache, doc->origin->name, doc->rel, sig, &doc->fm_entry))
		return false;
	if (!(context && load_record(doc, cache, *context)) &&
	    !(doc->meta = pk_fmcache_known_tree(cache, &doc->fm_entry)))
		return false;
	doc->body_off = (size_t)f->body_off;
	doc->body_len = (size_t)f->body_len;
	doc->body_hash = f->body_hash;
	doc->body_line = (int)f->body_line;
	return true;
}

/* What the next build may trust of a file read without a message. */
static void remember_file(pk_doc *doc, const pk_fmcache_sig *sig)
{
	pk_fmcache_file *f = &doc->fm_entry.file;

	doc->fm_entry.has_file = true;
	f->sig = *sig;
	f->body_off = doc->body_off;
	f->body_len = doc->body_len;
	f->body_hash = doc->body_hash;
	f->body_line = doc->body_line;
}

static int load(pk_doc *doc, const pk_bank_source *origin, const char *rel, const pk_slice *given,
		pk_fmcache *cache, const uint64_t *context, pk_diags *diags)
{
	pk_source *src = origin->src;
	pk_buf text = PK_BUF_INIT, shown = PK_BUF_INIT;
	pk_slice bytes;
	pk_frontmatter fm;
	pk_fmcache_sig sig;
	struct stat st;
	bool has_sig, read = false;
	size_t before;
	int rc = PK_OK;

	memset(doc, 0, sizeof(*doc));
	pk_buf_init(&doc->fm_entry.bytes);
	pk_buf_init(&doc->record.bytes);
	doc->origin = origin;
	doc->rel = pk_xstrdup(rel);
	pk_source_display_path(&shown, src, rel);
	doc->path = pk_buf_detach(&shown);
	/* A file last build has no record of is read at once, its stat taken
	 * as it is opened; one it knows is first looked at, and maybe not
	 * read at all. */
	if (cache && !given && !pk_fmcache_has_file(cache, origin->name, rel) &&
	    (rc = pk_source_read_stat(src, &text, rel, &st, diags)) != PK_ENOTSUP) {
		read = true;
		has_sig = rc == PK_OK;
	} else {
		has_sig = cache && !given && pk_source_stat(src, rel, &st) == PK_OK;
	}
	if (has_sig)
		pk_fmcache_sig_of(&sig, &st);
	if (has_sig && !read && load_known(doc, cache, &sig, context))
		goto loaded;
	if (!given && !read)
		rc = pk_source_read(src, &text, rel, diags);
	if (!given && rc < 0) {
		if (!cache)
			goto done;
		pk_buf_release(&text);
		pk_buf_puts(&text, ""); /* parsed as empty: reports the missing front matter */
	}
	bytes = given ? *given : (pk_slice){ text.ptr, text.len };
	before = diags ? diags->len : 0;
	rc = pk_fmcache_parse(cache, &doc->meta, &fm, bytes.p, bytes.len, doc->path, &doc->fm_entry,
			      diags);
	if (rc < 0)
		goto done;
	doc->body_off = (size_t)(fm.body.p - bytes.p);
	doc->body_len = fm.body.len;
	doc->body_hash = pk_hash64(fm.body.p, fm.body.len);
	doc->body_line = fm.body_line;
	if (has_sig && doc->fm_entry.cacheable && (!diags || diags->len == before))
		remember_file(doc, &sig);
loaded:
	if (!doc->from_record) /* a record has them already */
		apply_defaults(doc, doc->meta);
	rc = set_slug(doc, diags);
	apply_prefix(doc, origin->prefix);
done:
	pk_buf_release(&text);
	if (rc < 0 && !doc->meta) {
		pk_doc_release(doc);
		return rc;
	}
	return rc;
}

int pk_doc_load(pk_doc *doc, const pk_bank_source *origin, const char *rel, const pk_slice *given,
		pk_fmcache *cache, pk_diags *diags)
{
	return load(doc, origin, rel, given, cache, NULL, diags);
}

int pk_doc_load_or_record(pk_doc *doc, const pk_bank_source *origin, const char *rel,
			  const pk_slice *given, pk_fmcache *cache, uint64_t context,
			  pk_diags *diags)
{
	return load(doc, origin, rel, given, cache, &context, diags);
}

void pk_doc_release(pk_doc *doc)
{
	free(doc->rel);
	free(doc->path);
	free(doc->slug);
	pk_value_free(doc->meta);
	pk_buf_release(&doc->fm_entry.bytes);
	pk_buf_release(&doc->record.bytes);
	memset(doc, 0, sizeof(*doc));
}

/* Moves key with its value and position from one map to another. */
static void move_field(pk_value *to, pk_value *from, const char *key)
{
	size_t len = strlen(key);
	const pk_map_entry *e = pk_value_map_entry(from, key, len);
	pk_pos key_pos;
	if (!e)
		return;
	key_pos = e->key_pos;
	pk_value_map_add(to, key, len, key_pos, pk_value_map_take(from, key));
}

void pk_doc_pack_meta(pk_doc *doc, const char *const *keep, size_t n)
{
	pk_buf *bytes = &doc->fm_entry.bytes;
	pk_value *kept;
	size_t i;

	if (!doc->meta || doc->packed || doc->meta->type != PK_VALUE_MAP)
		return;
	/* with a cache the parse left the tree packed already (before the
	 * defaults: pk_doc_unpack_meta adds them again) */
	if (!bytes->len && !pk_value_pack(bytes, doc->meta)) {
		pk_buf_release(bytes);
		return;
	}
	pk_buf_shrink(bytes); /* kept till the page is rendered, unless the cache takes it */
	kept = pk_value_new_map(doc->meta->pos);
	for (i = 0; i < n; i++)
		move_field(kept, doc->meta, keep[i]);
	pk_value_free(doc->meta);
	doc->meta = kept;
	doc->packed = true;
}

/* The whole front matter parsed again from the file, for one the cache
 * cannot give back (the load trusted its place there without reading
 * it, fmcache.h); NULL unless the file still has the front matter that
 * was loaded. */
static pk_value *parse_again(const pk_doc *doc)
{
	pk_diags quiet = PK_DIAGS_INIT; /* the load reported all there was */
	pk_buf text = PK_BUF_INIT;
	pk_frontmatter fm;
	pk_value *all = NULL;
	uint64_t key[2];

	if (pk_source_read(doc->origin->src, &text, doc->rel, &quiet) == PK_OK &&
	    pk_frontmatter_split(&fm, text.ptr, text.len, doc->path, true, &quiet) == PK_OK) {
		pk_fmcache_key(key, &fm);
		if (key[0] == doc->fm_entry.key[0] && key[1] == doc->fm_entry.key[1] &&
		    pk_frontmatter_parse_split(&all, &fm, doc->path, &quiet) != PK_OK) {
			pk_value_free(all);
			all = NULL;
		}
	}
	pk_diags_release(&quiet);
	pk_buf_release(&text);
	return all;
}

pk_value *pk_doc_unpack_meta(const pk_doc *doc)
{
	const pk_buf *bytes = &doc->fm_entry.bytes;
	pk_value *all;

	if (!doc->packed)
		return doc->meta ? pk_value_clone(doc->meta) : NULL;
	all = doc->meta_ref ? pk_fmcache_unpack(doc->meta_cache, doc->meta_ref)
			    : pk_value_unpack(bytes->ptr, bytes->len);
	if (!all && doc->origin && doc->origin->src)
		all = parse_again(doc);
	if (all)
		apply_defaults(doc, all);
	return all;
}

int pk_doc_body(const pk_doc *doc, pk_buf *text, pk_slice *body, pk_diags *diags)
{
	static const pk_pos first = { 1, 1 };
	size_t start = text->len;
	int rc;

	body->p = "";
	body->len = 0;
	if (!doc->body_len)
		return PK_OK;
	if ((rc = pk_source_read(doc->origin->src, text, doc->rel, diags)) < 0)
		return rc == PK_ENOTFOUND
			       ? pk_diag_error(diags, doc->path, first,
					       "the file was removed while the site was being built")
			       : rc;
	if (text->len - start < doc->body_off + doc->body_len ||
	    pk_hash64(text->ptr + start + doc->body_off, doc->body_len) != doc->body_hash)
		return pk_diag_error(diags, doc->path, first,
				     "the file changed while the site was being built; build again");
	body->p = text->ptr + start + doc->body_off;
	body->len = doc->body_len;
	return PK_OK;
}

const char *pk_doc_text(const pk_doc *doc, const char *key)
{
	return pk_value_str(pk_value_map_get(doc->meta, key));
}

pk_pos pk_doc_pos(const pk_doc *doc, const char *key)
{
	const pk_value *v = pk_value_map_get(doc->meta, key);
	return v ? v->pos : (pk_pos){ 1, 1 };
}
