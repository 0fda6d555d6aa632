/*
 * fingerprint.c: what a template can read of a tree, as bytes.
 *
 * Each value is a type byte and its content: bool one byte; int and date
 * as fixed-width numbers; float as its bits; string a length and the
 * bytes; list a count and the items; map a count and, per entry, the key
 * (length, bytes) and the value; an object its class name and what its
 * fingerprint callback appends; a shared value its index. Every part is
 * length-prefixed, so two different trees never give the same bytes.
 * Positions are left out: templates do not show them.
 */
#include "value/value.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

enum {
	FP_NULL = 'n', FP_BOOL = 'b', FP_INT = 'i', FP_FLOAT = 'f', FP_STRING = 's',
	FP_LIST = 'l', FP_MAP = 'm', FP_DATE = 'd', FP_OBJECT = 'o', FP_SHARED = 'S',
	FP_BYTES = 'x', FP_MEMO = 'M',
};

#define DIGEST 16

typedef struct {
	const pk_value *v;           /* NULL: empty slot */
	unsigned char digest[DIGEST];
} memo_slot;

/* Open addressing by pointer, at most half full. */
struct pk_value_fp_memo {
	memo_slot *slots;
	size_t len, cap;             /* cap: a power of two, or 0 */
};

/* Room for n more bytes (and the NUL a buffer keeps): these run for
 * every value of every page, so they stay inline. */
static inline char *room(pk_buf *out, size_t n)
{
	if (out->len + n + 1 > out->cap)
		pk_buf_grow(out, n);
	return out->ptr + out->len;
}

static inline void store_u64(char *p, uint64_t v)
{
	int i;
	for (i = 0; i < 8; i++)
		p[i] = (char)(unsigned char)(v >> (8 * i));
}

static inline void put_u64(pk_buf *out, uint64_t v)
{
	store_u64(room(out, 8), v);
	out->len += 8;
	out->ptr[out->len] = '\0';
}

static inline void put_tag(pk_buf *out, char tag)
{
	*room(out, 1) = tag;
	out->len++;
	out->ptr[out->len] = '\0';
}

/* A tag and a number in one go. */
static inline void put_tagged(pk_buf *out, char tag, uint64_t v)
{
	char *p = room(out, 9);
	p[0] = tag;
	store_u64(p + 1, v);
	out->len += 9;
	out->ptr[out->len] = '\0';
}

/* A number (a length) and that many bytes. */
static inline void put_counted(pk_buf *out, const void *bytes, size_t len)
{
	char *p = room(out, 8 + len);
	store_u64(p, len);
	if (len) /* bytes may be NULL then (an empty slice) */
		memcpy(p + 8, bytes, len);
	out->len += 8 + len;
	out->ptr[out->len] = '\0';
}

static inline void put_string(pk_buf *out, char tag, const void *bytes, size_t len)
{
	put_tag(out, tag);
	put_counted(out, bytes, len);
}

void pk_value_fp_bytes(pk_value_fp *fp, const void *bytes, size_t len)
{
	put_string(fp->out, FP_BYTES, bytes, len);
}

static bool put_shared(pk_value_fp *fp, const pk_value *v)
{
	size_t i;
	for (i = 0; i < fp->shared_len; i++)
		if (fp->shared[i] == v) {
			put_tagged(fp->out, FP_SHARED, i);
			return true;
		}
	return false;
}

static size_t slot_of(const pk_value_fp_memo *m, const pk_value *v)
{
	uint64_t h = (uint64_t)(uintptr_t)v * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 20) & (m->cap - 1);
	while (m->slots[i].v && m->slots[i].v != v)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static const unsigned char *memo_get(const pk_value_fp_memo *m, const pk_value *v)
{
	size_t i;
	if (!m || !m->len)
		return NULL;
	i = slot_of(m, v);
	return m->slots[i].v ? m->slots[i].digest : NULL;
}

static void memo_grow(pk_value_fp_memo *m)
{
	memo_slot *old = m->slots;
	size_t old_cap = m->cap, i;

	m->cap = old_cap ? old_cap * 2 : 64;
	m->slots = pk_xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old_cap; i++)
		if (old[i].v)
			m->slots[slot_of(m, old[i].v)] = old[i];
	free(old);
}

pk_value_fp_memo *pk_value_fp_memo_new(void)
{
	return pk_xcalloc(1, sizeof(pk_value_fp_memo));
}

/* The digest of v's fingerprint with the memo m as it stands, made in
 * bytes (cleared first); false when v has none. */
static bool digest_of(const pk_value_fp_memo *m, const pk_value_fp *ctx, const pk_value *v,
		      pk_buf *bytes, unsigned char digest[DIGEST])
{
	pk_value_fp fp = *ctx;
	uint64_t words[2];
	bool ok;

	pk_buf_clear(bytes);
	fp.out = bytes;
	fp.memo = m;
	fp.depth = 0;
	ok = pk_value_fingerprint(&fp, v);
	if (ok) {
		pk_hash128(bytes->ptr, bytes->len, words);
		memcpy(digest, words, DIGEST);
	}
	return ok;
}

static void memo_put(pk_value_fp_memo *m, const pk_value *v, const unsigned char digest[DIGEST])
{
	memo_slot *slot;

	if (2 * (m->len + 1) > m->cap)
		memo_grow(m);
	slot = &m->slots[slot_of(m, v)];
	if (slot->v)
		return; /* added twice in one go */
	slot->v = v;
	memcpy(slot->digest, digest, DIGEST);
	m->len++;
}

