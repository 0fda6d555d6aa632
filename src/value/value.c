#include "value/value.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Maps at or below this size are searched linearly; a hash index is built
 * past it. */
#define MAP_LINEAR_MAX 8

static void map_append(pk_value *map, const char *key, size_t key_len, uint32_t hash,
		       pk_pos key_pos, pk_value *value);
static void key_free(const pk_map_entry *e);

static pk_value *new_value(pk_value_type type, pk_pos pos)
{
	pk_value *v = pk_xcalloc(1, sizeof(*v));
	v->type = type;
	v->pos = pos;
	return v;
}

pk_value *pk_value_new_null(pk_pos pos) { return new_value(PK_VALUE_NULL, pos); }
pk_value *pk_value_new_list(pk_pos pos) { return new_value(PK_VALUE_LIST, pos); }
pk_value *pk_value_new_map(pk_pos pos) { return new_value(PK_VALUE_MAP, pos); }

pk_value *pk_value_new_bool(bool b, pk_pos pos)
{
	pk_value *v = new_value(PK_VALUE_BOOL, pos);
	v->as.b = b;
	return v;
}

pk_value *pk_value_new_int(int64_t i, pk_pos pos)
{
	pk_value *v = new_value(PK_VALUE_INT, pos);
	v->as.i = i;
	return v;
}

pk_value *pk_value_new_float(double f, pk_pos pos)
{
	pk_value *v = new_value(PK_VALUE_FLOAT, pos);
	v->as.f = f;
	return v;
}

/* A string value and its bytes are one allocation: strings are most of
 * the values a bank holds, and one block instead of two saves a call to
 * malloc and to free and the rounding of the second block. */

pk_value *pk_value_new_concat(const char *a, size_t a_len, const char *b, size_t b_len,
			      pk_pos pos)
{
	size_t len = pk_size_add(a_len, b_len);
	pk_value *v = pk_xmalloc(pk_size_add(sizeof(*v), pk_size_add(len, 1)));
	memset(v, 0, sizeof(*v));
	v->type = PK_VALUE_STRING;
	v->pos = pos;
	v->as.str.ptr = (char *)(v + 1);
	if (a_len)
		memcpy(v->as.str.ptr, a, a_len);
	if (b_len)
		memcpy(v->as.str.ptr + a_len, b, b_len);
	v->as.str.ptr[len] = '\0';
	v->as.str.len = len;
	return v;
}

pk_value *pk_value_new_string(const char *s, size_t len, pk_pos pos)
{
	return pk_value_new_concat(s, len, NULL, 0, pos);
}

pk_value *pk_value_new_cstr(const char *s)
{
	pk_pos none = { 0, 0 };
	return pk_value_new_string(s, strlen(s), none);
}

pk_value *pk_value_new_date(pk_date date, pk_pos pos)
{
	pk_value *v = new_value(PK_VALUE_DATE, pos);
	v->as.date = date;
	return v;
}

pk_value *pk_value_new_object(const pk_value_class *cls, void *self)
{
	pk_pos none = { 0, 0 };
	pk_value *v = new_value(PK_VALUE_OBJECT, none);
	v->as.obj.cls = cls;
	v->as.obj.self = self;
	return v;
}

void pk_value_free(pk_value *v)
{
	size_t i;
	if (!v)
		return;
	switch (v->type) {
	case PK_VALUE_STRING: /* its bytes are in the same block */
		break;
	case PK_VALUE_LIST:
		for (i = 0; i < v->as.list.len; i++)
			pk_value_free(v->as.list.items[i]);
		free(v->as.list.items);
		break;
	case PK_VALUE_MAP:
		for (i = 0; i < v->as.map.len; i++) {
			key_free(&v->as.map.entries[i]);
			pk_value_free(v->as.map.entries[i].value);
		}
		free(v->as.map.entries);
		free(v->as.map.index);
		break;
	case PK_VALUE_OBJECT:
		if (v->as.obj.cls->free && !v->as.obj.borrowed)
			v->as.obj.cls->free(v->as.obj.self);
		break;
	default:
		break;
	}
	free(v);
}


