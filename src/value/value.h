/*
 * value.h: the one dynamic value tree shared by YAML, the content model and
 * templates.
 *
 * Invariants:
 * - Every value carries the line:col where it was written (0:0 if computed).
 * - A value is owned by exactly one parent (list or map) or by whoever
 *   created it; pk_value_free frees a value and all its children.
 * - Strings are UTF-8, length-counted and also NUL-terminated; their bytes
 *   share the value's allocation, so str.ptr is never replaced.
 * - Maps keep insertion order and refuse duplicate keys; lookups are hashed
 *   once a map has more than a handful of entries.
 * - PK_VALUE_OBJECT is a host object: the application (the site) exposes
 *   computed values to templates through a class of callbacks, without
 *   building copies. YAML never produces one.
 */
#ifndef PK_VALUE_VALUE_H
#define PK_VALUE_VALUE_H

#include "core/buf.h"
#include "core/common.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	PK_VALUE_NULL,
	PK_VALUE_BOOL,
	PK_VALUE_INT,
	PK_VALUE_FLOAT,
	PK_VALUE_STRING,
	PK_VALUE_LIST,
	PK_VALUE_MAP,
	PK_VALUE_DATE,
	PK_VALUE_OBJECT,
} pk_value_type;

typedef struct pk_value pk_value;
typedef struct pk_value_class pk_value_class;
struct pk_value_fp;

typedef struct {
	const char *key; /* NUL-terminated; owned, or one of the interned keys */
	uint32_t key_len;
	uint32_t hash;   /* pk_value_key_hash(key, key_len) */
	pk_pos key_pos;  /* where the key was written */
	pk_value *value; /* owned */
} pk_map_entry;

/* A calendar date; day is 0 for a year-month date such as 2024-09. */
typedef struct {
	int year, month, day;
} pk_date;

/*
 * The callbacks of a host object. Every callback is optional.
 * - get: the member called name, or NULL when there is none; hash is
 *   pk_value_key_hash(name, len), computed once by the caller. The returned
 *   value is borrowed: the object keeps it alive at least until it is freed.
 * - len/at: when both are set, the object iterates like a list in sections.
 * - truthy: whether a section over the object renders (default: true).
 * - call: an interpolation lambda; appends its result to out.
 * - section: a section lambda; gets the unrendered section text and appends
 *   its result to out. Results of both are rendered as templates.
 * - free: frees self when the value holding it is freed.
 * - fingerprint: appends what the object shows, through
 *   pk_value_fingerprint (fingerprint.c); without it, or when it returns
 *   false, a tree holding the object has no fingerprint.
 */
struct pk_value_class {
	const char *name;
	const pk_value *(*get)(void *self, const char *name, size_t len, uint32_t hash);
	size_t (*len)(void *self);
	const pk_value *(*at)(void *self, size_t i);
	bool (*truthy)(void *self);
	int (*call)(void *self, pk_buf *out);
	int (*section)(void *self, const char *text, size_t len, pk_buf *out);
	void (*free)(void *self);
	bool (*fingerprint)(void *self, struct pk_value_fp *fp);
};

/* The most items a list or a map can hold (their counts are 32-bit). */
#define PK_VALUE_MAX_ITEMS (1u << 30)

struct pk_value {
	pk_value_type type;
	pk_pos pos;
	union {
		bool b;
		int64_t i;
		double f;
		struct { char *ptr; size_t len; } str;
		/* Counts are 32-bit: a bank holds millions of values and
		 * none of them near 2^30 items; that keeps a value at 48
		 * bytes instead of 56 (one size class of the allocator). */
		struct { pk_value **items; uint32_t len, cap; } list;
		struct {
			pk_map_entry *entries;
			uint32_t *index;  /* entry number + 1; NULL while small */
			uint32_t len, cap;
			uint32_t index_cap;
		} map;
		pk_date date;
		struct { const pk_value_class *cls; void *self; bool borrowed; } obj;
	} as;
};

/* Constructors; each returns a new value the caller owns. */
pk_value *pk_value_new_null(pk_pos pos);
pk_value *pk_value_new_bool(bool b, pk_pos pos);
pk_value *pk_value_new_int(int64_t i, pk_pos pos);
pk_value *pk_value_new_float(double f, pk_pos pos);
pk_value *pk_value_new_string(const char *s, size_t len, pk_pos pos);
pk_value *pk_value_new_cstr(const char *s); /* position 0:0 */
/* The string a followed by b, made in one piece (a URL: base and path). */
pk_value *pk_value_new_concat(const char *a, size_t a_len, const char *b, size_t b_len,
			      pk_pos pos);
pk_value *pk_value_new_list(pk_pos pos);
pk_value *pk_value_new_map(pk_pos pos);
pk_value *pk_value_new_date(pk_date date, pk_pos pos);
pk_value *pk_value_new_object(const pk_value_class *cls, void *self);
/* Frees v and its children; NULL is a no-op. */
void pk_value_free(pk_value *v);
/* A deep copy (host objects are shared, not copied: their free is not called
 * for the copy). */
pk_value *pk_value_clone(const pk_value *v);

/* Appends v as a compact block of bytes (pack.c: about the size of its
 * text, where the tree takes twice that), for trees kept long and read
 * rarely. False, with out as it was, if v holds a host object. */
bool pk_value_pack(pk_buf *out, const pk_value *v);
/* Packs, as pk_value_pack packs a map, only the entries of map under
 * keys, in the order of keys (absent ones left out). */
bool pk_value_pack_fields(pk_buf *out, const pk_value *map, const char *const *keys, size_t n);
/* A new tree from bytes pk_value_pack wrote, or NULL if they are not. */
pk_value *pk_value_unpack(const void *bytes, size_t len);

