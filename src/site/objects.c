#include "site/objects.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *name;      /* static or owned by the caller for the scope's life */
	size_t len;
	uint32_t hash;
	const pk_value *value;
} scope_name;

/* A handful of names (site, t, page, practice, list, menu): an array
 * searched by hash beats a hash table. */
typedef struct {
	scope_name *names;
	size_t len, cap;
	pk_vec owned;          /* pk_value * freed with the scope */
	const pk_value *fallback;
} scope;

static const pk_value *scope_get(void *self, const char *name, size_t len, uint32_t hash)
{
	scope *s = self;
	size_t i;
	for (i = 0; i < s->len; i++) {
		const scope_name *n = &s->names[i];
		if (n->hash == hash && n->len == len && !memcmp(n->name, name, len))
			return n->value;
	}
	return pk_value_map_geth(s->fallback, name, len, hash);
}

static void scope_free(void *self)
{
	scope *s = self;
	size_t i;
	for (i = 0; i < s->owned.len; i++)
		pk_value_free(s->owned.items[i]);
	pk_vec_release(&s->owned);
	free(s->names);
	free(s);
}

static bool scope_fingerprint(void *self, pk_value_fp *fp)
{
	scope *s = self;
	size_t i;
	bool ok = true;
	for (i = 0; i < s->len && ok; i++) {
		pk_value_fp_bytes(fp, s->names[i].name, s->names[i].len);
		ok = pk_value_fp_borrowed(fp, s->names[i].value);
	}
	return ok && pk_value_fp_borrowed(fp, s->fallback);
}

static const pk_value_class scope_class = {
	"scope", scope_get, NULL, NULL, NULL, NULL, NULL, scope_free, scope_fingerprint,
};

pk_value *pk_site_scope_new(const pk_value *fallback)
{
	scope *s = pk_xcalloc(1, sizeof(*s));
	s->fallback = fallback;
	return pk_value_new_object(&scope_class, s);
}

void pk_site_scope_set(pk_value *v, const char *name, const pk_value *value)
{
	scope *s = v->as.obj.self;
	size_t i, len = strlen(name);
	uint32_t hash = pk_value_key_hash(name, len);

	PK_ASSERT(v->as.obj.cls == &scope_class);
	for (i = 0; i < s->len; i++)
		if (s->names[i].hash == hash && s->names[i].len == len &&
		    !memcmp(s->names[i].name, name, len)) {
			s->names[i].value = value;
			return;
		}
	PK_GROW(s->names, s->cap, s->len + 1);
	s->names[s->len++] = (scope_name){ name, len, hash, value };
}

void pk_site_scope_own(pk_value *v, const char *name, pk_value *value)
{
	scope *s = v->as.obj.self;
	pk_site_scope_set(v, name, value);
	pk_vec_push(&s->owned, value);
}

typedef struct {
	pk_value *top;
	const pk_value *under;
} overlay;

static const pk_value *overlay_get(void *self, const char *name, size_t len, uint32_t hash)
{
	overlay *o = self;
	const pk_value *v = pk_value_map_geth(o->top, name, len, hash);
	return v ? v : pk_value_map_geth(o->under, name, len, hash);
}

static void overlay_free(void *self)
{
	overlay *o = self;
	pk_value_free(o->top);
	free(o);
}

static bool overlay_fingerprint(void *self, pk_value_fp *fp)
{
	overlay *o = self;
	return pk_value_fingerprint(fp, o->top) && pk_value_fp_borrowed(fp, o->under);
}

static const pk_value_class overlay_class = {
	"overlay", overlay_get, NULL, NULL, NULL, NULL, NULL, overlay_free, overlay_fingerprint,
};

pk_value *pk_site_overlay_top(pk_value *v)
{
	PK_ASSERT(v->type == PK_VALUE_OBJECT && v->as.obj.cls == &overlay_class);
	return ((overlay *)v->as.obj.self)->top;
}

pk_value *pk_site_overlay_new(pk_value *top, const pk_value *under)
{
	overlay *o = pk_xcalloc(1, sizeof(*o));
	o->top = top;
	o->under = under;
	return pk_value_new_object(&overlay_class, o);
}

static const pk_value *ref_get(void *self, const char *name, size_t len, uint32_t hash)
{
	return pk_value_map_geth(self, name, len, hash);
}

static bool ref_fingerprint(void *self, pk_value_fp *fp)
{
	return pk_value_fp_borrowed(fp, self);
}

static const pk_value_class ref_class = {
	"ref", ref_get, NULL, NULL, NULL, NULL, NULL, NULL, ref_fingerprint,
};

pk_value *pk_site_ref_new(const pk_value *map)
{
	return pk_value_new_object(&ref_class, (void *)map);
}

typedef struct {
	const pk_value **items;
	size_t len;
} refs;

static size_t refs_len(void *self)
{
	return ((refs *)self)->len;
}

static const pk_value *refs_at(void *self, size_t i)
{
	refs *r = self;
	return i < r->len ? r->items[i] : NULL;
}

static bool refs_truthy(void *self)
{
	return ((refs *)self)->len > 0;
}

static void refs_free(void *self)
{
	refs *r = self;
	free(r->items);
	free(r);
}

static bool refs_fingerprint(void *self, pk_value_fp *fp)
{
	refs *r = self;
	size_t i;
	bool ok = true;
	pk_value_fp_bytes(fp, &r->len, sizeof(r->len));
	for (i = 0; i < r->len && ok; i++)
		ok = pk_value_fp_borrowed(fp, r->items[i]);
	return ok;
}

static const pk_value_class refs_class = {
	"refs", NULL, refs_len, refs_at, refs_truthy, NULL, NULL, refs_free, refs_fingerprint,
};

pk_value *pk_site_refs_slice(const pk_vec *items, size_t first, size_t n)
{
	refs *r = pk_xcalloc(1, sizeof(*r));
	if (n) {
		r->items = pk_xcalloc(n, sizeof(*r->items));
		memcpy(r->items, items->items + first, n * sizeof(*r->items));
	}
	r->len = n;
	return pk_value_new_object(&refs_class, r);
}

pk_value *pk_site_refs_new(const pk_vec *items)
{
	return pk_site_refs_slice(items, 0, items->len);
}
