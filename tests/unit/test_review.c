/*
 * test_review.c: src/review: compact text of values, front-matter field
 * differences (nested maps, lists of maps, the depth limit), the Markdown
 * summary's escaping and the preview annotations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "review/review.h"
#include "source/source.h"
#include "testutil.h"
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>

static pk_value *parse(const char *yaml)
{
	pk_value *v = NULL;
	pk_diags d = PK_DIAGS_INIT;
	assert_int_equal(pk_yaml_parse(&v, yaml, strlen(yaml), "test.yaml", NULL, &d), 0);
	assert_int_equal(d.len, 0);
	pk_diags_release(&d);
	return v;
}

/* The compact text of the value under key "v" of yaml. */
static void expect_compact(const char *yaml, size_t max, const char *expected)
{
	pk_value *doc = parse(yaml);
	pk_buf b = PK_BUF_INIT;
	pk_review_compact(&b, pk_value_map_get(doc, "v"), max);
	assert_string_equal(b.ptr, expected);
	pk_buf_release(&b);
	pk_value_free(doc);
}

static void test_compact_scalars(void **state)
{
	(void)state;
	expect_compact("v: uchitel-uchitel", 0, "uchitel-uchitel");
	expect_compact("v: 42", 0, "42");
	expect_compact("v: 1.5", 0, "1.5");
	expect_compact("v: true", 0, "true");
	expect_compact("v: 2024-09-01", 0, "2024-09-01");
	expect_compact("v:", 0, "");
	expect_compact("v: '  отступ  сохранён '", 0, "  отступ  сохранён ");
	/* block scalars: line breaks become spaces, the final one goes */
	expect_compact("v: |\n  первая строка\n\n  вторая\n", 0, "первая строка вторая");
	expect_compact("v: >\n  одна\n  фраза\n", 0, "одна фраза");
}

static void test_compact_lists_and_maps(void **state)
{
	(void)state;
	expect_compact("v: [a, b, 3]", 0, "a, b, 3");
	expect_compact("v: []", 0, "");
	expect_compact("v: [{t: 1}]", 0, "1 пункт");
	expect_compact("v: [{t: 1}, {t: 2}, {t: 3}]", 0, "3 пункта");
	expect_compact("v: [{t: 1}, {t: 2}, {t: 3}, {t: 4}, {t: 5}]", 0, "5 пунктов");
	expect_compact("v: [a, [b]]", 0, "2 пункта");
	expect_compact("v: {start: 2023-09, end: 2024-05}", 0, "{start: 2023-09; end: 2024-05}");
	expect_compact("v: {date: 2024-02-01, publish: [name, bio], x: {y: 1}, z: [{a: 1}]}", 0,
		       "{date: 2024-02-01; publish: name, bio; x: {…}; z: 1 пункт}");
	expect_compact("v: {}", 0, "{}");
}

static void test_compact_cut(void **state)
{
	(void)state;
	expect_compact("v: абвгдеёжзи", 5, "абвг…");
	expect_compact("v: абвгд", 5, "абвгд");
	expect_compact("v: абвгде", 5, "абвг…");
	/* no space before the ellipsis */
	expect_compact("v: аб вг", 4, "аб…");
	expect_compact("v: [один, два, три]", 8, "один, д…");
	expect_compact("v: abc", 1, "…");
}

/* Fields of diff(old, new) as "name: old → new" lines, "∅" for absent. */
static char *diff_text(const char *old_yaml, const char *new_yaml, bool top)
{
	pk_value *old = old_yaml ? parse(old_yaml) : NULL, *new = new_yaml ? parse(new_yaml) : NULL;
	pk_vec fields = PK_VEC_INIT;
	pk_buf b = PK_BUF_INIT;
	size_t i;

	if (top)
		pk_review_diff_top(&fields, old, new, 0);
	else
		pk_review_diff_fields(&fields, old, new, 0);
	for (i = 0; i < fields.len; i++) {
		pk_review_field *f = fields.items[i];
		pk_buf_printf(&b, "%.*s|%s: %s → %s\n", (int)f->top_len, f->name, f->name,
			      f->old_text ? f->old_text : "∅", f->new_text ? f->new_text : "∅");
		pk_review_field_free(f);
	}
	pk_vec_release(&fields);
	pk_value_free(old);
	pk_value_free(new);
	return pk_buf_detach(&b);
}