pk_value *pk_value_clone(const pk_value *v)
{
	pk_value *c;
	size_t i;

	switch (v->type) {
	case PK_VALUE_STRING:
		return pk_value_new_string(v->as.str.ptr, v->as.str.len, v->pos);
	case PK_VALUE_LIST:
		c = pk_value_new_list(v->pos);
		for (i = 0; i < v->as.list.len; i++)
			pk_value_list_push(c, pk_value_clone(v->as.list.items[i]));
		return c;
	case PK_VALUE_MAP:
		c = pk_value_new_map(v->pos);
		if (v->as.map.len) { /* exactly the room needed: clones are not added to */
			c->as.map.entries = pk_xreallocarray(NULL, v->as.map.len, sizeof(pk_map_entry));
			c->as.map.cap = v->as.map.len;
		}
		for (i = 0; i < v->as.map.len; i++) {
			const pk_map_entry *e = &v->as.map.entries[i];
			map_append(c, e->key, e->key_len, e->hash, e->key_pos, pk_value_clone(e->value));
		}
		return c;
	case PK_VALUE_OBJECT:
		c = new_value(v->type, v->pos);
		c->as = v->as;
		c->as.obj.borrowed = true; /* the original still owns self */
		return c;
	default:
		c = new_value(v->type, v->pos);
		c->as = v->as;
		return c;
	}
}

/* items cut to exactly len elements of size bytes (NULL when empty). */
static void *shrunk(void *items, size_t len, size_t size)
{
	if (len)
		return pk_xreallocarray(items, len, size);
	free(items);
	return NULL;
}

void pk_value_shrink(pk_value *v)
{
	if (v->type == PK_VALUE_LIST && v->as.list.cap > v->as.list.len) {
		v->as.list.items = shrunk(v->as.list.items, v->as.list.len, sizeof(pk_value *));
		v->as.list.cap = v->as.list.len;
	} else if (v->type == PK_VALUE_MAP && v->as.map.cap > v->as.map.len) {
		v->as.map.entries = shrunk(v->as.map.entries, v->as.map.len, sizeof(pk_map_entry));
		v->as.map.cap = v->as.map.len;
	}
}

void pk_value_list_push(pk_value *list, pk_value *item)
{
	PK_ASSERT(list->type == PK_VALUE_LIST && list->as.list.len < PK_VALUE_MAX_ITEMS);
	PK_GROW(list->as.list.items, list->as.list.cap, list->as.list.len + 1);
	list->as.list.items[list->as.list.len++] = item;
}

size_t pk_value_len(const pk_value *v)
{
	if (!v)
		return 0;
	if (v->type == PK_VALUE_LIST)
		return v->as.list.len;
	if (v->type == PK_VALUE_MAP)
		return v->as.map.len;
	return 0;
}

pk_value *pk_value_list_at(const pk_value *list, size_t i)
{
	if (!list || list->type != PK_VALUE_LIST || i >= list->as.list.len)
		return NULL;
	return list->as.list.items[i];
}

uint32_t pk_value_key_hash(const char *key, size_t key_len)
{
	return pk_hash_bytes(key, key_len);
}

/* Interned keys ---------------------------------------------------------- */

/* The keys maps share rather than copy: key → the shared string itself.
 * Filled once before threads start, read-only afterwards. */
static pk_strmap interned;

static const char *intern_find(const char *key, size_t key_len, uint32_t hash)
{
	long i = pk_strmap_find_hashed(&interned, key, key_len, hash);
	return i < 0 ? NULL : interned.entries[i].value;
}

void pk_value_intern_keys(const char *const *keys, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) /* a key already there is left as it is */
		pk_strmap_add(&interned, keys[i], strlen(keys[i]), (void *)keys[i]);
}

static const char *key_copy(const char *key, size_t key_len, uint32_t hash)
{
	const char *k = intern_find(key, key_len, hash);
	return k ? k : pk_xstrndup(key, key_len);
}

static void key_free(const pk_map_entry *e)
{
	if (intern_find(e->key, e->key_len, e->hash) != e->key)
		free((char *)e->key);
}

/* Maps ------------------------------------------------------------------- */

static void index_insert(pk_value *map, size_t i)
{
	size_t mask = map->as.map.index_cap - 1;
	size_t slot = map->as.map.entries[i].hash & mask;
	while (map->as.map.index[slot])
		slot = (slot + 1) & mask;
	map->as.map.index[slot] = (uint32_t)(i + 1);
}

static void index_rebuild(pk_value *map)
{
	size_t i, cap = 16;
	while (cap < map->as.map.len * 2)
		cap *= 2;
	free(map->as.map.index);
	map->as.map.index = pk_xcalloc(cap, sizeof(uint32_t));
	map->as.map.index_cap = (uint32_t)cap;
	for (i = 0; i < map->as.map.len; i++)
		index_insert(map, i);
}

