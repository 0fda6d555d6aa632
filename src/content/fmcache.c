/*
 * fmcache.c: the front-matter cache (see fmcache.h).
 *
 * The cache is two files of one format, the base (the cache's own name)
 * and a journal beside it (".journal"), each in the byte order of the
 * machine that wrote it (a cache moved elsewhere fails its checks and is
 * ignored):
 *
 *   "praktika-fmcache 3\n"   header
 *   entry bytes ...          each a tree as pk_value_pack wrote it
 *   index                    per entry: key (2 × u64), offset (u64),
 *                            length (u32), checksum of the bytes (u64)
 *   file records             core/record.h text: a section "files" of
 *                            source, path, stat signature, entry key and
 *                            body (offset, length, hash, line), sealed
 *   footer                   index offset, entry count, checksum of the
 *                            index, program key, file records' offset
 *                            and length, the base's generation (0 in a
 *                            base), when the build that wrote the file
 *                            started, the file's own generation, a
 *                            checksum of these nine (10 × u64),
 *                            "pkfmc-4\n"
 *
 * A build that found a base and changed little of it leaves the base as
 * it is and writes a journal instead: the entries that are not in the
 * base, then an index of every entry the build used, those of the base
 * marked by offset (the top bit of the offset set means "in the
 * journal"), and every file record. A journal counts only beside the
 * base whose generation it names; a build that writes a new base (the
 * first one, or when it finds the journal grown to a quarter of the
 * base, or half of the base no longer used) removes the journal. So an
 * edit costs the journal, not the whole cache, and what the index holds
 * is still exactly what the last build read.
 *
 * The footer is read first: a file cut short or of another program is
 * ignored whole (a journal also when its base is not the one it names);
 * an entry whose bytes fail their checksum is a miss; file records that
 * fail their seal are none.
 */
#include "content/fmcache.h"
#include "core/hash.h"
#include "core/record.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEADER "praktika-fmcache 4\n"
#define HEADER_LEN (sizeof(HEADER) - 1)
#define FOOTER_MAGIC "pkfmc-4\n"
#define FOOTER_WORDS 10  /* the last: a checksum of the others */
#define FOOTER_LEN (FOOTER_WORDS * 8 + 8)
/* A file whose times fall this close to the start of the build that
 * recorded it is racily clean: never trusted (as in source/inputs.c). */
#define RACY_NS 1000000000LL
#define INDEX_ENTRY_LEN (8 + 8 + 8 + 4 + 8)
#define MAX_ENTRY (64u << 20)  /* no front matter packs to more */
#define FLUSH_AT (1u << 20)
#define IN_JOURNAL_BIT (1ull << 63) /* of an offset in a journal's index */

/* Which file an entry's bytes are in. */
typedef enum {
	IN_BASE,     /* the base (old or, when appending, kept) */
	IN_JOURNAL,  /* the old journal */
	IN_NEW       /* the file this build writes */
} entry_file;

typedef struct {
	uint64_t key[2];
	uint64_t off;
	uint32_t len;
	uint8_t file;  /* entry_file */
	uint64_t check;
} index_entry;

/* What a footer says. */
typedef struct {
	uint64_t index_off, count, check, program, files_off, files_len;
	uint64_t base_gen;    /* a journal's base; 0 in a base */
	uint64_t started_ns;  /* when the build that wrote the file started */
	uint64_t gen;         /* this file's generation */
} footer;

/* Entries and an open-addressing table over them (slot: entry + 1). */
typedef struct {
	index_entry *items;
	size_t len, cap;
	uint32_t *slots;
	size_t mask;         /* slots - 1; 0 while there is no table */
} index_set;

