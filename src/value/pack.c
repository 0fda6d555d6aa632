/*
 * pack.c: a value tree as one compact block of bytes, and back.
 *
 * A parsed front matter costs about twice its text as a tree (a 48-byte
 * value per scalar, entry arrays, map indexes, the allocator's rounding).
 * A site keeps every practice's front matter from loading to rendering
 * but reads most of it once, on the worker that renders the page; packed,
 * it weighs little more than its text, and unpacking is much cheaper than
 * parsing the YAML again.
 *
 * The format is private to one program: the only copy kept on disk is the
 * front-matter cache (content/fmcache.h), which a build of another
 * praktika ignores, so the format may change freely. Each value is its type byte, its line and column, then
 *   bool: one byte; int: zigzag varint; float: 8 bytes as in memory;
 *   string: varint length, bytes; date: three zigzag varints;
 *   list: varint count, the items; map: varint count, then per entry the
 *   key (varint length, bytes), its line and column, and the value.
 * Varints are little-endian base 128. The unpacker still checks every
 * length against what is left, so a damaged block gives NULL, not a crash.
 */
#include "value/value.h"
#include "core/xalloc.h"

#include <string.h>

#define MAX_DEPTH 256

/* ---- packing -------------------------------------------------------- */

static void put_varint(pk_buf *out, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	pk_buf_put(out, b, n);
}

static void put_signed(pk_buf *out, int64_t v)
{
	uint64_t u = (uint64_t)v;
	put_varint(out, (u << 1) ^ (v < 0 ? UINT64_MAX : 0));
}

static void put_pos(pk_buf *out, pk_pos pos)
{
	put_signed(out, pos.line);
	put_signed(out, pos.col);
}

static void put_bytes(pk_buf *out, const char *s, size_t len)
{
	put_varint(out, len);
	pk_buf_put(out, s, len);
}

static bool pack(pk_buf *out, const pk_value *v, int depth)
{
	size_t i;

	if (depth > MAX_DEPTH || v->type == PK_VALUE_OBJECT)
		return false;
	pk_buf_putc(out, (char)v->type);
	put_pos(out, v->pos);
	switch (v->type) {
	case PK_VALUE_NULL:
		break;
	case PK_VALUE_BOOL:
		pk_buf_putc(out, v->as.b ? 1 : 0);
		break;
	case PK_VALUE_INT:
		put_signed(out, v->as.i);
		break;
	case PK_VALUE_FLOAT:
		pk_buf_put(out, &v->as.f, sizeof(v->as.f));
		break;
	case PK_VALUE_STRING:
		put_bytes(out, v->as.str.ptr, v->as.str.len);
		break;
	case PK_VALUE_DATE:
		put_signed(out, v->as.date.year);
		put_signed(out, v->as.date.month);
		put_signed(out, v->as.date.day);
		break;
	case PK_VALUE_LIST:
		put_varint(out, v->as.list.len);
		for (i = 0; i < v->as.list.len; i++)
			if (!pack(out, v->as.list.items[i], depth + 1))
				return false;
		break;
	case PK_VALUE_MAP:
		put_varint(out, v->as.map.len);
		for (i = 0; i < v->as.map.len; i++) {
			const pk_map_entry *e = &v->as.map.entries[i];
			put_bytes(out, e->key, e->key_len);
			put_pos(out, e->key_pos);
			if (!pack(out, e->value, depth + 1))
				return false;
		}
		break;
	case PK_VALUE_OBJECT:
		return false;
	}
	return true;
}

bool pk_value_pack(pk_buf *out, const pk_value *v)
{
	size_t start = out->len;
	if (pack(out, v, 0))
		return true;
	pk_buf_truncate(out, start);
	return false;
}

bool pk_value_pack_fields(pk_buf *out, const pk_value *map, const char *const *keys, size_t n)
{
	size_t start = out->len, count = 0, i;
	const pk_map_entry *e;

	if (map->type != PK_VALUE_MAP)
		return false;
	for (i = 0; i < n; i++)
		count += pk_value_map_entry(map, keys[i], strlen(keys[i])) != NULL;
	pk_buf_putc(out, (char)PK_VALUE_MAP);
	put_pos(out, map->pos);
	put_varint(out, count);
	for (i = 0; i < n; i++) {
		if (!(e = pk_value_map_entry(map, keys[i], strlen(keys[i]))))
			continue;
		put_bytes(out, e->key, e->key_len);
		put_pos(out, e->key_pos);
		if (!pack(out, e->value, 1)) {
			pk_buf_truncate(out, start);
			return false;
		}
	}
	return true;
}

/* ---- unpacking ------------------------------------------------------ */

typedef struct {
	const unsigned char *p, *end;
	bool ok;
} reader;