static void expect_diff(const char *old_yaml, const char *new_yaml, bool top, const char *expected)
{
	char *got = diff_text(old_yaml, new_yaml, top);
	assert_string_equal(got, expected);
	free(got);
}

static void test_diff_scalars(void **state)
{
	(void)state;
	expect_diff("form: uchitel-uchitel\ngoal: A\n", "form: uchitel-uchitel\ngoal: A\n", false, "");
	/* changed, added, removed; the new file's order, then removed keys */
	expect_diff("title: T\nform: uchitel-uchitel\ngoal: Старая\nyear: 2023\n",
		    "goal: Новая\ntitle: T\nform: uchenik-uchenik\nmentees: трое\n", false,
		    "goal|goal: Старая → Новая\n"
		    "form|form: uchitel-uchitel → uchenik-uchenik\n"
		    "mentees|mentees: ∅ → трое\n"
		    "year|year: 2023 → ∅\n");
	/* key order alone is no change; null differs from absent */
	expect_diff("a: 1\nb: 2\n", "b: 2\na: 1\n", false, "");
	expect_diff("a: 1\n", "a: 1\nb:\n", false, "b|b: ∅ → \n");
	/* a type change is shown whole */
	expect_diff("results: Одна строка\n", "results: [Одна строка]\n", false,
		    "results|results: Одна строка → Одна строка\n");
	expect_diff("tags: [a, b]\n", "tags: [a, b, c]\n", false, "tags|tags: a, b → a, b, c\n");
}

static void test_diff_nested(void **state)
{
	(void)state;
	expect_diff("consent: {date: 2024-02-01, publish: [name, position]}\n",
		    "consent: {date: 2024-02-01, publish: [name]}\n", false,
		    "consent|consent.publish: name, position → name\n");
	expect_diff("period: {start: 2023-09}\n", "period: {start: 2023-09, end: 2024-05}\n", false,
		    "period|period.end: ∅ → 2024-05\n");
	/* lists of maps of one length: item by item, counted from 1 */
	expect_diff("stages: [{title: A, dates: май}, {title: B}]\n",
		    "stages: [{title: A, dates: июнь}, {title: Б, text: t}]\n", false,
		    "stages|stages[1].dates: май → июнь\n"
		    "stages|stages[2].title: B → Б\n"
		    "stages|stages[2].text: ∅ → t\n");
	/* another length: the sizes */
	expect_diff("indicators: [{name: a}, {name: b}]\n",
		    "indicators: [{name: a}, {name: b}, {name: c}]\n", false,
		    "indicators|indicators: 2 пункта → 3 пункта\n");
	/* a map becoming a scalar */
	expect_diff("period: {start: 2023-09}\n", "period: 2023\n", false,
		    "period|period: {start: 2023-09} → 2023\n");
}

static void test_diff_depth_limit(void **state)
{
	(void)state;
	/* Level PK_REVIEW_MAX_DEPTH (4) is shown whole, however deep it goes. */
	expect_diff("a: {b: {c: {d: {e: {f: 1}}}}}\n", "a: {b: {c: {d: {e: {f: 2}}}}}\n", false,
		    "a|a.b.c.d: {e: {…}} → {e: {…}}\n");
	expect_diff("a: [{b: [{c: [{d: 1}]}]}]\n", "a: [{b: [{c: [{d: 2}]}]}]\n", false,
		    "a|a[1].b[1]: {c: 1 пункт} → {c: 1 пункт}\n");
}