struct pk_fmcache {
	char *file;              /* where the cache's base is */
	char *journal;           /* and its journal */
	uint64_t program;
	int base_fd;             /* the base, -1 when not usable */
	uint64_t base_gen;       /* its generation */
	uint64_t base_end;       /* where its entries end */
	int journal_fd;          /* the old journal, -1 when none counts */
	index_set old;           /* what the last build used */
	bool appending;          /* this build writes a journal, not a base */
	char *tmp_path;          /* the new file, NULL when it could not be made */
	int new_fd;
	bool broken;             /* a write failed: the new cache is dropped */
	uint64_t written;        /* bytes of the new file so far */
	uint64_t flushed;        /* of which are in the file */
	pk_buf pending;          /* written but not yet flushed */
	index_set fresh;
	atomic_size_t found, parsed, known, records;
	int64_t started_ns;      /* when this build opened the cache */
	int64_t old_started_ns;  /* when the build that wrote the old one did */
	pk_strmap old_files;     /* "source\0rel" → pk_fmcache_file_rec * (owned) */
	pk_buf files;            /* the new cache's file records, as text */
	size_t files_len;        /* how many */
	size_t written_entries;  /* entries written into the new file */
};

/* A file record of the old cache. */
typedef struct {
	pk_fmcache_file file;
	uint64_t key[2];
} file_rec;

/* ---- the index -------------------------------------------------------- */

static long index_find(const index_set *s, const uint64_t key[2])
{
	size_t i;
	if (!s->mask)
		return -1;
	for (i = key[0] & s->mask; s->slots[i]; i = (i + 1) & s->mask) {
		const index_entry *e = &s->items[s->slots[i] - 1];
		if (e->key[0] == key[0] && e->key[1] == key[1])
			return (long)(s->slots[i] - 1);
	}
	return -1;
}

/* Puts entry i into the first free slot from its key's. */
static void slot_insert(index_set *s, size_t i)
{
	size_t j;
	for (j = s->items[i].key[0] & s->mask; s->slots[j]; j = (j + 1) & s->mask)
		;
	s->slots[j] = (uint32_t)(i + 1);
}

static void index_rehash(index_set *s, size_t slots)
{
	size_t i;
	free(s->slots);
	s->slots = pk_xcalloc(slots, sizeof(*s->slots));
	s->mask = slots - 1;
	for (i = 0; i < s->len; i++)
		slot_insert(s, i);
}

static void index_add(index_set *s, const index_entry *e)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->items = pk_xreallocarray(s->items, s->cap, sizeof(*s->items));
	}
	s->items[s->len++] = *e;
	if (2 * s->len > s->mask) /* at most half full */
		index_rehash(s, s->mask ? 2 * (s->mask + 1) : 512);
	else
		slot_insert(s, s->len - 1);
}

