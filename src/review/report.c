/* review/report.c: the summary of a review, as plain text for a terminal
 * or as Markdown for a merge-request comment. */
#include "review/review.h"

#include <string.h>

static const char *const group_titles[] = { "Практики", "Наставники", "Страницы",
					    "Другие файлы" };

/* "—" for a value that is absent or empty. */
static const char *shown(const char *text)
{
	return text && *text ? text : "—";
}

static bool has_details(const pk_review_item *it)
{
	return it->fields.len || it->body_changed;
}

/* "1 ошибка, 2 предупреждения" (warnings only when there are some). */
static void put_problem_count(pk_buf *out, size_t errors, size_t warnings)
{
	pk_review__count(out, errors, "ошибка", "ошибки", "ошибок");
	if (warnings) {
		pk_buf_puts(out, ", ");
		pk_review__count(out, warnings, "предупреждение", "предупреждения", "предупреждений");
	}
}

/* ---- plain text ---------------------------------------------------------- */

static void text_side(pk_buf *out, const char *label, const char *commit)
{
	pk_buf_puts(out, label);
	if (commit)
		pk_buf_printf(out, " (%s)", commit);
}

static void text_item(pk_buf *out, const pk_review_item *it)
{
	size_t i;

	pk_buf_printf(out, "  %s: ", pk_review__status_word(it->kind, it->status));
	if (it->old_path)
		pk_buf_printf(out, "%s → ", it->old_path);
	pk_buf_puts(out, it->path);
	if (it->kind != PK_REVIEW_FILE)
		pk_buf_printf(out, " — %s", it->title);
	pk_buf_putc(out, '\n');
	for (i = 0; i < it->fields.len; i++) {
		const pk_review_field *f = it->fields.items[i];
		pk_buf_printf(out, "      %s: %s → %s\n", f->name, shown(f->old_text), shown(f->new_text));
	}
	if (it->body_changed)
		pk_buf_puts(out, "      текст изменён\n");
}

static void text_items(pk_buf *out, const pk_review *r)
{
	int group = -1;
	size_t i;

	if (!r->items.len)
		pk_buf_puts(out, "\nИзменений в банке нет.\n");
	for (i = 0; i < r->items.len; i++) {
		const pk_review_item *it = r->items.items[i];
		if ((int)it->kind != group) {
			group = (int)it->kind;
			pk_buf_printf(out, "\n%s\n", group_titles[group]);
		}
		text_item(out, it);
	}
}

static void text_diags(pk_buf *out, const char *title, const pk_diags *d)
{
	pk_buf line = PK_BUF_INIT;
	size_t i;

	pk_buf_printf(out, "\n%s: ", title);
	if (!d->len) {
		pk_buf_puts(out, "нет\n");
		return;
	}
	pk_buf_printf(out, "%zu\n", d->len);
	for (i = 0; i < d->len; i++) {
		pk_buf_clear(&line);
		pk_diag_format(&line, &d->items[i]);
		pk_buf_printf(out, "  %s\n", line.ptr);
	}
	pk_buf_release(&line);
}

static void put_verdict(pk_buf *out, const pk_review *r)
{
	size_t errors = pk_review__errors(r), warnings = pk_review__warnings(r);

	if (errors) {
		pk_buf_puts(out, "в изменениях ");
		put_problem_count(out, errors, warnings);
		pk_buf_puts(out, " — исправьте перед слиянием");
	} else if (warnings) {
		pk_buf_puts(out, "ошибок в изменениях нет (");
		pk_review__count(out, warnings, "предупреждение", "предупреждения", "предупреждений");
		pk_buf_putc(out, ')');
	} else {
		pk_buf_puts(out, "ошибок в изменениях нет");
	}
}

static void text_report(pk_buf *out, const pk_review *r)
{
	pk_buf_puts(out, "Изменения банка: ");
	text_side(out, r->base_label, r->base_commit);
	pk_buf_puts(out, " → ");
	text_side(out, r->head_label, r->head_commit);
	pk_buf_putc(out, '\n');
	text_items(out, r);
	text_diags(out, "Проблемы в изменённых файлах", &r->in_changed);
	text_diags(out, "Проблемы, вызванные изменениями, в других файлах", &r->caused);
	if (r->before.len)
		text_diags(out, "Прежние проблемы в других файлах", &r->before);
	if (r->fixed)
		pk_buf_printf(out, "\nИсправлено прежних проблем: %zu\n", r->fixed);
	pk_buf_puts(out, "\nИтог: ");
	put_verdict(out, r);
	pk_buf_putc(out, '\n');
}

/* ---- Markdown -------------------------------------------------------------- */

/* Text with every character Markdown or HTML could read as markup
 * escaped by a backslash ('|' too, so it may stand in a table cell);
 * line breaks become spaces. */
static void md_text(pk_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			pk_buf_putc(out, ' ');
		else {
			if (strchr("\\`*_[]<>|~&#!", *s))
				pk_buf_putc(out, '\\');
			pk_buf_putc(out, *s);
		}
	}
}

