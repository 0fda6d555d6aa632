/*
 * hash.h: a fast 64-bit hash of bytes, for telling whether content is the
 * same as before (pages against the files they would replace, a body
 * against the one loaded). Not for hash tables (strmap.h has its own) and
 * not against attackers.
 */
#ifndef PK_CORE_HASH_H
#define PK_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t pk_hash64(const void *data, size_t len);
/* The same with another starting point: two seeds give two hashes as
 * good as independent (together, a 128-bit key; seed 0 is pk_hash64). */
uint64_t pk_hash64_seeded(const void *data, size_t len, uint64_t seed);
/* A 128-bit digest: pk_hash64 and a second, independent seed. */
void pk_hash128(const void *data, size_t len, uint64_t out[2]);

#endif