static void index_release(index_set *s)
{
	free(s->items);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static void put_u64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get_u64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void encode_entry(unsigned char *p, const index_entry *e)
{
	put_u64(p, e->key[0]);
	put_u64(p + 8, e->key[1]);
	put_u64(p + 16, e->off);
	memcpy(p + 24, &e->len, 4);
	put_u64(p + 28, e->check);
}

static void decode_entry(index_entry *e, const unsigned char *p)
{
	e->key[0] = get_u64(p);
	e->key[1] = get_u64(p + 8);
	e->off = get_u64(p + 16);
	memcpy(&e->len, p + 24, 4);
	e->check = get_u64(p + 28);
}

/* ---- reading the old cache ---------------------------------------------- */

static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

/* "source\0rel": what a file record is found by. */
static void files_key(pk_buf *key, pk_slice source, pk_slice rel)
{
	pk_buf_clear(key);
	pk_buf_put(key, source.p, source.len);
	pk_buf_putc(key, '\0');
	pk_buf_put(key, rel.p, rel.len);
}

static void drop_old_files(pk_fmcache *c)
{
	size_t i;
	for (i = 0; i < c->old_files.len; i++)
		free(c->old_files.entries[i].value);
	pk_strmap_release(&c->old_files);
}

/* Reads the old cache's file records (len bytes at off); none at all
 * when they fail their seal or are not well formed. */
static void load_files(pk_fmcache *c, int fd, uint64_t off, uint64_t len)
{
	pk_record_reader r;
	pk_buf text = PK_BUF_INIT, key = PK_BUF_INIT;
	uint64_t n, i;

	pk_buf_grow(&text, (size_t)len + 1);
	if (!read_at(fd, text.ptr, (size_t)len, off) || !pk_record_open(&r, text.ptr, (size_t)len)) {
		pk_buf_release(&text);
		return;
	}
	n = pk_record_section(&r, "files");
	for (i = 0; i < n && r.ok; i++) {
		pk_slice source = pk_record_str(&r), rel = pk_record_str(&r);
		file_rec *f = pk_xcalloc(1, sizeof(*f));
		f->file.sig.dev = pk_record_u64(&r);
		f->file.sig.ino = pk_record_u64(&r);
		f->file.sig.size = pk_record_u64(&r);
		f->file.sig.mtime_ns = pk_record_i64(&r);
		f->file.sig.ctime_ns = pk_record_i64(&r);
		f->key[0] = pk_record_u64(&r);
		f->key[1] = pk_record_u64(&r);
		f->file.body_off = pk_record_u64(&r);
		f->file.body_len = pk_record_u64(&r);
		f->file.body_hash = pk_record_u64(&r);
		f->file.body_line = pk_record_i64(&r);
		if (!pk_record_at_end(&r))
			r.ok = false;
		files_key(&key, source, rel);
		if (!r.ok || pk_strmap_add(&c->old_files, key.ptr, key.len, f) != PK_OK)
			free(f);
	}
	if (!pk_record_done(&r))
		drop_old_files(c);
	pk_buf_release(&text);
	pk_buf_release(&key);
}

/* The footer of the open file fd, checked against its size and the
 * program; false if it is not one this program wrote. */
static bool read_footer(int fd, uint64_t program, footer *f)
{
	unsigned char raw[FOOTER_LEN], head[HEADER_LEN];
	uint64_t size, w[FOOTER_WORDS];
	struct stat st;
	size_t i;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < HEADER_LEN + FOOTER_LEN)
		return false;
	size = (uint64_t)st.st_size;
	if (!read_at(fd, head, HEADER_LEN, 0) || memcmp(head, HEADER, HEADER_LEN) ||
	    !read_at(fd, raw, FOOTER_LEN, size - FOOTER_LEN) ||
	    memcmp(raw + FOOTER_WORDS * 8, FOOTER_MAGIC, 8))
		return false;
	for (i = 0; i < FOOTER_WORDS; i++)
		w[i] = get_u64(raw + 8 * i);
	*f = (footer){ .index_off = w[0], .count = w[1], .check = w[2], .program = w[3],
		       .files_off = w[4], .files_len = w[5], .base_gen = w[6],
		       .started_ns = w[7], .gen = w[8] };
	/* the sections in order, each within the file: header, entries,
	 * index, file records, footer (no sum can wrap around) */
	return w[9] == pk_hash64(raw, 8 * (FOOTER_WORDS - 1)) && f->program == program &&
	       f->files_len <= size - FOOTER_LEN &&
	       f->files_off == size - FOOTER_LEN - f->files_len && f->index_off >= HEADER_LEN &&
	       f->index_off <= f->files_off &&
	       f->count == (f->files_off - f->index_off) / INDEX_ENTRY_LEN &&
	       (f->files_off - f->index_off) % INDEX_ENTRY_LEN == 0;
}

/* Reads the index and the file records of fd, whose footer is f: the
 * base's own, or a journal's over the base. False if the index is not
 * what was written. */
static bool load_old(pk_fmcache *c, int fd, const footer *f, bool journal)
{
	unsigned char *raw = pk_xmalloc(f->count * INDEX_ENTRY_LEN + 1);
	bool ok = read_at(fd, raw, f->count * INDEX_ENTRY_LEN, f->index_off) &&
		  pk_hash64(raw, f->count * INDEX_ENTRY_LEN) == f->check;
	uint64_t i;

	for (i = 0; ok && i < f->count; i++) {
		index_entry e;
		uint64_t end;
		decode_entry(&e, raw + i * INDEX_ENTRY_LEN);
		e.file = journal && (e.off & IN_JOURNAL_BIT) ? IN_JOURNAL : IN_BASE;
		e.off &= ~IN_JOURNAL_BIT;
		end = e.file == IN_JOURNAL ? f->index_off : c->base_end;
		if (e.off >= HEADER_LEN && e.len && e.len <= MAX_ENTRY && e.off + e.len <= end &&
		    index_find(&c->old, e.key) < 0)
			index_add(&c->old, &e);
	}
	free(raw);
	if (ok) {
		c->old_started_ns = (int64_t)f->started_ns;
		load_files(c, fd, f->files_off, f->files_len);
	} else {
		index_release(&c->old);
	}
	return ok;
}