static void test_diff_top_and_missing(void **state)
{
	(void)state;
	expect_diff("consent: {publish: [name, position]}\ngoal: A\n",
		    "consent: {publish: [name]}\ngoal: A\nstages: [{title: X}]\n", true,
		    "consent|consent: {publish: name, position} → {publish: name}\n"
		    "stages|stages: ∅ → 1 пункт\n");
	expect_diff(NULL, "title: T\n", false, "title|title: ∅ → T\n");
	expect_diff("title: T\n", NULL, true, "title|title: T → ∅\n");
	expect_diff(NULL, NULL, false, "");
}

/* ---- a review made by hand: reports and annotations ------------------- */

static pk_review_field *field(const char *name, const char *old, const char *new)
{
	pk_review_field *f = pk_xcalloc(1, sizeof(*f));
	f->name = pk_xstrdup(name);
	f->top_len = strcspn(name, ".[");
	f->old_text = old ? pk_xstrdup(old) : NULL;
	f->new_text = new ? pk_xstrdup(new) : NULL;
	return f;
}

static pk_review *sample_review(void)
{
	pk_review *r = pk_xcalloc(1, sizeof(*r));
	pk_review_item *it = pk_xcalloc(1, sizeof(*it));

	r->base_label = pk_xstrdup("origin/main");
	r->head_label = pk_xstrdup("HEAD");
	r->base_commit = pk_xstrdup("1a2b3c4");
	r->base_path = pk_xstrdup("/bank/");
	it->kind = PK_REVIEW_PRACTICE;
	it->status = PK_REVIEW_CHANGED;
	it->path = pk_xstrdup("content/practices/a|b.md");
	it->rel = pk_xstrdup("content/practices/a|b.md");
	it->title = pk_xstrdup("*Лучшая* <практика> | №1");
	it->url_path = pk_xstrdup("practices/ab/");
	pk_vec_push(&it->fields, field("goal", "Было `так`", "Стало [так](x)"));
	pk_vec_push(&it->fields, field("stages[2].title", NULL, "Этап_2"));
	pk_vec_push(&it->top, field("goal", "Было `так`", "Стало [так](x)"));
	pk_vec_push(&it->top, field("stages", "2 пункта", "2 пункта"));
	it->body_changed = true;
	pk_vec_push(&r->items, it);
	pk_diag_add(&r->caused, PK_DIAG_ERROR, "content/practices/c.md", 10, 11,
		    "unknown mentor 'x_y': no profile content/mentors/x_y.md");
	pk_diag_add(&r->in_changed, PK_DIAG_WARNING, "content/practices/a|b.md", 3, 0,
		    "unknown field 'gaol'");
	return r;
}

static void test_report_markdown(void **state)
{
	pk_review *r = sample_review();
	pk_buf b = PK_BUF_INIT;
	(void)state;

	pk_review_report(&b, r, PK_REVIEW_MARKDOWN);
	assert_non_null(strstr(b.ptr, "## Изменения банка: `origin/main` (`1a2b3c4`) → `HEAD`\n"));
	/* table cells: '|' escaped in code spans and text, markup escaped */
	assert_non_null(strstr(b.ptr, "| практика изменена | `content/practices/a\\|b.md` | "
				      "\\*Лучшая\\* \\<практика\\> \\| №1 | `goal`, `stages`, текст |\n"));
	/* values: a backtick or a link is text, not markup */
	assert_non_null(strstr(b.ptr, "- `goal`: Было \\`так\\` → Стало \\[так\\](x)\n"));
	assert_non_null(strstr(b.ptr, "- `stages[2].title`: — → Этап\\_2\n"));
	assert_non_null(strstr(b.ptr, "**В изменённых файлах:**\n\n- `content/practices/a|b.md:3`: "
				      "warning: unknown field 'gaol'\n"));
	assert_non_null(strstr(b.ptr, "- `content/practices/c.md:10:11`: error: unknown mentor "
				      "'x\\_y': no profile content/mentors/x\\_y.md\n"));
	assert_non_null(strstr(b.ptr, "**Итог:** в изменениях 1 ошибка, 1 предупреждение — "
				      "исправьте перед слиянием.\n"));
	assert_true(pk_review_has_errors(r));
	pk_buf_release(&b);
	pk_review_free(r);
}

