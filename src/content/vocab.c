#include "content/vocab.h"
#include "core/embedded.h"
#include "core/xalloc.h"
#include "text/text.h"
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The key entries are found by (see vocab.h): pk_text_fold, except that a
 * bare hyphen joining two words ("учитель-учитель") stays distinct from a
 * spaced dash («учитель — учитель»): the first is how an id is spelt, so
 * a Cyrillic look-alike of an id is reported with the id as the hint. */
static void lookup_key(pk_buf *out, const char *s, size_t len)
{
	pk_buf marked = PK_BUF_INIT;
	size_t i, start = out->len;

	for (i = 0; i < len; i++) {
		bool bare = s[i] == '-' && i > 0 && i + 1 < len && !is_space(s[i - 1]) &&
			    !is_space(s[i + 1]);
		pk_buf_putc(&marked, bare ? '\x1f' : s[i]);
	}
	pk_text_fold(out, marked.ptr, marked.len);
	for (i = start; i < out->len; i++)
		if (out->ptr[i] == '\x1f')
			out->ptr[i] = '~';
	pk_buf_release(&marked);
}

static void index_key(pk_vocab *v, const char *s, size_t len, size_t i)
{
	pk_buf key = PK_BUF_INIT;
	lookup_key(&key, s, len);
	if (key.len)
		pk_strmap_set(&v->by_key, key.ptr, key.len, (void *)(uintptr_t)(i + 1));
	pk_buf_release(&key);
}

/* Each id, title and alias exactly as spelt, to what the folded lookup
 * gives for it: a practice names its form or region by one of them as a
 * rule, and folding (ICU) for every practice on every build costs more
 * than the lookup. */
static void remember_spelling(pk_vocab *v, const char *s)
{
	pk_buf key = PK_BUF_INIT;
	void *hit;

	lookup_key(&key, s, strlen(s));
	hit = pk_strmap_get(&v->by_key, key.ptr, key.len);
	if (hit)
		pk_strmap_set(&v->by_spelling, s, strlen(s), hit);
	pk_buf_release(&key);
}

static void remember_spellings(pk_vocab *v, size_t i)
{
	const pk_vocab_entry *e = &v->items[i];
	const pk_value *aliases = pk_value_map_get(e->data, "aliases");
	size_t j;

	remember_spelling(v, e->id);
	remember_spelling(v, e->title);
	remember_spelling(v, e->short_title);
	for (j = 0; j < pk_value_len(aliases); j++) {
		const char *a = pk_value_str(pk_value_list_at(aliases, j));
		if (a)
			remember_spelling(v, a);
	}
}

static const char *entry_text(const pk_value *entry, const char *key)
{
	return pk_value_str(pk_value_map_get(entry, key));
}

static void index_entry(pk_vocab *v, size_t i)
{
	const pk_vocab_entry *e = &v->items[i];
	const pk_value *aliases = pk_value_map_get(e->data, "aliases");
	size_t j;

	index_key(v, e->id, strlen(e->id), i);
	index_key(v, e->title, strlen(e->title), i);
	if (e->short_title != e->title)
		index_key(v, e->short_title, strlen(e->short_title), i);
	for (j = 0; j < pk_value_len(aliases); j++) {
		const char *a = pk_value_str(pk_value_list_at(aliases, j));
		if (a)
			index_key(v, a, strlen(a), i);
	}
}

static int add_entry(pk_vocab *v, const pk_value *entry, const char *path, pk_diags *diags)
{
	const char *id = entry_text(entry, v->name[0] == 'r' ? "code" : "id");
	const char *title = entry_text(entry, "title");
	const pk_vocab_entry *old;
	pk_vocab_entry *e;

	if (entry->type != PK_VALUE_MAP || !id || !title)
		return pk_diag_error(diags, path, entry->pos, "each %s needs '%s' and 'title' as text",
				     v->what, v->name[0] == 'r' ? "code" : "id");
	old = pk_vocab_get(v, id);
	if (old) {
		e = &v->items[old->index];
	} else {
		PK_GROW(v->items, v->cap, v->len + 1);
		e = &v->items[v->len];
		e->index = v->len++;
	}
	e->id = id;
	e->title = title;
	e->short_title = entry_text(entry, "short_title") ? entry_text(entry, "short_title") : title;
	e->data = entry;
	return PK_OK;
}

static int load_doc(pk_vocab *v, const char *text, size_t len, const char *path,
		    pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_value *doc = NULL;
	size_t i;
	int rc;

	if ((rc = pk_yaml_parse(&doc, text, len, path, &opts, diags)) < 0)
		return rc;
	if (doc->type != PK_VALUE_LIST) {
		rc = pk_diag_error(diags, path, doc->pos, "a vocabulary must be a list of entries");
		pk_value_free(doc);
		return rc;
	}
	pk_value_list_push(v->docs, doc);
	for (i = 0; i < doc->as.list.len; i++)
		if (add_entry(v, doc->as.list.items[i], path, diags) < 0)
			rc = PK_ERROR;
	return rc;
}

