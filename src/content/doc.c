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

/* A source's defaults fill the fields its files leave out. */
static void apply_defaults(pk_doc *doc, const pk_value *defaults)
{
	size_t i;
	for (i = 0; i < pk_value_len(defaults); i++) {
		const pk_map_entry *e = &defaults->as.map.entries[i];
		if (!pk_value_map_getn(doc->meta, e->key, e->key_len))
			pk_value_map_add(doc->meta, e->key, e->key_len, e->key_pos, pk_value_clone(e->value));
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

int pk_doc_load(pk_doc *doc, const pk_bank_source *origin, const char *rel, const pk_slice *given,
		pk_fmcache *cache, pk_diags *diags)
{
	pk_source *src = origin->src;
	pk_buf text = PK_BUF_INIT, shown = PK_BUF_INIT;
	pk_slice bytes;
	pk_frontmatter fm;
	int rc = PK_OK;

	memset(doc, 0, sizeof(*doc));
	pk_buf_init(&doc->fm_entry.bytes);
	doc->origin = origin;
	doc->rel = pk_xstrdup(rel);
	pk_source_display_path(&shown, src, rel);
	doc->path = pk_buf_detach(&shown);
	if (!given && (rc = pk_source_read(src, &text, rel, diags)) < 0)
		goto done;
	bytes = given ? *given : (pk_slice){ text.ptr, text.len };
	rc = pk_fmcache_parse(cache, &doc->meta, &fm, bytes.p, bytes.len, doc->path, &doc->fm_entry,
			      diags);
	if (rc < 0)
		goto done;
	doc->body_off = (size_t)(fm.body.p - bytes.p);
	doc->body_len = fm.body.len;
	doc->body_hash = pk_hash64(fm.body.p, fm.body.len);
	doc->body_line = fm.body_line;
	if (doc->meta->type == PK_VALUE_MAP && origin->defaults &&
	    !strncmp(rel, "content/practices/", 18))
		apply_defaults(doc, origin->defaults);
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

void pk_doc_release(pk_doc *doc)
{
	free(doc->rel);
	free(doc->path);
	free(doc->slug);
	pk_value_free(doc->meta);
	free(doc->packed_meta);
	pk_buf_release(&doc->fm_entry.bytes);
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
	pk_value *kept;
	pk_buf packed = PK_BUF_INIT;
	size_t i;

	if (!doc->meta || doc->packed_meta || doc->meta->type != PK_VALUE_MAP)
		return;
	kept = pk_value_new_map(doc->meta->pos);
	for (i = 0; i < n; i++)
		move_field(kept, doc->meta, keep[i]);
	if (!pk_value_pack(&packed, doc->meta)) { /* put the kept fields back */
		for (i = 0; i < n; i++)
			move_field(doc->meta, kept, keep[i]);
		pk_value_free(kept);
		pk_buf_release(&packed);
		return;
	}
	doc->packed_len = packed.len; /* a map packs to 3 bytes at least */
	doc->packed_meta = pk_xreallocarray(pk_buf_detach(&packed), doc->packed_len, 1);
	pk_value_free(doc->meta);
	doc->meta = kept;
}

pk_value *pk_doc_unpack_meta(const pk_doc *doc)
{
	pk_value *all;
	size_t i;

	if (!doc->packed_meta)
		return doc->meta ? pk_value_clone(doc->meta) : NULL;
	if (!(all = pk_value_unpack(doc->packed_meta, doc->packed_len)))
		return NULL;
	for (i = 0; doc->meta && i < doc->meta->as.map.len; i++) {
		const pk_map_entry *e = &doc->meta->as.map.entries[i];
		pk_value_map_add(all, e->key, e->key_len, e->key_pos, pk_value_clone(e->value));
	}
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