static void test_report_text(void **state)
{
	pk_review *r = sample_review();
	pk_buf b = PK_BUF_INIT;
	(void)state;

	pk_review_report(&b, r, PK_REVIEW_TEXT);
	assert_string_equal(b.ptr,
			    "Изменения банка: origin/main (1a2b3c4) → HEAD\n"
			    "\n"
			    "Практики\n"
			    "  изменена: content/practices/a|b.md — *Лучшая* <практика> | №1\n"
			    "      goal: Было `так` → Стало [так](x)\n"
			    "      stages[2].title: — → Этап_2\n"
			    "      текст изменён\n"
			    "\n"
			    "Проблемы в изменённых файлах: 1\n"
			    "  content/practices/a|b.md:3: warning: unknown field 'gaol'\n"
			    "\n"
			    "Проблемы, вызванные изменениями, в других файлах: 1\n"
			    "  content/practices/c.md:10:11: error: unknown mentor 'x_y': no profile "
			    "content/mentors/x_y.md\n"
			    "\n"
			    "Итог: в изменениях 1 ошибка, 1 предупреждение — исправьте перед слиянием\n");
	pk_buf_release(&b);
	pk_review_free(r);
}

static void test_report_empty(void **state)
{
	pk_review *r = pk_xcalloc(1, sizeof(*r));
	pk_buf b = PK_BUF_INIT;
	(void)state;

	r->base_label = pk_xstrdup("main");
	r->head_label = pk_xstrdup("main");
	r->base_path = pk_xstrdup("/");
	pk_diag_add(&r->before, PK_DIAG_WARNING, "site.yaml", 2, 1, "old warning");
	r->fixed = 2;
	pk_review_report(&b, r, PK_REVIEW_TEXT);
	assert_string_equal(b.ptr, "Изменения банка: main → main\n"
				   "\n"
				   "Изменений в банке нет.\n"
				   "\n"
				   "Проблемы в изменённых файлах: нет\n"
				   "\n"
				   "Проблемы, вызванные изменениями, в других файлах: нет\n"
				   "\n"
				   "Прежние проблемы в других файлах: 1\n"
				   "  site.yaml:2:1: warning: old warning\n"
				   "\n"
				   "Исправлено прежних проблем: 2\n"
				   "\n"
				   "Итог: ошибок в изменениях нет\n");
	assert_false(pk_review_has_errors(r));
	pk_buf_clear(&b);
	pk_review_report(&b, r, PK_REVIEW_MARKDOWN);
	assert_non_null(strstr(b.ptr, "\nИзменений в банке нет.\n"));
	assert_non_null(strstr(b.ptr, "<details><summary>Прежние проблемы в других файлах: 1</summary>\n\n"
				      "- `site.yaml:2:1`: warning: old warning\n\n</details>\n"));
	pk_buf_release(&b);
	pk_review_free(r);
}

static void test_annotations(void **state)
{
	pk_review *r = sample_review();
	pk_value *a = pk_review_annotations(r);
	const pk_value *note = pk_value_map_get(a, "content/practices/a|b.md");
	const pk_value *fields = pk_value_map_get(note, "fields");
	const pk_value *goal = pk_value_map_get(fields, "goal");
	pk_value *pages;
	(void)state;

	assert_non_null(note);
	assert_string_equal(pk_value_str(pk_value_map_get(note, "status")), "changed");
	assert_true(pk_value_map_get(note, "is_changed")->as.b);
	assert_false(pk_value_map_get(note, "is_added")->as.b);
	assert_true(pk_value_map_get(note, "body_changed")->as.b);
	assert_int_equal(pk_value_map_get(note, "old_path")->type, PK_VALUE_NULL);
	assert_int_equal(pk_value_len(pk_value_map_get(note, "changed")), 2);
	/* every field a template may test is there, null when unchanged */
	assert_int_equal(pk_value_map_get(fields, "form")->type, PK_VALUE_NULL);
	assert_int_equal(pk_value_map_get(fields, "consent")->type, PK_VALUE_NULL);
	assert_int_equal(pk_value_map_get(fields, "weight")->type, PK_VALUE_NULL);
	assert_string_equal(pk_value_str(pk_value_map_get(goal, "old")), "Было `так`");
	assert_string_equal(pk_value_str(pk_value_map_get(goal, "new")), "Стало [так](x)");
	assert_non_null(pk_value_map_get(fields, "stages"));
	pk_value_free(a);

	pages = pk_review_extra_pages(r, "Изменения");
	assert_int_equal(pk_value_len(pages), 1);
	note = pk_value_list_at(pages, 0);
	assert_string_equal(pk_value_str(pk_value_map_get(note, "url_path")), "changes/");
	assert_string_equal(pk_value_str(pk_value_map_get(note, "template")), "changes");
	note = pk_value_list_at(pk_value_map_get(pk_value_map_get(note, "data"), "groups"), 0);
	note = pk_value_list_at(pk_value_map_get(note, "items"), 0);
	assert_string_equal(pk_value_str(pk_value_map_get(note, "url")), "/bank/practices/ab/");
	pk_value_free(pages);
	pk_review_free(r);
}

