/*
 * fmcache.h: the front-matter cache, parsed YAML kept from one build to
 * the next.
 *
 * Parsing the YAML of every file is the largest cost of loading a bank,
 * and between two builds nearly every file is the same. The cache maps
 * the bytes of a front matter and the line it starts on to the tree the
 * YAML parser made of them, packed (pk_value_pack). Only the parse is cached: every file is still
 * read, split and checked against the schema and vocabularies on every
 * build, so a changed rule or vocabulary is never missed, and a front
 * matter whose parse reported anything is not cached, so its messages
 * come again.
 *
 * A build opens the cache (its index only: the entries stay on disk and
 * the loader's workers read the ones they need), and the main thread
 * writes every entry the build used, found or parsed, in load order, to a
 * new file beside it; pk_fmcache_commit puts that in place of the old one
 * when the site was written. So the cache holds exactly what the last
 * build read and never grows with old versions.
 *
 * The file holds every field of every file, consented to or not, so it
 * is never put where a site is published or a bank committed: the build
 * keeps it in the user's cache folder (cli/build.c), readable by the
 * user only.
 *
 * An entry is keyed by two 64-bit hashes of its text and carries a
 * checksum of its bytes; the whole cache belongs to one program (a key
 * naming its version and binary). A missing, damaged or foreign cache is
 * an empty one: it can slow a build down, never change what it makes.
 */
#ifndef PK_CONTENT_FMCACHE_H
#define PK_CONTENT_FMCACHE_H

#include "core/buf.h"
#include "core/diag.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct pk_fmcache pk_fmcache;

/* What loading one file leaves for the cache: its key and its packed
 * tree, as parsed (before a source's defaults are added). */
typedef struct {
	uint64_t key[2];
	pk_buf bytes;    /* empty when there is no cache (or nothing parsed) */
	bool cacheable;  /* the parse reported nothing: bytes may be kept */
} pk_fmcache_entry;

/* Opens the cache in file for a build by the program that program names
 * (any bytes that change when the program does) and starts the new one
 * beside it (file-XXXXXX, mode 0600). Never fails: without a usable old
 * cache every lookup misses; without room for the new one nothing is
 * kept. */
pk_fmcache *pk_fmcache_open(const char *file, const void *program, size_t program_len);
/* Like pk_frontmatter_parse, but a front matter found in cache is
 * unpacked instead of parsed; entry gets its key and packed tree. cache
 * may be NULL (a plain parse, entry left empty). Safe on worker threads;
 * the caller releases entry->bytes. */
int pk_fmcache_parse(pk_fmcache *cache, pk_value **meta, pk_frontmatter *fm, const char *text,
		     size_t len, const char *path, pk_fmcache_entry *entry, pk_diags *diags);
/* Writes a cacheable entry into the new cache (once per key); main thread
 * only, in load order. Returns its place there for pk_fmcache_unpack, or
 * 0 when it was not kept. entry is left as it is. */
uint32_t pk_fmcache_keep(pk_fmcache *cache, const pk_fmcache_entry *entry);
/* Makes what pk_fmcache_keep wrote readable by pk_fmcache_unpack; main
 * thread, before the workers that read it start. */
void pk_fmcache_flush(pk_fmcache *cache);
/* The tree of entry ref of the new cache, read back from the file: a
 * build keeps a practice's whole front matter there rather than in
 * memory until its page is rendered. NULL if it cannot be read back (or
 * was changed by someone else since). Safe on worker threads. */
pk_value *pk_fmcache_unpack(pk_fmcache *cache, uint32_t ref);
/* Replaces the old cache with the new one; call after the site was
 * written. The old cache is no longer read afterwards. */
void pk_fmcache_commit(pk_fmcache *cache);
/* Closes the cache; a new one not committed is removed. NULL is a no-op. */
void pk_fmcache_free(pk_fmcache *cache);

typedef struct {
	size_t found, parsed; /* front matters unpacked from the cache, parsed */
	size_t kept;          /* entries written to the new cache */
} pk_fmcache_stats;

pk_fmcache_stats pk_fmcache_stats_of(const pk_fmcache *cache);

#endif