static uint64_t get_varint(reader *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (r->ok) {
		unsigned char b;
		if (r->p >= r->end || shift > 63) {
			r->ok = false;
			break;
		}
		b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
	return 0;
}

static int64_t get_signed(reader *r)
{
	uint64_t u = get_varint(r);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static int get_int(reader *r)
{
	int64_t v = get_signed(r);
	if (v < INT32_MIN || v > INT32_MAX)
		r->ok = false;
	return r->ok ? (int)v : 0;
}

static pk_pos get_pos(reader *r)
{
	pk_pos pos;
	pos.line = get_int(r);
	pos.col = get_int(r);
	return pos;
}

/* n bytes at the reader, or NULL when fewer are left. */
static const char *get_raw(reader *r, size_t n)
{
	const unsigned char *at = r->p;
	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		return NULL;
	}
	r->p += n;
	return (const char *)at;
}

/* A length of bytes that follow: never more than what is left. */
static size_t get_len(reader *r)
{
	uint64_t n = get_varint(r);
	if (n > (uint64_t)(r->end - r->p))
		r->ok = false;
	return r->ok ? (size_t)n : 0;
}

/* A count of items that each take a byte at least, so a damaged count
 * cannot make the unpacker loop for long either. */
static size_t get_count(reader *r)
{
	size_t n = get_len(r);
	if (n >= PK_VALUE_MAX_ITEMS)
		r->ok = false;
	return r->ok ? n : 0;
}

static pk_value *unpack(reader *r, int depth);

static pk_value *unpack_list(reader *r, pk_pos pos, int depth)
{
	pk_value *list = pk_value_new_list(pos);
	size_t n = get_count(r), i;
	for (i = 0; i < n && r->ok; i++) {
		pk_value *item = unpack(r, depth + 1);
		if (item)
			pk_value_list_push(list, item);
	}
	pk_value_shrink(list);
	return list;
}

static pk_value *unpack_map(reader *r, pk_pos pos, int depth)
{
	pk_value *map = pk_value_new_map(pos);
	size_t n = get_count(r), i;
	for (i = 0; i < n && r->ok; i++) {
		size_t key_len = get_len(r);
		const char *key = get_raw(r, key_len);
		pk_pos key_pos = get_pos(r);
		pk_value *value = r->ok ? unpack(r, depth + 1) : NULL;
		if (value && pk_value_map_add(map, key, key_len, key_pos, value) != PK_OK) {
			pk_value_free(value); /* a key twice: not what pack wrote */
			r->ok = false;
		}
	}
	pk_value_shrink(map);
	return map;
}

static pk_value *unpack_scalar(reader *r, int type, pk_pos pos)
{
	const char *s;
	size_t len;
	double f;
	pk_date d;

	switch (type) {
	case PK_VALUE_NULL:
		return pk_value_new_null(pos);
	case PK_VALUE_BOOL:
		s = get_raw(r, 1);
		return s ? pk_value_new_bool(*s != 0, pos) : NULL;
	case PK_VALUE_INT:
		return pk_value_new_int(get_signed(r), pos);
	case PK_VALUE_FLOAT:
		if (!(s = get_raw(r, sizeof(f))))
			return NULL;
		memcpy(&f, s, sizeof(f));
		return pk_value_new_float(f, pos);
	case PK_VALUE_STRING:
		len = get_len(r);
		s = get_raw(r, len);
		return s ? pk_value_new_string(s, len, pos) : NULL;
	case PK_VALUE_DATE:
		d.year = get_int(r);
		d.month = get_int(r);
		d.day = get_int(r);
		return pk_value_new_date(d, pos);
	default:
		r->ok = false;
		return NULL;
	}
}

/* The next value, or NULL with r->ok false; a value returned while r->ok
 * turned false may be incomplete, and the caller frees the whole tree. */
static pk_value *unpack(reader *r, int depth)
{
	const char *type = get_raw(r, 1);
	pk_pos pos;

	if (!type || depth > MAX_DEPTH) {
		r->ok = false;
		return NULL;
	}
	pos = get_pos(r);
	if (!r->ok)
		return NULL;
	if (*type == PK_VALUE_LIST)
		return unpack_list(r, pos, depth);
	if (*type == PK_VALUE_MAP)
		return unpack_map(r, pos, depth);
	return unpack_scalar(r, *type, pos);
}

pk_value *pk_value_unpack(const void *bytes, size_t len)
{
	reader r;
	pk_value *v;

	r.p = bytes;
	r.end = r.p + len;
	r.ok = true;
	v = unpack(&r, 0);
	if (!r.ok || r.p != r.end) {
		pk_value_free(v);
		return NULL;
	}
	return v;
}