/* ---- two banks from folders -------------------------------------------- */

static const char practice_a[] =
	"---\ntitle: Практика А\ndate: 2024-01-01\nform: uchitel-uchitel\nregion: \"70\"\n"
	"organization: Школа\ngoal: Цель\nresults: [Итог]\n---\nТекст.\n";

static void write_common(const char *dir)
{
	pk_test_write(dir, "site.yaml", "title: Банк\n");
	pk_test_write(dir, "content/mentors/b.md",
		      "---\nname: Борисов Борис\nposition: учитель\norganization: Школа\nregion: \"70\"\n---\n");
}

static void write_base(const char *dir)
{
	write_common(dir);
	pk_test_write(dir, "content/practices/a.md", practice_a);
	pk_test_write(dir, "content/mentors/m.md",
		      "---\nname: Иванова Анна\nslug: ivanova\nposition: учитель\norganization: Школа\n"
		      "region: \"70\"\nconsent: {date: 2024-01-01, publish: [name, position]}\n---\n");
	pk_test_write(dir, "content/pages/about.md", "---\ntitle: О банке\n---\nТекст.\n");
	pk_test_write(dir, "content/files/old.txt", "старый файл\n");
}

static void write_head(const char *dir)
{
	write_common(dir);
	pk_test_write(dir, "content/practices/b.md", practice_a);
	pk_test_write(dir, "content/practices/q.md",
		      "---\ntitle: Без цели\ndate: 2024-01-01\nform: uchitel-uchitel\nregion: \"70\"\n"
		      "organization: Школа\nresults: [Итог]\n---\n");
	pk_test_write(dir, "content/mentors/ivanova-anna.md",
		      "---\nname: Иванова Анна\nslug: ivanova\nposition: завуч\norganization: Школа\n"
		      "region: \"70\"\nconsent: {date: 2024-01-01, publish: [name, position]}\n---\n");
	pk_test_write(dir, "content/pages/about.md", "---\ntitle: О нашем банке\n---\nТекст.\n");
	pk_test_write(dir, "content/files/new.txt", "новый файл\n");
}

typedef struct {
	char *dir;
	pk_source *src;
	pk_bank bank;
	pk_diags diags;
} test_side;

static void load_side(test_side *t, void (*write)(const char *))
{
	pk_bank_opts opts = PK_BANK_OPTS_INIT;
	pk_diags d = PK_DIAGS_INIT;

	t->dir = pk_test_tmpdir();
	write(t->dir);
	pk_diags_init(&t->diags);
	opts.today = (pk_date){ 2025, 1, 1 };
	assert_int_equal(pk_source_worktree_new(&t->src, t->dir, &d), 0);
	pk_bank_load(&t->bank, t->src, &opts, &t->diags);
	pk_diags_release(&d);
}

static void release_side(test_side *t)
{
	pk_bank_release(&t->bank);
	pk_source_free(t->src);
	pk_diags_release(&t->diags);
	pk_test_rmtree(t->dir);
	free(t->dir);
}

