/* The build stamp; see stamp.h. */
#include "output/stamp.h"
#include "core/fs.h"
#include "core/record.h"
#include "core/xalloc.h"
#include "output/output.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STAMP_MAGIC "praktika-build-1"

void pk_stamp_init(pk_stamp *st)
{
	memset(st, 0, sizeof(*st));
	pk_diags_init(&st->diags);
	st->inputs = pk_inputs_new();
}

void pk_stamp_release(pk_stamp *st)
{
	size_t i;

	free(st->key);
	pk_diags_release(&st->diags);
	for (i = 0; i < st->notes.len; i++)
		free(st->notes.items[i]);
	pk_vec_release(&st->notes);
	pk_inputs_free(st->inputs);
	memset(st, 0, sizeof(*st));
}

static void put_cstr(pk_buf *out, const char *s)
{
	pk_record_put_str(out, s, strlen(s));
}

static void write_head(const pk_stamp *st, pk_buf *out)
{
	put_cstr(out, STAMP_MAGIC);
	put_cstr(out, st->key);
	pk_record_put_i64(out, st->started_ns);
	pk_record_put_u64(out, st->manifest_hash);
	pk_record_put_u64(out, st->pages);
	pk_record_put_u64(out, st->files);
	pk_record_end(out);
}

static void write_diags(const pk_diags *d, pk_buf *out)
{
	size_t i;

	pk_record_put_section(out, "diags", d->len);
	for (i = 0; i < d->len; i++) {
		pk_record_put_u64(out, (uint64_t)d->items[i].severity);
		put_cstr(out, d->items[i].path);
		pk_record_put_i64(out, d->items[i].line);
		pk_record_put_i64(out, d->items[i].col);
		put_cstr(out, d->items[i].msg);
		pk_record_end(out);
	}
}

static void write_notes(const pk_vec *notes, pk_buf *out)
{
	size_t i;

	pk_record_put_section(out, "notes", notes->len);
	for (i = 0; i < notes->len; i++) {
		put_cstr(out, notes->items[i]);
		pk_record_end(out);
	}
}

int pk_stamp_write(const pk_stamp *st, const char *file, pk_diags *diags)
{
	return pk_stamp_write_with(st, NULL, file, diags);
}

int pk_stamp_write_with(const pk_stamp *st, const pk_buf *inputs, const char *file,
			pk_diags *diags)
{
	pk_buf text = PK_BUF_INIT;
	int rc;

	write_head(st, &text);
	write_diags(&st->diags, &text);
	write_notes(&st->notes, &text);
	if (inputs)
		pk_buf_put(&text, inputs->ptr, inputs->len);
	else
		pk_inputs_write(st->inputs, &text);
	pk_record_seal(&text);
	rc = pk_fs_write_atomic(file, text.ptr, text.len, diags);
	pk_buf_release(&text);
	return rc;
}

/* ---- reading -------------------------------------------------------- */

static char *dup_slice(pk_slice s)
{
	return pk_xstrndup(s.p, s.len);
}

static void read_head(pk_stamp *st, pk_record_reader *r)
{
	pk_record_expect(r, STAMP_MAGIC);
	st->key = dup_slice(pk_record_str(r));
	st->started_ns = pk_record_i64(r);
	st->manifest_hash = pk_record_u64(r);
	st->pages = (size_t)pk_record_u64(r);
	st->files = (size_t)pk_record_u64(r);
	if (!pk_record_at_end(r))
		r->ok = false;
}

static void read_diag(pk_stamp *st, pk_record_reader *r)
{
	uint64_t sev = pk_record_u64(r);
	pk_slice path = pk_record_str(r);
	int64_t line = pk_record_i64(r), col = pk_record_i64(r);
	pk_slice msg = pk_record_str(r);
	char *p, *m;

	if (!pk_record_at_end(r) || sev > PK_DIAG_ERROR || line < 0 || line > INT32_MAX ||
	    col < 0 || col > INT32_MAX) {
		r->ok = false;
		return;
	}
	p = dup_slice(path);
	m = dup_slice(msg);
	pk_diag_add(&st->diags, (pk_severity)sev, p, (int)line, (int)col, "%s", m);
	free(p);
	free(m);
}

static void read_lists(pk_stamp *st, pk_record_reader *r)
{
	uint64_t n, i;

	n = pk_record_section(r, "diags");
	for (i = 0; i < n && r->ok; i++)
		read_diag(st, r);
	n = pk_record_section(r, "notes");
	for (i = 0; i < n && r->ok; i++) {
		pk_vec_push(&st->notes, dup_slice(pk_record_str(r)));
		if (!pk_record_at_end(r))
			r->ok = false;
	}
}

int pk_stamp_read(pk_stamp *st, const char *file)
{
	pk_buf text = PK_BUF_INIT;
	pk_record_reader r;
	int rc = PK_ENOTFOUND;

	if (pk_fs_read(&text, file, NULL) == PK_OK && pk_record_open(&r, text.ptr, text.len)) {
		read_head(st, &r);
		read_lists(st, &r);
		pk_inputs_read(st->inputs, &r);
		if (pk_record_done(&r))
			rc = PK_OK;
	}
	pk_buf_release(&text);
	return rc;
}

void pk_stamp_remove(const char *file)
{
	unlink(file);
}

pk_stamp_verdict pk_stamp_check_inputs(const pk_stamp *st, const char *key, const char **changed)
{
	*changed = NULL;
	if (!st->key || strcmp(st->key, key) != 0)
		return PK_STAMP_KEY;
	if ((*changed = pk_inputs_changed(st->inputs, st->started_ns)))
		return PK_STAMP_INPUT;
	return PK_STAMP_HOLDS;
}

pk_stamp_verdict pk_stamp_check_output(const pk_stamp *st, bool intact, uint64_t manifest_hash)
{
	return intact && manifest_hash == st->manifest_hash ? PK_STAMP_HOLDS : PK_STAMP_OUTPUT;
}

pk_stamp_verdict pk_stamp_check(const pk_stamp *st, const char *key, const char *dir,
				const char **changed)
{
	pk_stamp_verdict v = pk_stamp_check_inputs(st, key, changed);
	uint64_t hash;
	bool intact;

	if (v != PK_STAMP_HOLDS)
		return v;
	intact = pk_output_intact(dir, &hash);
	return pk_stamp_check_output(st, intact, hash);
}
