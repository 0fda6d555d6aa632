#include "core/hash.h"

#include <string.h>

/* Multiply and fold, as in the wyhash family, over four lanes: fast
 * enough for every byte of a site. It guards against accidents, not
 * attackers: the bytes come from the site's own content. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	h *= 0xFF51AFD7ED558CCDull;
	return h ^ (h >> 32);
}

uint64_t pk_hash64(const void *data, size_t len)
{
	return pk_hash64_seeded(data, len, 0);
}

uint64_t pk_hash64_seeded(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	/* four independent lanes over 32-byte steps: the multiplications of
	 * one step do not wait for each other */
	uint64_t h[4] = { 0xCBF29CE484222325ull ^ len ^ seed, 0x84222325CBF29CE4ull ^ (seed << 16),
			  0x9E3779B97F4A7C15ull ^ (seed << 32), 0xC2B2AE3D27D4EB4Full ^ (seed << 48) };
	uint64_t v;
	size_t i = 0, k;

	for (; i + 32 <= len; i += 32)
		for (k = 0; k < 4; k++) {
			memcpy(&v, p + i + 8 * k, 8);
			h[k] = mix(h[k], v);
		}
	for (; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		h[0] = mix(h[0], v);
	}
	v = 0;
	memcpy(&v, p + i, len - i);
	h[0] = mix(h[0], v);
	for (k = 1; k < 4; k++)
		h[0] = mix(h[0], h[k]);
	return h[0];
}