static bool entry_is(const pk_map_entry *e, const char *key, size_t key_len, uint32_t hash)
{
	return e->hash == hash && e->key_len == key_len && memcmp(e->key, key, key_len) == 0;
}

static long map_find(const pk_value *map, const char *key, size_t key_len, uint32_t hash)
{
	size_t i;
	if (!map->as.map.index) {
		for (i = 0; i < map->as.map.len; i++)
			if (entry_is(&map->as.map.entries[i], key, key_len, hash))
				return (long)i;
		return -1;
	}
	i = hash & (map->as.map.index_cap - 1);
	while (map->as.map.index[i]) {
		const pk_map_entry *e = &map->as.map.entries[map->as.map.index[i] - 1];
		if (entry_is(e, key, key_len, hash))
			return (long)(map->as.map.index[i] - 1);
		i = (i + 1) & (map->as.map.index_cap - 1);
	}
	return -1;
}

static void map_append(pk_value *map, const char *key, size_t key_len, uint32_t hash,
		       pk_pos key_pos, pk_value *value)
{
	pk_map_entry *e;

	PK_ASSERT(map->as.map.len < PK_VALUE_MAX_ITEMS && key_len < UINT32_MAX);
	PK_GROW(map->as.map.entries, map->as.map.cap, map->as.map.len + 1);
	e = &map->as.map.entries[map->as.map.len++];
	e->key = key_copy(key, key_len, hash);
	e->key_len = (uint32_t)key_len;
	e->hash = hash;
	e->key_pos = key_pos;
	e->value = value;
	if (map->as.map.len > MAP_LINEAR_MAX) {
		if (!map->as.map.index || map->as.map.len * 2 > map->as.map.index_cap)
			index_rebuild(map);
		else
			index_insert(map, map->as.map.len - 1);
	}
}

int pk_value_map_add(pk_value *map, const char *key, size_t key_len, pk_pos key_pos,
		     pk_value *value)
{
	uint32_t hash = pk_hash_bytes(key, key_len);

	PK_ASSERT(map->type == PK_VALUE_MAP);
	if (map_find(map, key, key_len, hash) >= 0)
		return PK_EEXISTS;
	map_append(map, key, key_len, hash, key_pos, value);
	return PK_OK;
}

void pk_value_map_set(pk_value *map, const char *key, pk_value *value)
{
	size_t len = strlen(key);
	uint32_t hash = pk_hash_bytes(key, len);
	long i;

	PK_ASSERT(map->type == PK_VALUE_MAP);
	i = map_find(map, key, len, hash);
	if (i >= 0) {
		pk_value_free(map->as.map.entries[i].value);
		map->as.map.entries[i].value = value;
	} else {
		map_append(map, key, len, hash, value->pos, value);
	}
}

static const pk_map_entry *entry_of(const pk_value *map, const char *key, size_t key_len,
				    uint32_t hash)
{
	long i;
	if (!map || map->type != PK_VALUE_MAP)
		return NULL;
	i = map_find(map, key, key_len, hash);
	return i < 0 ? NULL : &map->as.map.entries[i];
}

const pk_map_entry *pk_value_map_entry(const pk_value *map, const char *key, size_t key_len)
{
	return entry_of(map, key, key_len, pk_hash_bytes(key, key_len));
}

pk_value *pk_value_map_geth(const pk_value *map, const char *key, size_t key_len, uint32_t hash)
{
	const pk_map_entry *e = entry_of(map, key, key_len, hash);
	return e ? e->value : NULL;
}

pk_value *pk_value_map_getn(const pk_value *map, const char *key, size_t key_len)
{
	return pk_value_map_geth(map, key, key_len, pk_hash_bytes(key, key_len));
}

pk_value *pk_value_map_get(const pk_value *map, const char *key)
{
	return pk_value_map_getn(map, key, strlen(key));
}

pk_value *pk_value_map_take(pk_value *map, const char *key)
{
	long i;
	pk_value *v;

	if (!map || map->type != PK_VALUE_MAP ||
	    (i = map_find(map, key, strlen(key), pk_hash_bytes(key, strlen(key)))) < 0)
		return NULL;
	v = map->as.map.entries[i].value;
	key_free(&map->as.map.entries[i]);
	memmove(&map->as.map.entries[i], &map->as.map.entries[i + 1],
		(map->as.map.len - (size_t)i - 1) * sizeof(pk_map_entry));
	map->as.map.len--;
	if (map->as.map.index)
		index_rebuild(map);
	return v;
}

