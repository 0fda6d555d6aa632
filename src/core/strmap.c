#include "core/strmap.h"
#include "core/common.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

uint32_t pk_hash_bytes(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

void pk_strmap_init(pk_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void pk_strmap_release(pk_strmap *m)
{
	size_t i;
	for (i = 0; i < m->len; i++)
		free(m->entries[i].key);
	free(m->entries);
	free(m->index);
	pk_strmap_init(m);
}

static void insert_slot(pk_strmap *m, size_t i)
{
	size_t mask = m->index_cap - 1;
	size_t slot = m->entries[i].hash & mask;
	while (m->index[slot])
		slot = (slot + 1) & mask;
	m->index[slot] = (uint32_t)(i + 1);
}

static void reindex(pk_strmap *m, size_t cap)
{
	size_t i;
	free(m->index);
	m->index = pk_xcalloc(cap, sizeof(uint32_t));
	m->index_cap = cap;
	for (i = 0; i < m->len; i++)
		insert_slot(m, i);
}

long pk_strmap_find(const pk_strmap *m, const char *key, size_t key_len)
{
	return pk_strmap_find_hashed(m, key, key_len, pk_hash_bytes(key, key_len));
}

long pk_strmap_find_hashed(const pk_strmap *m, const char *key, size_t key_len, uint32_t hash)
{
	size_t slot;
	if (!m->index_cap)
		return -1;
	slot = hash & (m->index_cap - 1);
	while (m->index[slot]) {
		const pk_strmap_entry *e = &m->entries[m->index[slot] - 1];
		if (e->hash == hash && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
			return (long)(m->index[slot] - 1);
		slot = (slot + 1) & (m->index_cap - 1);
	}
	return -1;
}

void *pk_strmap_get(const pk_strmap *m, const char *key, size_t key_len)
{
	long i = pk_strmap_find(m, key, key_len);
	return i < 0 ? NULL : m->entries[i].value;
}

/* Appends a key known to be absent, whose hash is given. */
static void append(pk_strmap *m, const char *key, size_t key_len, uint32_t hash, void *value)
{
	pk_strmap_entry *e;

	PK_ASSERT(m->len < UINT32_MAX - 1);
	PK_GROW(m->entries, m->cap, m->len + 1);
	e = &m->entries[m->len++];
	e->key = pk_xstrndup(key, key_len);
	e->key_len = key_len;
	e->value = value;
	e->hash = hash;
	if (m->len * 2 > m->index_cap)
		reindex(m, m->index_cap ? m->index_cap * 2 : 16);
	else
		insert_slot(m, m->len - 1);
}

int pk_strmap_add(pk_strmap *m, const char *key, size_t key_len, void *value)
{
	uint32_t hash = pk_hash_bytes(key, key_len);
	if (pk_strmap_find_hashed(m, key, key_len, hash) >= 0)
		return PK_EEXISTS;
	append(m, key, key_len, hash, value);
	return PK_OK;
}

void *pk_strmap_set(pk_strmap *m, const char *key, size_t key_len, void *value)
{
	uint32_t hash = pk_hash_bytes(key, key_len);
	long i = pk_strmap_find_hashed(m, key, key_len, hash);
	void *old;
	if (i < 0) {
		append(m, key, key_len, hash, value);
		return NULL;
	}
	old = m->entries[i].value;
	m->entries[i].value = value;
	return old;
}
