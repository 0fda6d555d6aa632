#include "core/diag.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *severity_name(pk_severity sev)
{
	switch (sev) {
	case PK_DIAG_NOTE: return "note";
	case PK_DIAG_WARNING: return "warning";
	case PK_DIAG_ERROR: return "error";
	}
	return "error";
}

void pk_diags_init(pk_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void pk_diags_release(pk_diags *d)
{
	size_t i;
	for (i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].msg);
	}
	free(d->items);
	pk_diags_init(d);
}

static void count(pk_diags *d, pk_severity sev)
{
	if (sev == PK_DIAG_ERROR)
		d->errors++;
	else if (sev == PK_DIAG_WARNING)
		d->warnings++;
}

int pk_diag_vadd(pk_diags *d, pk_severity sev, const char *path, int line, int col,
		 const char *fmt, va_list ap)
{
	pk_buf msg = PK_BUF_INIT;
	pk_diag *diag;

	if (!d) /* the caller does not want diagnostics */
		return sev == PK_DIAG_ERROR ? PK_ERROR : PK_OK;
	pk_buf_vprintf(&msg, fmt, ap);
	PK_GROW(d->items, d->cap, d->len + 1);
	diag = &d->items[d->len++];
	diag->path = pk_xstrdup(path ? path : "");
	diag->line = line;
	diag->col = col;
	diag->severity = sev;
	diag->msg = pk_buf_detach(&msg);
	count(d, sev);
	return sev == PK_DIAG_ERROR ? PK_ERROR : PK_OK;
}

int pk_diag_add(pk_diags *d, pk_severity sev, const char *path, int line, int col,
		const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = pk_diag_vadd(d, sev, path, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

int pk_diag_error(pk_diags *d, const char *path, pk_pos pos, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = pk_diag_vadd(d, PK_DIAG_ERROR, path, pos.line, pos.col, fmt, ap);
	va_end(ap);
	return rc;
}

int pk_diag_warning(pk_diags *d, const char *path, pk_pos pos, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = pk_diag_vadd(d, PK_DIAG_WARNING, path, pos.line, pos.col, fmt, ap);
	va_end(ap);
	return rc;
}

void pk_diags_move(pk_diags *dst, pk_diags *src)
{
	size_t i;
	PK_GROW(dst->items, dst->cap, dst->len + src->len);
	for (i = 0; i < src->len; i++) {
		dst->items[dst->len++] = src->items[i];
		count(dst, src->items[i].severity);
	}
	free(src->items);
	pk_diags_init(src);
}

void pk_diag_format(pk_buf *out, const pk_diag *diag)
{
	if (diag->path[0]) {
		pk_buf_puts(out, diag->path);
		if (diag->line > 0) {
			pk_buf_printf(out, ":%d", diag->line);
			if (diag->col > 0)
				pk_buf_printf(out, ":%d", diag->col);
		}
		pk_buf_puts(out, ": ");
	} else {
		pk_buf_puts(out, "praktika: ");
	}
	pk_buf_printf(out, "%s: %s", severity_name(diag->severity), diag->msg);
}

static int compare_diags(const void *a, const void *b)
{
	const pk_diag *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Sorting works on groups: a note belongs to the diagnostic before it and
 * moves with it. Each entry sorts by its group head's place, then by the
 * order it was reported in. */
typedef struct {
	const pk_diag *head;
	size_t index;
} sort_entry;

static int compare_entries(const sort_entry *a, const sort_entry *b)
{
	int c = compare_diags(a->head, b->head);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void merge_sort(sort_entry *items, sort_entry *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(items, tmp, mid);
	merge_sort(items + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = compare_entries(&items[j], &items[i]) < 0 ? items[j++] : items[i++];
	while (i < mid)
		tmp[k++] = items[i++];
	while (j < n)
		tmp[k++] = items[j++];
	memcpy(items, tmp, n * sizeof(*items));
}

void pk_diags_sort(pk_diags *d)
{
	sort_entry *entries, *tmp;
	pk_diag *sorted;
	size_t i;

	if (d->len < 2)
		return;
	entries = pk_xcalloc(d->len, sizeof(*entries));
	tmp = pk_xcalloc(d->len, sizeof(*tmp));
	for (i = 0; i < d->len; i++) {
		bool note = d->items[i].severity == PK_DIAG_NOTE && i > 0;
		entries[i].head = note ? entries[i - 1].head : &d->items[i];
		entries[i].index = i;
	}
	merge_sort(entries, tmp, d->len);
	sorted = pk_xcalloc(d->len, sizeof(*sorted));
	for (i = 0; i < d->len; i++)
		sorted[i] = d->items[entries[i].index];
	memcpy(d->items, sorted, d->len * sizeof(*sorted));
	free(sorted);
	free(tmp);
	free(entries);
}

void pk_diags_print(const pk_diags *d, FILE *fp)
{
	pk_buf line = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < d->len; i++) {
		pk_buf_clear(&line);
		pk_diag_format(&line, &d->items[i]);
		fprintf(fp, "%s\n", line.ptr);
	}
	pk_buf_release(&line);
}
