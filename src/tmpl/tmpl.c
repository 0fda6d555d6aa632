/*
 * tmpl.c: template sets: names, the loader, and when partials are compiled.
 *
 * Partials and parents named statically ({{>name}}) are resolved when the
 * template that names them is added: each name becomes an entry of the set
 * and the loader is asked for every entry still empty, through a work list
 * (no recursion, however deep partials include partials). Rendering then
 * only reads entries. Names known only at render time (dynamic names, and
 * partials named in a lambda's result) are looked up and loaded under the
 * set's mutex.
 */
#include "tmpl/tmpl_internal.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

pk_tmpl_set *pk_tmpl_set_new(unsigned flags)
{
	pk_tmpl_set *set = pk_xcalloc(1, sizeof(*set));

	set->flags = flags;
	pk_strmap_init(&set->names);
	pk_vec_init(&set->entries);
	pk_vec_init(&set->tmpls);
	if (pthread_mutex_init(&set->lock, NULL) != 0)
		PK_BUG("pthread_mutex_init failed");
	return set;
}

void pk_tmpl_set_free(pk_tmpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->tmpls.len; i++)
		pk_tmpl__free(set->tmpls.items[i]);
	for (i = 0; i < set->entries.len; i++)
		free(set->entries.items[i]);
	pk_vec_release(&set->tmpls);
	pk_vec_release(&set->entries);
	pk_strmap_release(&set->names);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

void pk_tmpl_set_loader(pk_tmpl_set *set, pk_tmpl_loader loader, void *payload)
{
	set->loader = loader;
	set->payload = payload;
}

pk_tmpl__entry *pk_tmpl__set_entry(pk_tmpl_set *set, const char *name, size_t len)
{
	pk_tmpl__entry *e = pk_strmap_get(&set->names, name, len);

	if (e)
		return e;
	e = pk_xcalloc(1, sizeof(*e));
	pk_vec_push(&set->entries, e);
	pk_strmap_add(&set->names, name, len, e);
	e->name = set->names.entries[set->names.len - 1].key;
	return e;
}

/* Asks the loader for e's template and compiles it. PK_ENOTFOUND leaves
 * e empty without a diagnostic. */
static int load(pk_tmpl **out, pk_tmpl_set *set, pk_tmpl__entry *e, pk_diags *diags)
{
	pk_buf src = PK_BUF_INIT, path = PK_BUF_INIT;
	pk_slice none = { NULL, 0 };
	int rc;

	*out = NULL;
	e->tried = true;
	rc = set->loader(&src, &path, e->name, set->payload, diags);
	if (rc)
		goto done;
	rc = pk_tmpl__compile(out, set, e->name, src.ptr, src.len, path.len ? path.ptr : e->name,
			      none, none, diags);
	if (rc)
		goto done;
	pk_vec_push(&set->tmpls, *out);
	e->t = *out;
done:
	pk_buf_release(&src);
	pk_buf_release(&path);
	return rc;
}

int pk_tmpl__set_link(pk_tmpl_set *set, pk_tmpl *t, pk_diags *diags)
{
	pk_vec todo = PK_VEC_INIT;
	int rc = PK_OK;

	if (!set->loader)
		return PK_OK;
	pk_vec_push(&todo, t);
	while (todo.len) {
		pk_tmpl *u = todo.items[--todo.len], *loaded;
		uint32_t i;
		for (i = 0; i < u->nentries; i++) {
			pk_tmpl__entry *e = u->entries[i];
			int lrc;
			if (e->t || e->tried)
				continue;
			lrc = load(&loaded, set, e, diags);
			if (!lrc)
				pk_vec_push(&todo, loaded);
			else if (lrc != PK_ENOTFOUND && !rc)
				rc = lrc;
		}
	}
	pk_vec_release(&todo);
	return rc;
}

int pk_tmpl_set_add(pk_tmpl **out, pk_tmpl_set *set, const char *name, const char *src,
		    size_t len, const char *path, pk_diags *diags)
{
	pk_slice none = { NULL, 0 };
	pk_tmpl *t = NULL;
	int rc;

	if (out)
		*out = NULL;
	pthread_mutex_lock(&set->lock);
	rc = pk_tmpl__compile(&t, set, name, src, len, path, none, none, diags);
	if (!rc) {
		pk_vec_push(&set->tmpls, t);
		pk_tmpl__set_entry(set, name, strlen(name))->t = t;
		rc = pk_tmpl__set_link(set, t, diags);
	}
	pthread_mutex_unlock(&set->lock);
	if (!rc && out)
		*out = t;
	return rc;
}

/* Finds or loads name; caller holds the lock. */
static int find_locked(pk_tmpl **out, pk_tmpl_set *set, const char *name, size_t len,
		       pk_diags *diags)
{
	pk_tmpl__entry *e = pk_tmpl__set_entry(set, name, len);
	pk_tmpl *loaded;
	int rc = PK_OK;

	if (!e->t && !e->tried && set->loader) {
		rc = load(&loaded, set, e, diags);
		if (!rc)
			rc = pk_tmpl__set_link(set, loaded, diags);
		else if (rc == PK_ENOTFOUND)
			rc = PK_OK;
	}
	*out = e->t;
	return rc;
}

int pk_tmpl_set_get(pk_tmpl **out, pk_tmpl_set *set, const char *name, pk_diags *diags)
{
	int rc;

	pthread_mutex_lock(&set->lock);
	rc = find_locked(out, set, name, strlen(name), diags);
	pthread_mutex_unlock(&set->lock);
	if (!rc && !*out) {
		pk_diag_error(diags, NULL, (pk_pos){ 0, 0 }, "unknown template '%s'", name);
		rc = PK_ENOTFOUND;
	}
	return rc;
}

int pk_tmpl__set_find(pk_tmpl **out, pk_tmpl_set *set, const char *name, size_t len,
		      pk_diags *diags)
{
	int rc;

	pthread_mutex_lock(&set->lock);
	rc = find_locked(out, set, name, len, diags);
	pthread_mutex_unlock(&set->lock);
	return rc;
}

int pk_tmpl__compile_lambda(pk_tmpl **out, pk_tmpl_set *set, const char *src, size_t len,
			    const char *path, pk_slice otag, pk_slice ctag, pk_diags *diags)
{
	int rc;

	pthread_mutex_lock(&set->lock);
	rc = pk_tmpl__compile(out, set, "lambda", src, len, path, otag, ctag, diags);
	if (!rc)
		rc = pk_tmpl__set_link(set, *out, diags);
	pthread_mutex_unlock(&set->lock);
	if (rc) {
		pk_tmpl__free(*out);
		*out = NULL;
	}
	return rc;
}