/* Whether this build should write a journal over the base rather than a
 * new base: while the journal's entries weigh under a quarter of the
 * base's and at least half of the base is still in use. */
static bool worth_appending(const pk_fmcache *c)
{
	uint64_t in_base = 0, in_journal = 0, base_bytes = c->base_end - HEADER_LEN;
	size_t i;

	for (i = 0; i < c->old.len; i++) {
		if (c->old.items[i].file == IN_BASE)
			in_base += c->old.items[i].len;
		else
			in_journal += c->old.items[i].len;
	}
	return in_journal <= base_bytes / 4 && in_base >= base_bytes / 2;
}

/* Opens the base and, when it names this base, the journal, and reads
 * the index of the newer of the two. */
static void open_old(pk_fmcache *c)
{
	int fd = open(c->file, O_RDONLY | O_CLOEXEC), jfd;
	footer base, journal;

	if (fd < 0)
		return;
	if (!read_footer(fd, c->program, &base) || base.base_gen || !base.gen) {
		close(fd);
		return;
	}
	c->base_fd = fd;
	c->base_gen = base.gen;
	c->base_end = base.index_off;
	jfd = open(c->journal, O_RDONLY | O_CLOEXEC);
	if (jfd >= 0 && read_footer(jfd, c->program, &journal) && journal.base_gen == base.gen &&
	    load_old(c, jfd, &journal, true)) {
		c->journal_fd = jfd;
	} else {
		if (jfd >= 0)
			close(jfd);
		drop_old_files(c);
		if (!load_old(c, fd, &base, false)) {
			drop_old_files(c);
			close(fd);
			c->base_fd = -1;
			return;
		}
	}
	c->appending = worth_appending(c);
}

/* ---- writing the new cache -------------------------------------------- */