const char *pk_value_str(const pk_value *v)
{
	return v && v->type == PK_VALUE_STRING ? v->as.str.ptr : NULL;
}

const char *pk_value_type_name(pk_value_type type)
{
	static const char *const names[] = {
		"null", "boolean", "integer", "float", "string",
		"list", "map", "date", "object",
	};
	return (size_t)type < PK_ARRAY_SIZE(names) ? names[type] : "unknown";
}

static void float_to_text(pk_buf *out, double f)
{
	char tmp[40];
	int prec;

	if (isnan(f)) {
		pk_buf_puts(out, ".nan");
		return;
	}
	if (isinf(f)) {
		pk_buf_puts(out, f < 0 ? "-.inf" : ".inf");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* %g turns to an exponent once the digits run out (1000 → "1e+03",
	 * 150 → "1.5e+02"); such a value is a whole number, written in full. */
	if (strchr(tmp, 'e') && fabs(f) >= 1e-4 && fabs(f) < 1e16)
		snprintf(tmp, sizeof(tmp), "%.0f", f);
	pk_buf_puts(out, tmp);
}

void pk_value_to_text(pk_buf *out, const pk_value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case PK_VALUE_BOOL:
		pk_buf_puts(out, v->as.b ? "true" : "false");
		break;
	case PK_VALUE_INT: /* (no printf: numbers are shown on every page) */
		pk_buf_put_int(out, v->as.i, 0);
		break;
	case PK_VALUE_FLOAT:
		float_to_text(out, v->as.f);
		break;
	case PK_VALUE_STRING:
		pk_buf_put(out, v->as.str.ptr, v->as.str.len);
		break;
	case PK_VALUE_DATE:
		pk_buf_put_int(out, v->as.date.year, 4);
		pk_buf_putc(out, '-');
		pk_buf_put_int(out, v->as.date.month, 2);
		if (v->as.date.day) {
			pk_buf_putc(out, '-');
			pk_buf_put_int(out, v->as.date.day, 2);
		}
		break;
	default:
		break;
	}
}

bool pk_value_equal(const pk_value *a, const pk_value *b)
{
	size_t i;
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case PK_VALUE_NULL: return true;
	case PK_VALUE_BOOL: return a->as.b == b->as.b;
	case PK_VALUE_INT: return a->as.i == b->as.i;
	case PK_VALUE_FLOAT: return a->as.f == b->as.f;
	case PK_VALUE_DATE: return pk_date_compare(a->as.date, b->as.date) == 0;
	case PK_VALUE_OBJECT: return a->as.obj.self == b->as.obj.self;
	case PK_VALUE_STRING:
		return a->as.str.len == b->as.str.len &&
		       memcmp(a->as.str.ptr, b->as.str.ptr, a->as.str.len) == 0;
	case PK_VALUE_LIST:
		if (a->as.list.len != b->as.list.len)
			return false;
		for (i = 0; i < a->as.list.len; i++)
			if (!pk_value_equal(a->as.list.items[i], b->as.list.items[i]))
				return false;
		return true;
	case PK_VALUE_MAP:
		if (a->as.map.len != b->as.map.len)
			return false;
		for (i = 0; i < a->as.map.len; i++) {
			const pk_map_entry *e = &a->as.map.entries[i];
			const pk_value *other = pk_value_map_getn(b, e->key, e->key_len);
			if (!other || !pk_value_equal(e->value, other))
				return false;
		}
		return true;
	}
	return false;
}

int pk_date_compare(pk_date a, pk_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

static bool parse_digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

bool pk_date_parse(const char *s, size_t len, pk_date *out)
{
	pk_date d = { 0, 0, 0 };

	if (len != 7 && len != 10)
		return false;
	if (!parse_digits(s, 4, &d.year) || s[4] != '-' || !parse_digits(s + 5, 2, &d.month))
		return false;
	if (d.month < 1 || d.month > 12)
		return false;
	if (len == 10) {
		if (s[7] != '-' || !parse_digits(s + 8, 2, &d.day))
			return false;
		if (d.day < 1 || d.day > days_in_month(d.year, d.month))
			return false;
	}
	*out = d;
	return true;
}
