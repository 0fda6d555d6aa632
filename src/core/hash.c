#include "core/hash.h"

#include <string.h>

/*
 * In the wyhash family: each step multiplies two 64-bit words, each mixed
 * with a constant and the running state, to 128 bits and folds the halves
 * together. Two chains over 32-byte steps, so their multiplications do
 * not wait for each other: several bytes per cycle, which matters
 * because every page, front matter and fingerprint of a site is hashed.
 * It guards against accidents, not attackers: the bytes come from the
 * site's own content.
 */
#define P0 0xa0761d6478bd642full
#define P1 0xe7037ed1a0b428dbull
#define P2 0x8ebc6af09c88c6e3ull
#define P3 0x589965cc75374cc3ull

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 pk_u128;

static inline uint64_t mum(uint64_t a, uint64_t b)
{
	pk_u128 r = (pk_u128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#else
/* Without 128-bit integers: the four 32-bit partial products. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
	uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return lo ^ hi;
}
#endif

static inline uint64_t word(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

uint64_t pk_hash64(const void *data, size_t len)
{
	return pk_hash64_seeded(data, len, 0);
}

void pk_hash128(const void *data, size_t len, uint64_t out[2])
{
	out[0] = pk_hash64(data, len);
	out[1] = pk_hash64_seeded(data, len, 0x9e3779b97f4a7c15ull);
}

uint64_t pk_hash64_seeded(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t s0 = mum(seed ^ P0, (uint64_t)len ^ P1), s1 = s0 ^ P2, a, b;
	size_t i = 0;

	for (; i + 32 <= len; i += 32) {
		s0 = mum(word(p + i) ^ P1, word(p + i + 8) ^ s0);
		s1 = mum(word(p + i + 16) ^ P2, word(p + i + 24) ^ s1);
	}
	for (; i + 16 <= len; i += 16)
		s0 = mum(word(p + i) ^ P1, word(p + i + 8) ^ s0);
	a = b = 0;
	if (len - i > 8) {
		memcpy(&a, p + i, 8);
		memcpy(&b, p + i + 8, len - i - 8);
	} else {
		memcpy(&a, p + i, len - i);
	}
	s0 = mum(a ^ P1, b ^ s0 ^ P3);
	return mum(s0 ^ P2, s1 ^ P3 ^ (uint64_t)len);
}