/* "status kind rel [old rel] fields…" of item i, with rel from the bank. */
static void expect_item(const pk_review *r, size_t i, pk_review_kind kind, pk_review_status status,
			const char *suffix, const char *old_suffix, size_t fields)
{
	const pk_review_item *it = r->items.items[i];
	size_t n = strlen(it->path), m = strlen(suffix);

	assert_int_equal(it->kind, kind);
	assert_int_equal(it->status, status);
	assert_true(n >= m && !strcmp(it->path + n - m, suffix));
	if (old_suffix) {
		n = strlen(it->old_path);
		m = strlen(old_suffix);
		assert_true(n >= m && !strcmp(it->old_path + n - m, old_suffix));
	} else {
		assert_null(it->old_path);
	}
	assert_int_equal(it->fields.len, fields);
}

static void test_compare_banks(void **state)
{
	test_side base, head;
	pk_review_side bs, hs;
	pk_review *r = NULL;
	pk_diags d = PK_DIAGS_INIT;
	const pk_review_item *it;
	(void)state;

	load_side(&base, write_base);
	load_side(&head, write_head);
	bs = (pk_review_side){ &base.bank, &base.diags, "base", NULL };
	hs = (pk_review_side){ &head.bank, &head.diags, "head", "0123456789abcdef" };
	assert_int_equal(pk_review_compare(&r, &bs, &hs, &d), 0);
	assert_int_equal(d.len, 0);
	assert_int_equal(r->items.len, 6);
	/* same content, another name: renamed though the slugs differ */
	expect_item(r, 0, PK_REVIEW_PRACTICE, PK_REVIEW_RENAMED, "/content/practices/b.md",
		    "/content/practices/a.md", 0);
	expect_item(r, 1, PK_REVIEW_PRACTICE, PK_REVIEW_ADDED, "/content/practices/q.md", NULL, 0);
	/* same slug, another file, a field changed */
	expect_item(r, 2, PK_REVIEW_MENTOR, PK_REVIEW_RENAMED, "/content/mentors/ivanova-anna.md",
		    "/content/mentors/m.md", 1);
	it = r->items.items[2];
	assert_string_equal(((pk_review_field *)it->fields.items[0])->name, "position");
	assert_string_equal(it->url_path, "mentors/ivanova/");
	assert_string_equal(it->rel, "content/mentors/ivanova-anna.md");
	expect_item(r, 3, PK_REVIEW_PAGE, PK_REVIEW_CHANGED, "/content/pages/about.md", NULL, 1);
	assert_false(((pk_review_item *)r->items.items[3])->body_changed);
	expect_item(r, 4, PK_REVIEW_FILE, PK_REVIEW_ADDED, "/content/files/new.txt", NULL, 0);
	expect_item(r, 5, PK_REVIEW_FILE, PK_REVIEW_REMOVED, "/content/files/old.txt", NULL, 0);
	/* q.md lacks its goal: an error of a changed file; b.md has no
	 * consent in both banks: a warning from before */
	assert_int_equal(r->in_changed.errors, 1);
	assert_int_equal(r->caused.len, 0);
	assert_int_equal(r->before.warnings, 1);
	assert_non_null(strstr(r->before.items[0].path, "content/mentors/b.md"));
	assert_string_equal(r->head_commit, "0123456");
	assert_null(r->base_commit);
	assert_true(pk_review_has_errors(r));
	pk_review_free(r);
	pk_diags_release(&d);
	release_side(&base);
	release_side(&head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_scalars),
		cmocka_unit_test(test_compact_lists_and_maps),
		cmocka_unit_test(test_compact_cut),
		cmocka_unit_test(test_diff_scalars),
		cmocka_unit_test(test_diff_nested),
		cmocka_unit_test(test_diff_depth_limit),
		cmocka_unit_test(test_diff_top_and_missing),
		cmocka_unit_test(test_report_markdown),
		cmocka_unit_test(test_report_text),
		cmocka_unit_test(test_report_empty),
		cmocka_unit_test(test_annotations),
		cmocka_unit_test(test_compare_banks),
	};
	pk_review_free(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
