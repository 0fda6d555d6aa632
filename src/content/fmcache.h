/*
 * fmcache.h: the front-matter cache, parsed YAML kept from one build to
 * the next.
 *
 * Parsing the YAML of every file is the largest cost of loading a bank,
 * and between two builds nearly every file is the same. The cache maps
 * the bytes of a front matter and the line it starts on to the tree the
 * YAML parser made of them, packed (pk_value_pack). A front matter whose
 * parse reported anything is not cached, so its messages come again.
 * Besides front matters it keeps records derived from them (a practice's
 * checked fields, content/doc.h) under keys made of the front matter's key
 * and of everything else they were derived from — the vocabularies, a
 * source's defaults; the program is the cache's own key — so a changed
 * rule or vocabulary is never missed, and only a load that reported
 * nothing leaves a record.
 *
 * A build opens the cache (its index only: the entries stay on disk and
 * the loader's workers read the ones they need), and the main thread
 * keeps every entry the build used, found or parsed, in load order, in a
 * new file beside it; pk_fmcache_commit puts that in place of the old one
 * when the site was written. So the index holds exactly what the last
 * build read. The new file is a journal over the old cache, which stays,
 * when the last build left a small journal and used most of the cache:
 * only the entries not in the old cache are written, and the index
 * (fmcache.c tells the format); else it is a whole new cache. Whether
 * the journal grew to a quarter of the cache, or half of the cache went
 * unused, is looked at when the next build opens it, so a build that
 * changed everything still writes a journal, and the build after it a
 * whole cache, which drops the old versions.
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
#include <sys/stat.h>

typedef struct pk_fmcache pk_fmcache;

/* A file as its source's stat saw it: which file, and when it changed. */
typedef struct {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
} pk_fmcache_sig;

/* What reading a file found besides its front matter: where its body
 * lies and what it hashes to. */
typedef struct {
	pk_fmcache_sig sig;    /* taken before the file was read */
	uint64_t body_off, body_len, body_hash;
	int64_t body_line;
} pk_fmcache_file;

/* What loading one file leaves for the cache: its key and its packed
 * tree, as parsed (before a source's defaults are added), and, for a
 * file its source could stat, the file's record. */
typedef struct {
	uint64_t key[2];
	pk_buf bytes;    /* empty when there is no cache (or nothing parsed) */
	bool cacheable;  /* the parse reported nothing: bytes may be kept */
	bool has_file;   /* file is filled: the next build may trust it */
	uint32_t found;  /* the tree came from the old cache: its place + 1 */
	pk_fmcache_file file;
} pk_fmcache_entry;

/* From a stat of the file (pk_source_stat). */
void pk_fmcache_sig_of(pk_fmcache_sig *sig, const struct stat *st);

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
/* The key a front matter is cached under: its YAML and the line it
 * starts on. */
void pk_fmcache_key(uint64_t key[2], const pk_frontmatter *fm);
/* Whether last build left a record of file rel of source (so a stat
 * may spare reading it); safe on worker threads. */
bool pk_fmcache_has_file(pk_fmcache *cache, const char *source, const char *rel);
/*
 * The file records: a file the last build read, split and parsed without
 * a message is known by its stat signature, so a build that finds it
 * with the same one, and not changed within a clock tick of the build
 * that recorded it (the racily-clean rule of source/inputs.h), trusts
 * what that build found instead of reading and splitting the file again:
 * its front matter is unpacked from the cache and its body is where it
 * was. (Its front matter is still checked, unless a practice's record
 * stands for the checks, content/doc.h; its body is read again, and its
 * hash compared, only when a page shows it.) True, with *meta and
 * entry filled as pk_fmcache_parse fills them, when rel of the source
 * named source is known with sig; safe on worker threads.
 */
bool pk_fmcache_known(pk_fmcache *cache, pk_value **meta, const char *source, const char *rel,
		      const pk_fmcache_sig *sig, pk_fmcache_entry *entry);
/* The same without unpacking: entry gets the file record and the packed
 * tree, for a caller that may do with a record derived from the tree
 * (pk_fmcache_find) and keeps the tree itself in the cache. A tree the
 * new cache takes from the old one as it is (the base of a build that
 * appends) is not read: entry->bytes stays empty, and pk_fmcache_fetch
 * reads them, checked, if they are wanted after all; any other is read
 * and checked now. Safe on worker threads. */
bool pk_fmcache_known_bytes(pk_fmcache *cache, const char *source, const char *rel,
			    const pk_fmcache_sig *sig, pk_fmcache_entry *entry);
/* The bytes pk_fmcache_known_bytes left in the old cache, read into
 * entry->bytes and checked; true when entry->bytes holds them (at once
 * when it did already). Safe on worker threads, until pk_fmcache_commit. */
bool pk_fmcache_fetch(pk_fmcache *cache, pk_fmcache_entry *entry);
/* The tree of an entry pk_fmcache_known_bytes filled; NULL (and the
 * entry as if the file were not known) if its bytes do not unpack. */
pk_value *pk_fmcache_known_tree(pk_fmcache *cache, pk_fmcache_entry *entry);
/* Any bytes the last build kept under key (a record derived from a front
 * matter, under a key made from the front matter's and from everything
 * else it was derived from), checked, into entry, ready for
 * pk_fmcache_keep; false when there are none. Safe on worker threads. */
bool pk_fmcache_find(pk_fmcache *cache, const uint64_t key[2], pk_fmcache_entry *entry);
/* Writes a cacheable entry into the new cache (once per key) and, when
 * it has one, the file record of rel of source; main thread only, in
 * load order. Returns the entry's place there for pk_fmcache_unpack, or
 * 0 when it was not kept. entry is left as it is. */
uint32_t pk_fmcache_keep(pk_fmcache *cache, const pk_fmcache_entry *entry, const char *source,
			 const char *rel);
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
	size_t known;         /* of found: files not read at all (file records) */
	size_t records;       /* derived records found (pk_fmcache_find) */
	size_t kept;          /* entries of the new cache */
	size_t written;       /* of which written by this build (the rest: in the base) */
	bool journal;         /* this build wrote a journal over the base */
} pk_fmcache_stats;

pk_fmcache_stats pk_fmcache_stats_of(const pk_fmcache *cache);

#endif
