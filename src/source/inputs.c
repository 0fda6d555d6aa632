/* The record of a build's inputs; see inputs.h. */
#include "source/inputs.h"
#include "core/strmap.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "source/git.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A file's times within this long before the build started count as
 * racy: file system clocks tick coarsely (a few milliseconds on Linux,
 * a second on some network and removable file systems). */
#define RACY_NS 1000000000LL

typedef enum { INPUT_FILE = 'f', INPUT_DIR = 'd', INPUT_REV = 'r' } input_kind;

typedef struct {
	input_kind kind;
	char *path;      /* the file, the folder, or the repository */
	char *rev;       /* INPUT_REV: the revision as written */
	char *oid;       /* INPUT_REV: the commit named, or NULL */
	bool present;    /* file/folder: it existed */
	uint64_t size, ino;
	int64_t mtime_ns, ctime_ns;
} input;

struct pk_inputs {
	pthread_mutex_t lock;
	pk_vec items;    /* input *, in the order first noted */
	pk_strmap seen;  /* kind + path (+ rev) → input *, to note each once */
	/* A record read by pk_inputs_read is parsed as the check goes, which
	 * mostly stops at its first input (see pk_inputs_write): */
	pk_buf text;             /* the records not parsed yet */
	pk_record_reader rest;   /* over text */
	uint64_t unread;         /* how many */
};

static pk_inputs *recording;

const char PK_INPUTS_DAMAGED[] = "(список входов отметки о сборке повреждён)";

static void free_input(input *e)
{
	free(e->path);
	free(e->rev);
	free(e->oid);
	free(e);
}

pk_inputs *pk_inputs_new(void)
{
	pk_inputs *in = pk_xcalloc(1, sizeof(*in));
	pthread_mutex_init(&in->lock, NULL);
	return in;
}

void pk_inputs_free(pk_inputs *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->items.len; i++)
		free_input(in->items.items[i]);
	pk_vec_release(&in->items);
	pk_strmap_release(&in->seen);
	pk_buf_release(&in->text);
	pthread_mutex_destroy(&in->lock);
	free(in);
}

void pk_inputs_record(pk_inputs *in)
{
	recording = in;
}

size_t pk_inputs_count(const pk_inputs *in)
{
	return in->items.len + (size_t)in->unread;
}