static int load_override(pk_vocab *v, pk_source *src, pk_diags *diags)
{
	pk_buf rel = PK_BUF_INIT, text = PK_BUF_INIT, shown = PK_BUF_INIT;
	int rc;

	pk_buf_printf(&rel, "data/%s.yaml", v->name);
	rc = pk_source_read(src, &text, rel.ptr, diags);
	if (rc == PK_OK) {
		pk_source_display_path(&shown, src, rel.ptr);
		rc = load_doc(v, text.ptr, text.len, shown.ptr, diags);
	} else if (rc == PK_ENOTFOUND) {
		rc = PK_OK;
	}
	pk_buf_release(&rel);
	pk_buf_release(&text);
	pk_buf_release(&shown);
	return rc;
}

int pk_vocab_load(pk_vocab *v, const char *name, const char *what, pk_source *src,
		  pk_diags *diags)
{
	pk_buf file = PK_BUF_INIT;
	const pk_embedded_file *builtin;
	size_t i;
	int rc = PK_OK;

	memset(v, 0, sizeof(*v));
	v->name = name;
	v->what = what;
	v->docs = pk_value_new_list((pk_pos){ 0, 0 });
	pk_buf_printf(&file, "%s.yaml", name);
	builtin = pk_embedded_find(file.ptr);
	PK_ASSERT(builtin != NULL);
	rc = load_doc(v, builtin->data, builtin->len, file.ptr, diags);
	PK_ASSERT(rc == PK_OK); /* the built-in lists are tested */
	if (src)
		rc = load_override(v, src, diags);
	for (i = 0; i < v->len; i++)
		index_entry(v, i);
	for (i = 0; i < v->len; i++) /* once by_key is complete */
		remember_spellings(v, i);
	pk_buf_release(&file);
	return rc;
}

void pk_vocab_release(pk_vocab *v)
{
	free(v->items);
	pk_strmap_release(&v->by_key);
	pk_strmap_release(&v->by_spelling);
	pk_value_free(v->docs);
	memset(v, 0, sizeof(*v));
}

const pk_vocab_entry *pk_vocab_get(const pk_vocab *v, const char *id)
{
	size_t i;
	for (i = 0; i < v->len; i++)
		if (!strcmp(v->items[i].id, id))
			return &v->items[i];
	return NULL;
}

const pk_vocab_entry *pk_vocab_find(const pk_vocab *v, const char *s, size_t len)
{
	pk_buf key = PK_BUF_INIT;
	void *hit = pk_strmap_get(&v->by_spelling, s, len);

	if (!hit) {
		lookup_key(&key, s, len);
		hit = pk_strmap_get(&v->by_key, key.ptr, key.len);
		pk_buf_release(&key);
	}
	return hit ? &v->items[(uintptr_t)hit - 1] : NULL;
}

const char *pk_vocab_suggest(const pk_vocab *v, const char *s, size_t len)
{
	const char **names = pk_xcalloc(v->by_key.len + 1, sizeof(char *));
	const char *best;
	size_t i;

	for (i = 0; i < v->by_key.len; i++)
		names[i] = v->by_key.entries[i].key;
	best = pk_text_suggest(s, len, names, v->by_key.len);
	if (best) {
		uintptr_t hit = (uintptr_t)pk_strmap_get(&v->by_key, best, strlen(best));
		best = v->items[hit - 1].id;
	}
	free(names);
	return best;
}

const pk_vocab_entry *pk_vocab_resolve(const pk_vocab *vocab, const pk_value *v, const char *path,
				       pk_diags *diags)
{
	pk_buf text = PK_BUF_INIT;
	const pk_vocab_entry *e = NULL;
	const char *hint;

	if (!v || !(v->type == PK_VALUE_STRING || v->type == PK_VALUE_INT))
		goto done;
	if (v->type == PK_VALUE_INT) /* region: 7 → "07" */
		pk_buf_printf(&text, "%02lld", (long long)v->as.i);
	else
		pk_buf_put(&text, v->as.str.ptr, v->as.str.len);
	e = pk_vocab_find(vocab, text.ptr, text.len);
	if (!e) {
		hint = pk_vocab_suggest(vocab, text.ptr, text.len);
		if (hint && !strcmp(vocab->name, "regions")) /* a code alone says little */
			pk_diag_error(diags, path, v->pos, "unknown %s '%s' (did you mean '%s', %s?)",
				      vocab->what, text.ptr, hint, pk_vocab_get(vocab, hint)->title);
		else if (hint)
			pk_diag_error(diags, path, v->pos, "unknown %s '%s' (did you mean '%s'?)",
				      vocab->what, text.ptr, hint);
		else
			pk_diag_error(diags, path, v->pos, "unknown %s '%s'", vocab->what, text.ptr);
	}
done:
	pk_buf_release(&text);
	return e;
}