/* The longest run of backticks in s. */
static size_t longest_ticks(const char *s)
{
	size_t run = 0, best = 0;
	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* A code span holding s as is, fenced with more backticks than s holds;
 * in a table cell '|' is escaped, as GFM asks even there. */
static void md_code(pk_buf *out, const char *s, bool in_table)
{
	size_t ticks = longest_ticks(s) + 1, i;
	bool pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');

	for (i = 0; i < ticks; i++)
		pk_buf_putc(out, '`');
	if (pad)
		pk_buf_putc(out, ' ');
	for (; *s; s++) {
		if (in_table && *s == '|')
			pk_buf_putc(out, '\\');
		pk_buf_putc(out, *s == '\n' ? ' ' : *s);
	}
	if (pad)
		pk_buf_putc(out, ' ');
	for (i = 0; i < ticks; i++)
		pk_buf_putc(out, '`');
}

static void md_side(pk_buf *out, const char *label, const char *commit)
{
	md_code(out, label, false);
	if (commit) {
		pk_buf_puts(out, " (");
		md_code(out, commit, false);
		pk_buf_putc(out, ')');
	}
}

/* "`form`, `goal`, текст" */
static void md_what(pk_buf *out, const pk_review_item *it)
{
	size_t i;
	const char *sep = "";

	for (i = 0; i < it->top.len; i++) {
		const pk_review_field *f = it->top.items[i];
		pk_buf_puts(out, sep);
		md_code(out, f->name, true);
		sep = ", ";
	}
	if (it->body_changed)
		pk_buf_printf(out, "%sтекст", sep);
}

static void md_row(pk_buf *out, const pk_review_item *it)
{
	pk_buf_printf(out, "| %s %s | ", pk_review__kind_noun(it->kind),
		      pk_review__status_word(it->kind, it->status));
	if (it->old_path) {
		md_code(out, it->old_path, true);
		pk_buf_puts(out, " → ");
	}
	md_code(out, it->path, true);
	pk_buf_puts(out, " | ");
	if (it->kind != PK_REVIEW_FILE)
		md_text(out, it->title);
	pk_buf_puts(out, " | ");
	md_what(out, it);
	pk_buf_puts(out, " |\n");
}

static void md_table(pk_buf *out, const pk_review *r)
{
	size_t i;

	if (!r->items.len) {
		pk_buf_puts(out, "Изменений в банке нет.\n");
		return;
	}
	pk_buf_puts(out, "| Изменение | Файл | Название | Что изменилось |\n|---|---|---|---|\n");
	for (i = 0; i < r->items.len; i++)
		md_row(out, r->items.items[i]);
}

static void md_fields_of(pk_buf *out, const pk_review_item *it)
{
	size_t i;

	pk_buf_puts(out, "\n**");
	md_text(out, it->title);
	pk_buf_puts(out, "** (");
	md_code(out, it->path, false);
	pk_buf_puts(out, ")\n\n");
	for (i = 0; i < it->fields.len; i++) {
		const pk_review_field *f = it->fields.items[i];
		pk_buf_puts(out, "- ");
		md_code(out, f->name, false);
		pk_buf_puts(out, ": ");
		md_text(out, shown(f->old_text));
		pk_buf_puts(out, " → ");
		md_text(out, shown(f->new_text));
		pk_buf_putc(out, '\n');
	}
	if (it->body_changed)
		pk_buf_puts(out, "- текст изменён\n");
}

static void md_fields(pk_buf *out, const pk_review *r)
{
	bool any = false;
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		const pk_review_item *it = r->items.items[i];
		if (!has_details(it))
			continue;
		if (!any)
			pk_buf_puts(out, "\n### Изменённые поля\n");
		any = true;
		md_fields_of(out, it);
	}
}

static void md_diag_list(pk_buf *out, const pk_diags *d)
{
	pk_buf where = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < d->len; i++) {
		const pk_diag *x = &d->items[i];
		pk_buf_clear(&where);
		pk_buf_puts(&where, *x->path ? x->path : "praktika");
		if (*x->path && x->line > 0)
			pk_buf_printf(&where, ":%d", x->line);
		if (*x->path && x->line > 0 && x->col > 0)
			pk_buf_printf(&where, ":%d", x->col);
		pk_buf_puts(out, "- ");
		md_code(out, where.ptr, false);
		pk_buf_printf(out, ": %s: ",
			      x->severity == PK_DIAG_ERROR ? "error"
			      : x->severity == PK_DIAG_WARNING ? "warning" : "note");
		md_text(out, x->msg);
		pk_buf_putc(out, '\n');
	}
	pk_buf_release(&where);
}

static void md_diags(pk_buf *out, const char *title, const pk_diags *d)
{
	pk_buf_printf(out, "\n**%s:**", title);
	if (!d->len) {
		pk_buf_puts(out, " нет.\n");
		return;
	}
	pk_buf_puts(out, "\n\n");
	md_diag_list(out, d);
}

static void md_before(pk_buf *out, const pk_review *r)
{
	if (!r->before.len)
		return;
	pk_buf_printf(out, "\n<details><summary>Прежние проблемы в других файлах: %zu</summary>\n\n",
		      r->before.len);
	md_diag_list(out, &r->before);
	pk_buf_puts(out, "\n</details>\n");
}

static void md_report(pk_buf *out, const pk_review *r)
{
	pk_buf_puts(out, "## Изменения банка: ");
	md_side(out, r->base_label, r->base_commit);
	pk_buf_puts(out, " → ");
	md_side(out, r->head_label, r->head_commit);
	pk_buf_puts(out, "\n\n");
	md_table(out, r);
	md_fields(out, r);
	pk_buf_puts(out, "\n### Проблемы\n");
	md_diags(out, "В изменённых файлах", &r->in_changed);
	md_diags(out, "Вызваны изменениями, в других файлах", &r->caused);
	md_before(out, r);
	if (r->fixed)
		pk_buf_printf(out, "\nИсправлено прежних проблем: %zu.\n", r->fixed);
	pk_buf_puts(out, "\n**Итог:** ");
	put_verdict(out, r);
	pk_buf_puts(out, ".\n");
}

void pk_review_report(pk_buf *out, const pk_review *r, pk_review_format format)
{
	if (format == PK_REVIEW_MARKDOWN)
		md_report(out, r);
	else
		text_report(out, r);
}