static int64_t ns_of(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

static void fill_stat(input *e, const struct stat *st)
{
	e->present = st != NULL;
	if (!st)
		return;
	e->size = S_ISDIR(st->st_mode) ? 0 : (uint64_t)st->st_size;
	e->ino = (uint64_t)st->st_ino;
	e->mtime_ns = ns_of(st->st_mtim);
	e->ctime_ns = ns_of(st->st_ctim);
}

/* Adds e unless an input with the same key is there already (the first
 * look is the one that counts: it came before the bytes were used). */
static void add(pk_inputs *in, input *e)
{
	pk_buf key = PK_BUF_INIT;

	pk_buf_putc(&key, (char)e->kind);
	pk_buf_put(&key, e->path, strlen(e->path) + 1);
	if (e->rev)
		pk_buf_puts(&key, e->rev);
	pthread_mutex_lock(&in->lock);
	if (pk_strmap_add(&in->seen, key.ptr, key.len, e) == PK_OK) {
		pk_vec_push(&in->items, e);
		e = NULL;
	}
	pthread_mutex_unlock(&in->lock);
	pk_buf_release(&key);
	if (e)
		free_input(e);
}

static void note_path(input_kind kind, const char *path, const struct stat *st)
{
	input *e;

	if (!recording)
		return;
	e = pk_xcalloc(1, sizeof(*e));
	e->kind = kind;
	e->path = pk_xstrdup(path);
	fill_stat(e, st);
	add(recording, e);
}

void pk_inputs__file(const char *path, const struct stat *st)
{
	note_path(INPUT_FILE, path, st);
}

void pk_inputs__dir(const char *path, const struct stat *st)
{
	note_path(INPUT_DIR, path, st);
}

void pk_inputs__rev(const char *repo, const char *rev, const char *oid)
{
	input *e;

	if (!recording)
		return;
	e = pk_xcalloc(1, sizeof(*e));
	e->kind = INPUT_REV;
	e->path = pk_xstrdup(repo);
	e->rev = pk_xstrdup(rev);
	e->oid = oid ? pk_xstrdup(oid) : NULL;
	add(recording, e);
}

/* ---- the record ------------------------------------------------------ */

static void write_input(const input *e, pk_buf *out)
{
	char kind = (char)e->kind;

	pk_record_put_str(out, &kind, 1);
	pk_record_put_str(out, e->path, strlen(e->path));
	if (e->kind == INPUT_REV) {
		pk_record_put_str(out, e->rev, strlen(e->rev));
		pk_record_put_str(out, e->oid ? e->oid : "", e->oid ? strlen(e->oid) : 0);
	} else {
		pk_record_put_u64(out, e->present);
		pk_record_put_u64(out, e->size);
		pk_record_put_u64(out, e->ino);
		pk_record_put_i64(out, e->mtime_ns);
		pk_record_put_i64(out, e->ctime_ns);
	}
	pk_record_end(out);
}

/* When an input was last written, for the order of the check (its
 * mtime: what an editor sets, and what a bank restored with old times
 * keeps, checked later then, but checked); a revision counts as now, an
 * input that was missing (a theme's file looked for in the bank, say)
 * as never. */
static int64_t changed_ns(const input *e)
{
	if (e->kind == INPUT_REV)
		return INT64_MAX;
	return e->present ? e->mtime_ns : INT64_MIN;
}

typedef struct {
	const input *e;
	int64_t changed;
	size_t order;
} ranked;

static int compare_recent_first(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->changed != y->changed)
		return x->changed > y->changed ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Written most recently changed first, so that pk_inputs_changed looks
 * at those first: an edit is most likely to a file edited lately (an
 * author at work edits one file again and again), and the check stops at
 * the first change it finds. */
void pk_inputs_write(const pk_inputs *in, pk_buf *out)
{
	size_t n = in->items.len, i;
	ranked *r;

	PK_ASSERT(!in->unread); /* a record read back is only checked */
	r = pk_xmalloc((n ? n : 1) * sizeof(*r));

	for (i = 0; i < n; i++) {
		r[i].e = in->items.items[i];
		r[i].changed = changed_ns(r[i].e);
		r[i].order = i;
	}
	qsort(r, n, sizeof(*r), compare_recent_first);
	pk_record_put_section(out, "inputs", n);
	for (i = 0; i < n; i++)
		write_input(r[i].e, out);
	free(r);
}

static char *dup_slice(pk_slice s)
{
	return pk_xstrndup(s.p, s.len);
}

static input *read_input(pk_record_reader *r)
{
	pk_slice kind = pk_record_str(r);
	input *e = pk_xcalloc(1, sizeof(*e));

	e->kind = kind.len == 1 ? (input_kind)kind.p[0] : INPUT_FILE;
	if (kind.len != 1 || (e->kind != INPUT_FILE && e->kind != INPUT_DIR && e->kind != INPUT_REV))
		r->ok = false;
	e->path = dup_slice(pk_record_str(r));
	if (e->kind == INPUT_REV) {
		pk_slice oid;
		e->rev = dup_slice(pk_record_str(r));
		oid = pk_record_str(r);
		e->oid = oid.len ? dup_slice(oid) : NULL;
	} else {
		e->present = pk_record_u64(r) != 0;
		e->size = pk_record_u64(r);
		e->ino = pk_record_u64(r);
		e->mtime_ns = pk_record_i64(r);
		e->ctime_ns = pk_record_i64(r);
	}
	if (!pk_record_at_end(r))
		r->ok = false;
	return e;
}

void pk_inputs_read(pk_inputs *in, pk_record_reader *r)
{
	uint64_t n = pk_record_section(r, "inputs");

	if (!r->ok)
		return;
	/* the section is the record's last: the rest of r, whose checksum
	 * pk_record_open verified, kept to be parsed by pk_inputs_changed */
	pk_buf_clear(&in->text);
	pk_buf_put(&in->text, r->p, (size_t)(r->end - r->p));
	in->rest.p = in->text.ptr;
	in->rest.end = in->text.ptr + in->text.len;
	in->rest.ok = true;
	in->unread = n;
	r->p = r->end;
}

/* The next input not parsed yet, now in in->items; NULL when none is
 * left, or when the record turns out malformed (*bad then). */
static const input *next_unread(pk_inputs *in, bool *bad)
{
	input *e;

	if (!in->unread)
		return NULL;
	e = read_input(&in->rest);
	in->unread--;
	if (!in->rest.ok) {
		free_input(e);
		in->unread = 0;
		*bad = true;
		return NULL;
	}
	pk_vec_push(&in->items, e);
	return e;
}

/* ---- checking ------------------------------------------------------- */

static bool path_unchanged(const input *e, int64_t built_ns)
{
	struct stat st;
	bool exists = stat(e->path, &st) == 0 &&
		      (e->kind == INPUT_DIR ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	input now;

	if (exists != e->present)
		return false;
	if (!exists)
		return true;
	if (e->mtime_ns >= built_ns - RACY_NS || e->ctime_ns >= built_ns - RACY_NS)
		return false;
	memset(&now, 0, sizeof(now));
	fill_stat(&now, &st);
	return now.size == e->size && now.ino == e->ino && now.mtime_ns == e->mtime_ns &&
	       now.ctime_ns == e->ctime_ns;
}

static bool rev_unchanged(const input *e)
{
	char oid[41];
	bool named = pk_source_git_resolve(oid, e->path, e->rev) == PK_OK;

	if (!named || !e->oid)
		return !named && !e->oid;
	return strcmp(oid, e->oid) == 0;
}

static bool input_unchanged(const input *e, int64_t built_ns)
{
	return e->kind == INPUT_REV ? rev_unchanged(e) : path_unchanged(e, built_ns);
}

const char *pk_inputs_changed(pk_inputs *in, int64_t built_ns)
{
	const input *e;
	bool bad = false;
	size_t i;

	for (i = 0; i < in->items.len; i++) {
		e = in->items.items[i];
		if (!input_unchanged(e, built_ns))
			return e->path;
	}
	while ((e = next_unread(in, &bad)))
		if (!input_unchanged(e, built_ns))
			return e->path;
	return bad ? PK_INPUTS_DAMAGED : NULL;
}
