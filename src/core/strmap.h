/*
 * strmap.h: a hash map from byte-string keys to borrowed pointers.
 *
 * Keys are copied into the map; values are not owned. Iteration order is
 * insertion order (entries live in one array; the hash index points into it).
 */
#ifndef PK_CORE_STRMAP_H
#define PK_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *key;      /* owned, NUL-terminated */
	size_t key_len;
	void *value;    /* borrowed */
	uint32_t hash;  /* pk_hash_bytes(key, key_len): compared before the key,
			 * and the index is rebuilt without hashing keys again */
} pk_strmap_entry;

typedef struct {
	pk_strmap_entry *entries;
	size_t len, cap;
	uint32_t *index;  /* open addressing: entry number + 1, 0 = empty */
	size_t index_cap; /* power of two */
} pk_strmap;

#define PK_STRMAP_INIT { NULL, 0, 0, NULL, 0 }

void pk_strmap_init(pk_strmap *m);
void pk_strmap_release(pk_strmap *m);
/* Adds key → value; returns PK_EEXISTS (and changes nothing) if present. */
int pk_strmap_add(pk_strmap *m, const char *key, size_t key_len, void *value);
/* Adds or replaces; returns the previous value or NULL. */
void *pk_strmap_set(pk_strmap *m, const char *key, size_t key_len, void *value);
/* The value for key, or NULL. */
void *pk_strmap_get(const pk_strmap *m, const char *key, size_t key_len);
/* The entry number of key, or -1. */
long pk_strmap_find(const pk_strmap *m, const char *key, size_t key_len);
/* The same when the caller has pk_hash_bytes(key, key_len) already. */
long pk_strmap_find_hashed(const pk_strmap *m, const char *key, size_t key_len, uint32_t hash);
/* FNV-1a hash, shared with other hashed containers. */
uint32_t pk_hash_bytes(const char *p, size_t len);

#endif