static void flush_pending(pk_fmcache *c)
{
	size_t done = 0;
	while (!c->broken && done < c->pending.len) {
		ssize_t n = write(c->new_fd, c->pending.ptr + done, c->pending.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			c->broken = true;
		else
			done += (size_t)n;
	}
	pk_buf_clear(&c->pending);
	if (!c->broken)
		c->flushed = c->written;
}

static void put(pk_fmcache *c, const void *bytes, size_t len)
{
	pk_buf_put(&c->pending, bytes, len);
	c->written += len;
	if (c->pending.len >= FLUSH_AT)
		flush_pending(c);
}

static void open_new(pk_fmcache *c)
{
	pk_buf path = PK_BUF_INIT;
	int fd;

	pk_buf_printf(&path, "%s-XXXXXX", c->appending ? c->journal : c->file);
	if ((fd = mkstemp(path.ptr)) < 0) {
		pk_buf_release(&path);
		return;
	}
	c->new_fd = fd;
	c->tmp_path = pk_buf_detach(&path);
	put(c, HEADER, HEADER_LEN);
}

pk_fmcache *pk_fmcache_open(const char *file, const void *program, size_t program_len)
{
	pk_fmcache *c = pk_xcalloc(1, sizeof(*c));
	pk_buf journal = PK_BUF_INIT;
	struct timespec now;

	c->file = pk_xstrdup(file);
	pk_buf_printf(&journal, "%s.journal", file);
	c->journal = pk_buf_detach(&journal);
	c->program = pk_hash64(program, program_len);
	clock_gettime(CLOCK_REALTIME, &now);
	c->started_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
	c->base_fd = -1;
	c->journal_fd = -1;
	c->new_fd = -1;
	pk_buf_init(&c->pending);
	pk_buf_init(&c->files);
	atomic_init(&c->found, 0);
	atomic_init(&c->parsed, 0);
	atomic_init(&c->known, 0);
	atomic_init(&c->records, 0);
	open_old(c);
	open_new(c);
	return c;
}

static void keep_file(pk_fmcache *c, const pk_fmcache_entry *entry, const char *source,
		      const char *rel)
{
	const pk_fmcache_file *f = &entry->file;

	if (!entry->has_file)
		return;
	pk_record_put_str(&c->files, source, strlen(source));
	pk_record_put_str(&c->files, rel, strlen(rel));
	pk_record_put_u64(&c->files, f->sig.dev);
	pk_record_put_u64(&c->files, f->sig.ino);
	pk_record_put_u64(&c->files, f->sig.size);
	pk_record_put_i64(&c->files, f->sig.mtime_ns);
	pk_record_put_i64(&c->files, f->sig.ctime_ns);
	pk_record_put_u64(&c->files, entry->key[0]);
	pk_record_put_u64(&c->files, entry->key[1]);
	pk_record_put_u64(&c->files, f->body_off);
	pk_record_put_u64(&c->files, f->body_len);
	pk_record_put_u64(&c->files, f->body_hash);
	pk_record_put_i64(&c->files, f->body_line);
	pk_record_end(&c->files);
	c->files_len++;
}

/* Whether the bytes of an entry found in the old cache stay where they
 * are: in the base, which a build that appends keeps. */
static bool stays_in_base(const pk_fmcache *c, const pk_fmcache_entry *entry)
{
	return c && c->appending && entry->found && entry->found <= c->old.len &&
	       c->old.items[entry->found - 1].file == IN_BASE;
}

uint32_t pk_fmcache_keep(pk_fmcache *c, const pk_fmcache_entry *entry, const char *source,
			 const char *rel)
{
	bool stays = stays_in_base(c, entry);
	index_entry e;
	long i;

	if (!c || !c->tmp_path || c->broken || !entry->cacheable ||
	    !(entry->bytes.len || stays) || entry->bytes.len > MAX_ENTRY ||
	    c->fresh.len >= UINT32_MAX - 1)
		return 0;
	keep_file(c, entry, source, rel);
	if ((i = index_find(&c->fresh, entry->key)) >= 0)
		return (uint32_t)i + 1;
	if (stays) {
		e = c->old.items[entry->found - 1]; /* read from the base, which stays */
	} else {
		e.key[0] = entry->key[0];
		e.key[1] = entry->key[1];
		e.off = c->written;
		e.len = (uint32_t)entry->bytes.len;
		e.file = IN_NEW;
		e.check = pk_hash64(entry->bytes.ptr, entry->bytes.len);
		put(c, entry->bytes.ptr, entry->bytes.len);
		c->written_entries++;
	}
	index_add(&c->fresh, &e);
	return (uint32_t)c->fresh.len;
}

void pk_fmcache_flush(pk_fmcache *c)
{
	if (c && c->tmp_path)
		flush_pending(c);
}

/* The bytes of e into *bytes, checked; false if they are not what was
 * written (or not yet flushed to the new file). */
static bool read_entry(const pk_fmcache *c, const index_entry *e, pk_buf *bytes)
{
	int fd = e->file == IN_BASE ? c->base_fd : e->file == IN_JOURNAL ? c->journal_fd : c->new_fd;

	pk_buf_clear(bytes);
	if (fd < 0 || (e->file == IN_NEW && e->off + e->len > c->flushed))
		return false;
	pk_buf_grow(bytes, e->len);
	if (!read_at(fd, bytes->ptr, e->len, e->off) || pk_hash64(bytes->ptr, e->len) != e->check)
		return false;
	bytes->len = e->len;
	return true;
}

/* A tree unpacked from bytes, if it is a map. */
static pk_value *unpack_map(const pk_buf *bytes)
{
	pk_value *tree = pk_value_unpack(bytes->ptr, bytes->len);
	if (tree && tree->type != PK_VALUE_MAP) {
		pk_value_free(tree);
		tree = NULL;
	}
	return tree;
}

pk_value *pk_fmcache_unpack(pk_fmcache *c, uint32_t ref)
{
	pk_buf bytes = PK_BUF_INIT;
	const index_entry *e;
	pk_value *tree = NULL;

	if (!c || !ref || ref > c->fresh.len)
		return NULL;
	e = &c->fresh.items[ref - 1];
	if (read_entry(c, e, &bytes))
		tree = unpack_map(&bytes);
	pk_buf_release(&bytes);
	return tree;
}

static void close_old(pk_fmcache *c)
{
	if (c->base_fd >= 0)
		close(c->base_fd);
	if (c->journal_fd >= 0)
		close(c->journal_fd);
	c->base_fd = c->journal_fd = -1;
	index_release(&c->old);
	drop_old_files(c);
}

static void drop_new(pk_fmcache *c)
{
	if (c->new_fd >= 0)
		close(c->new_fd);
	c->new_fd = -1;
	if (c->tmp_path)
		unlink(c->tmp_path);
	free(c->tmp_path);
	c->tmp_path = NULL;
}

/* A generation no other file is likely to have (never 0). */
static uint64_t new_generation(const pk_fmcache *c)
{
	struct {
		int64_t started_ns;
		struct timespec now;
		pid_t pid;
		const void *self;
	} seed;
	uint64_t gen;

	memset(&seed, 0, sizeof(seed));
	seed.started_ns = c->started_ns;
	clock_gettime(CLOCK_MONOTONIC, &seed.now);
	seed.pid = getpid();
	seed.self = c;
	gen = pk_hash64(&seed, sizeof(seed));
	return gen ? gen : 1;
}

/* Appends the index of every entry the build used, the file records and
 * the footer to the new file. */
static void put_index_and_footer(pk_fmcache *c)
{
	unsigned char rec[INDEX_ENTRY_LEN], tail[FOOTER_LEN];
	pk_buf index = PK_BUF_INIT, files = PK_BUF_INIT;
	uint64_t words[FOOTER_WORDS];
	size_t i;

	words[0] = c->written;
	for (i = 0; i < c->fresh.len; i++) {
		index_entry e = c->fresh.items[i];
		if (c->appending && e.file == IN_NEW)
			e.off |= IN_JOURNAL_BIT;
		encode_entry(rec, &e);
		pk_buf_put(&index, rec, sizeof(rec));
	}
	words[1] = c->fresh.len;
	words[2] = pk_hash64(index.ptr ? index.ptr : "", index.len);
	put(c, index.ptr ? index.ptr : "", index.len);
	words[3] = c->program;
	words[4] = c->written;
	pk_record_put_section(&files, "files", c->files_len);
	pk_buf_put(&files, c->files.ptr ? c->files.ptr : "", c->files.len);
	pk_record_seal(&files);
	put(c, files.ptr, files.len);
	words[5] = files.len;
	words[6] = c->appending ? c->base_gen : 0;
	words[7] = (uint64_t)c->started_ns;
	words[8] = new_generation(c);
	for (i = 0; i + 1 < FOOTER_WORDS; i++)
		put_u64(tail + 8 * i, words[i]);
	put_u64(tail + 8 * (FOOTER_WORDS - 1), pk_hash64(tail, 8 * (FOOTER_WORDS - 1)));
	memcpy(tail + FOOTER_WORDS * 8, FOOTER_MAGIC, 8);
	put(c, tail, sizeof(tail));
	pk_buf_release(&index);
	pk_buf_release(&files);
}

void pk_fmcache_commit(pk_fmcache *c)
{
	if (!c || !c->tmp_path)
		return;
	close_old(c);
	put_index_and_footer(c);
	flush_pending(c);
	if (!c->broken && close(c->new_fd) == 0) {
		c->new_fd = -1;
		if (rename(c->tmp_path, c->appending ? c->journal : c->file) == 0) {
			free(c->tmp_path);
			c->tmp_path = NULL;
			if (!c->appending) /* it was over the old base */
				unlink(c->journal);
		}
	}
	drop_new(c); /* whatever could not be put in place */
}

void pk_fmcache_free(pk_fmcache *c)
{
	if (!c)
		return;
	close_old(c);
	drop_new(c);
	index_release(&c->fresh);
	pk_buf_release(&c->pending);
	pk_buf_release(&c->files);
	free(c->file);
	free(c->journal);
	free(c);
}

pk_fmcache_stats pk_fmcache_stats_of(const pk_fmcache *c)
{
	pk_fmcache_stats s = { 0, 0, 0, 0, 0, 0, false };
	if (c) {
		s.found = atomic_load(&((pk_fmcache *)c)->found);
		s.parsed = atomic_load(&((pk_fmcache *)c)->parsed);
		s.known = atomic_load(&((pk_fmcache *)c)->known);
		s.records = atomic_load(&((pk_fmcache *)c)->records);
		s.kept = c->fresh.len;
		s.written = c->written_entries;
		s.journal = c->appending;
	}
	return s;
}

/* ---- lookups, on the loader's workers ------------------------------------ */

void pk_fmcache_key(uint64_t key[2], const pk_frontmatter *fm)
{
	uint64_t line = (uint64_t)fm->yaml_line;
	key[0] = pk_hash64_seeded(fm->yaml.p, fm->yaml.len, 0x51ED270B27D4EB4Full ^ line);
	key[1] = pk_hash64_seeded(fm->yaml.p, fm->yaml.len, 0x27D4EB2F165667C5ull + line);
}

/* The cached tree under key, or NULL; its bytes are left in
 * entry->bytes, and entry->found says where it was. */
static pk_value *find(pk_fmcache *c, const uint64_t key[2], pk_fmcache_entry *entry)
{
	long i = c->base_fd >= 0 ? index_find(&c->old, key) : -1;
	pk_value *tree;

	entry->found = 0;
	if (i < 0 || !read_entry(c, &c->old.items[i], &entry->bytes))
		return NULL;
	if ((tree = unpack_map(&entry->bytes)))
		entry->found = (uint32_t)i + 1;
	return tree;
}

int pk_fmcache_parse(pk_fmcache *c, pk_value **meta, pk_frontmatter *fm, const char *text,
		     size_t len, const char *path, pk_fmcache_entry *entry, pk_diags *diags)
{
	size_t before = diags ? diags->len : 0;
	int rc;

	*meta = NULL;
	if (entry)
		entry->has_file = false;
	if (!c)
		return pk_frontmatter_parse(meta, fm, text, len, path, diags);
	if ((rc = pk_frontmatter_split(fm, text, len, path, true, diags)) != PK_OK)
		return rc;
	pk_fmcache_key(entry->key, fm);
	if ((*meta = find(c, entry->key, entry))) {
		atomic_fetch_add(&c->found, 1);
		entry->cacheable = true;
		return PK_OK;
	}
	pk_buf_clear(&entry->bytes);
	atomic_fetch_add(&c->parsed, 1);
	rc = pk_frontmatter_parse_split(meta, fm, path, diags);
	if (rc == PK_OK && !pk_value_pack(&entry->bytes, *meta))
		pk_buf_clear(&entry->bytes);
	/* only a parse that said nothing: a found entry must say the same */
	entry->cacheable = rc == PK_OK && entry->bytes.len && diags && diags->len == before;
	return rc;
}

void pk_fmcache_sig_of(pk_fmcache_sig *sig, const struct stat *st)
{
	sig->dev = (uint64_t)st->st_dev;
	sig->ino = (uint64_t)st->st_ino;
	sig->size = (uint64_t)st->st_size;
	sig->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	sig->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

static bool same_sig(const pk_fmcache_sig *a, const pk_fmcache_sig *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

bool pk_fmcache_has_file(pk_fmcache *c, const char *source, const char *rel)
{
	pk_buf key = PK_BUF_INIT;
	bool has;

	if (!c || c->base_fd < 0 || !c->old_files.len)
		return false;
	files_key(&key, (pk_slice){ source, strlen(source) }, (pk_slice){ rel, strlen(rel) });
	has = pk_strmap_get(&c->old_files, key.ptr, key.len) != NULL;
	pk_buf_release(&key);
	return has;
}

/* The file record of rel of source, if the last build left one that
 * holds for a file with sig, else NULL. */
static const file_rec *known_file(pk_fmcache *c, const char *source, const char *rel,
				  const pk_fmcache_sig *sig)
{
	pk_buf key = PK_BUF_INIT;
	const file_rec *f;

	if (!c || c->base_fd < 0 || !c->old_files.len)
		return NULL;
	files_key(&key, (pk_slice){ source, strlen(source) }, (pk_slice){ rel, strlen(rel) });
	f = pk_strmap_get(&c->old_files, key.ptr, key.len);
	pk_buf_release(&key);
	if (!f || !same_sig(&f->file.sig, sig) || sig->mtime_ns >= c->old_started_ns - RACY_NS ||
	    sig->ctime_ns >= c->old_started_ns - RACY_NS || f->file.body_off > sig->size ||
	    f->file.body_len > sig->size - f->file.body_off)
		return NULL;
	return f;
}

/* Reads the bytes under key into entry, checked; false if there are none.
 * lazy: bytes that stay in the base (stays_in_base) are left there, entry
 * only saying where (pk_fmcache_fetch reads them). */
static bool find_bytes(pk_fmcache *c, const uint64_t key[2], pk_fmcache_entry *entry, bool lazy)
{
	long i = c->base_fd >= 0 ? index_find(&c->old, key) : -1;

	entry->found = i >= 0 ? (uint32_t)i + 1 : 0;
	pk_buf_clear(&entry->bytes);
	if (i < 0 || (!(lazy && stays_in_base(c, entry)) &&
		      !read_entry(c, &c->old.items[i], &entry->bytes))) {
		pk_buf_clear(&entry->bytes);
		entry->found = 0;
		return false;
	}
	entry->key[0] = key[0];
	entry->key[1] = key[1];
	entry->cacheable = true;
	return true;
}

bool pk_fmcache_known_bytes(pk_fmcache *c, const char *source, const char *rel,
			    const pk_fmcache_sig *sig, pk_fmcache_entry *entry)
{
	const file_rec *f = known_file(c, source, rel, sig);

	if (!f || !find_bytes(c, f->key, entry, true))
		return false;
	entry->has_file = true;
	entry->file = f->file;
	atomic_fetch_add(&c->found, 1);
	atomic_fetch_add(&c->known, 1);
	return true;
}

bool pk_fmcache_fetch(pk_fmcache *c, pk_fmcache_entry *entry)
{
	if (entry->bytes.len || !c || !entry->found || entry->found > c->old.len)
		return entry->bytes.len > 0;
	if (!read_entry(c, &c->old.items[entry->found - 1], &entry->bytes)) {
		pk_buf_clear(&entry->bytes);
		return false;
	}
	return true;
}

pk_value *pk_fmcache_known_tree(pk_fmcache *c, pk_fmcache_entry *entry)
{
	pk_value *tree = pk_fmcache_fetch(c, entry) ? unpack_map(&entry->bytes) : NULL;

	if (!tree) { /* not what this program packs: as if never found */
		atomic_fetch_sub(&c->found, 1);
		atomic_fetch_sub(&c->known, 1);
		entry->found = 0;
		entry->has_file = false;
		pk_buf_clear(&entry->bytes);
	}
	return tree;
}

bool pk_fmcache_known(pk_fmcache *c, pk_value **meta, const char *source, const char *rel,
		      const pk_fmcache_sig *sig, pk_fmcache_entry *entry)
{
	*meta = NULL;
	return pk_fmcache_known_bytes(c, source, rel, sig, entry) &&
	       (*meta = pk_fmcache_known_tree(c, entry)) != NULL;
}

bool pk_fmcache_find(pk_fmcache *c, const uint64_t key[2], pk_fmcache_entry *entry)
{
	if (!c)
		return false;
	entry->has_file = false;
	if (!find_bytes(c, key, entry, false))
		return false;
	atomic_fetch_add(&c->records, 1);
	return true;
}