bool pk_value_fp_memo_add(pk_value_fp_memo *m, const pk_value_fp *ctx, const pk_value *v)
{
	unsigned char digest[DIGEST];
	pk_buf bytes = PK_BUF_INIT;
	bool ok;

	if (!v)
		return false;
	if (memo_get(m, v))
		return true;
	ok = digest_of(m, ctx, v, &bytes, digest);
	pk_buf_release(&bytes);
	if (ok)
		memo_put(m, v, digest);
	return ok;
}

typedef struct {
	const pk_value_fp_memo *memo;
	const pk_value_fp *ctx;
	const pk_value *const *values;
	memo_slot *found;            /* per value; v NULL: no fingerprint */
	pk_buf *bytes;               /* per worker, reused value to value */
} add_all_job;

static void digest_one(void *payload, size_t i, unsigned worker)
{
	add_all_job *job = payload;
	const pk_value *v = job->values[i];
	if (v && !memo_get(job->memo, v) &&
	    digest_of(job->memo, job->ctx, v, &job->bytes[worker], job->found[i].digest))
		job->found[i].v = v;
}

void pk_value_fp_memo_add_all(pk_value_fp_memo *m, const pk_value_fp *ctx,
			      const pk_value *const *values, size_t n, int threads)
{
	add_all_job job = { m, ctx, values, NULL, NULL };
	size_t workers = threads > 1 ? (size_t)threads : 1, i;

	if (!n)
		return;
	job.found = pk_xcalloc(n, sizeof(*job.found));
	job.bytes = pk_xmalloc(workers * sizeof(*job.bytes));
	for (i = 0; i < workers; i++)
		pk_buf_init(&job.bytes[i]);
	pk_parallel_for(n, threads, digest_one, &job);
	for (i = 0; i < n; i++)
		if (job.found[i].v)
			memo_put(m, job.found[i].v, job.found[i].digest);
	for (i = 0; i < workers; i++)
		pk_buf_release(&job.bytes[i]);
	free(job.bytes);
	free(job.found);
}

void pk_value_fp_memo_free(pk_value_fp_memo *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

static bool put_children(pk_value_fp *fp, const pk_value *v)
{
	uint32_t i;
	bool ok = true;

	if (v->type == PK_VALUE_LIST) {
		put_tagged(fp->out, FP_LIST, v->as.list.len);
		for (i = 0; i < v->as.list.len && ok; i++)
			ok = pk_value_fingerprint(fp, v->as.list.items[i]);
		return ok;
	}
	put_tagged(fp->out, FP_MAP, v->as.map.len);
	for (i = 0; i < v->as.map.len && ok; i++) {
		const pk_map_entry *e = &v->as.map.entries[i];
		put_counted(fp->out, e->key, e->key_len);
		ok = pk_value_fingerprint(fp, e->value);
	}
	return ok;
}

static bool put_object(pk_value_fp *fp, const pk_value *v)
{
	const pk_value_class *cls = v->as.obj.cls;
	if (!cls->fingerprint)
		return false;
	put_string(fp->out, FP_OBJECT, cls->name, strlen(cls->name));
	return cls->fingerprint(v->as.obj.self, fp);
}

bool pk_value_fp_borrowed(pk_value_fp *fp, const pk_value *v)
{
	const unsigned char *digest;

	if (v && put_shared(fp, v))
		return true;
	if (v && fp->memo && (digest = memo_get(fp->memo, v))) {
		put_string(fp->out, FP_MEMO, digest, DIGEST);
		return true;
	}
	return pk_value_fingerprint(fp, v);
}

bool pk_value_fingerprint(pk_value_fp *fp, const pk_value *v)
{
	uint64_t bits;
	bool ok = true;

	if (!v) {
		put_tag(fp->out, FP_NULL);
		return true;
	}
	if (fp->depth >= MAX_DEPTH)
		return false; /* deeper than any page's data: a cycle, say */
	fp->depth++;
	switch (v->type) {
	case PK_VALUE_NULL:
		put_tag(fp->out, FP_NULL);
		break;
	case PK_VALUE_BOOL:
		put_tagged(fp->out, FP_BOOL, v->as.b ? 1 : 0);
		break;
	case PK_VALUE_INT:
		put_tagged(fp->out, FP_INT, (uint64_t)v->as.i);
		break;
	case PK_VALUE_FLOAT:
		memcpy(&bits, &v->as.f, sizeof(bits));
		put_tagged(fp->out, FP_FLOAT, bits);
		break;
	case PK_VALUE_STRING:
		put_string(fp->out, FP_STRING, v->as.str.ptr, v->as.str.len);
		break;
	case PK_VALUE_DATE:
		put_tagged(fp->out, FP_DATE, (uint64_t)(int64_t)v->as.date.year);
		put_u64(fp->out, (uint64_t)(int64_t)v->as.date.month);
		put_u64(fp->out, (uint64_t)(int64_t)v->as.date.day);
		break;
	case PK_VALUE_LIST:
	case PK_VALUE_MAP:
		ok = put_children(fp, v);
		break;
	case PK_VALUE_OBJECT:
		ok = put_object(fp, v);
		break;
	}
	fp->depth--;
	return ok;
}