/* Appends item to a list, taking ownership. */
void pk_value_list_push(pk_value *list, pk_value *item);
/* Gives back the spare room of a list or map that is complete (values
 * kept for the whole build, such as parsed front matter); adding to it
 * afterwards still works. */
void pk_value_shrink(pk_value *v);
/* Number of items of a list or entries of a map; 0 for other types. */
size_t pk_value_len(const pk_value *v);
/* The i-th item of a list (borrowed), or NULL out of range. */
pk_value *pk_value_list_at(const pk_value *list, size_t i);

/* Adds key → value at the end of the map, taking ownership of value.
 * Returns PK_EEXISTS if the key is present: nothing changes and the caller
 * still owns value. */
int pk_value_map_add(pk_value *map, const char *key, size_t key_len, pk_pos key_pos,
		     pk_value *value);
/* Adds or replaces (freeing the old value); takes ownership of value. */
void pk_value_map_set(pk_value *map, const char *key, pk_value *value);
/* The value under key (borrowed), or NULL; NULL also when map is not a map. */
pk_value *pk_value_map_get(const pk_value *map, const char *key);
pk_value *pk_value_map_getn(const pk_value *map, const char *key, size_t key_len);
/* The same with the key's hash computed once by the caller (a template
 * computes the hashes of its names when it is compiled). */
pk_value *pk_value_map_geth(const pk_value *map, const char *key, size_t key_len, uint32_t hash);
/* The hash maps use for a key. */
uint32_t pk_value_key_hash(const char *key, size_t key_len);
/* Makes maps share one copy of each of these keys instead of a copy per
 * entry (the field names every document repeats). Call once, before any
 * thread adds to a map: the set is read without a lock afterwards. The
 * strings must outlive every map; keys not in the set are copied. */
void pk_value_intern_keys(const char *const *keys, size_t n);
/* The entry under key (borrowed), or NULL. */
const pk_map_entry *pk_value_map_entry(const pk_value *map, const char *key, size_t key_len);
/* Removes key, returning its value to the caller (or NULL if absent). */
pk_value *pk_value_map_take(pk_value *map, const char *key);

/*
 * A fingerprint: bytes that describe everything a template can read of a
 * tree (types, strings, numbers, keys in order, what host objects show),
 * positions aside, so two trees with equal fingerprints render the same.
 * A page whose data has the fingerprint of last build's page is not
 * rendered again. The shared values (the site's own map, the strings)
 * are written as their index when a host object borrows them: the caller
 * describes them once.
 */
typedef struct pk_value_fp_memo pk_value_fp_memo;
typedef struct pk_value_fp {
	pk_buf *out;
	const pk_value *const *shared;
	size_t shared_len;
	const pk_value_fp_memo *memo; /* or NULL */
	int depth;
} pk_value_fp;
/* Appends v's fingerprint to fp->out; false if some object in v cannot
 * describe itself (then fp->out holds a part). NULL is a value too. */
bool pk_value_fingerprint(pk_value_fp *fp, const pk_value *v);
/* For host objects, for a value they borrow: a shared value as its index,
 * a remembered one as its digest, any other as pk_value_fingerprint does.
 * (Only borrowed values are looked up: a tree's own values never are
 * shared, and looking each up would cost more than it saves.) */
bool pk_value_fp_borrowed(pk_value_fp *fp, const pk_value *v);
/* For host objects: appends a name or a raw byte string, unambiguously. */
void pk_value_fp_bytes(pk_value_fp *fp, const void *bytes, size_t len);
/* Values many trees share (every list page shows the cards of its
 * practices): each is described once, as a 128-bit digest of its
 * fingerprint, which later fingerprints write in its place. Add (from one
 * thread) before anyone reads the memo; a value added must not change
 * while the memo lives. add is false when v has no fingerprint. */
pk_value_fp_memo *pk_value_fp_memo_new(void);
bool pk_value_fp_memo_add(pk_value_fp_memo *memo, const pk_value_fp *ctx, const pk_value *v);
/* Adds n values (NULLs and values without a fingerprint skipped) on up to
 * threads threads. Each is described with the memo as it was before the
 * call, never by another one's digest, so the digests are the same
 * whatever the number of threads: add values that contain each other in
 * separate calls, the contained first. */
void pk_value_fp_memo_add_all(pk_value_fp_memo *memo, const pk_value_fp *ctx,
			      const pk_value *const *values, size_t n, int threads);
void pk_value_fp_memo_free(pk_value_fp_memo *memo);

/* The string of a string value, or NULL for other types. */
const char *pk_value_str(const pk_value *v);
/* "null", "boolean", "integer", "float", "string", "list", "map", "date",
 * "object": the names used in diagnostics. */
const char *pk_value_type_name(pk_value_type type);
/* Appends the text form of a scalar: integers in decimal, floats in the
 * shortest form that reads back the same (1.21, 3.0 → "3"), dates as
 * YYYY-MM-DD or YYYY-MM, true/false, "" for null. Lists and maps append
 * nothing. */
void pk_value_to_text(pk_buf *out, const pk_value *v);
/* Structural equality (positions ignored; objects compare by identity). */
bool pk_value_equal(const pk_value *a, const pk_value *b);
/* Compares two dates; negative, 0 or positive. A month date sorts before
 * the days of its month. */
int pk_date_compare(pk_date a, pk_date b);
/* Parses "YYYY-MM-DD" or "YYYY-MM" exactly (valid calendar date); returns
 * true and fills *out on success. */
bool pk_date_parse(const char *s, size_t len, pk_date *out);

#endif
