/*
 * test_yaml_fast.c: the fast scanner for plain block YAML (src/yaml/fast.h)
 * held to libyaml. Every text is parsed both ways and the results must be
 * the same: the return code, every message, and the whole tree with each
 * value's and key's line:col. The cases say which texts the scanner must
 * take (so a scanner that declined everything would fail) and which it
 * must leave to libyaml; then every front matter and YAML file of the
 * repository, and mutations of them (8 of each; PK_TEST_MUTATIONS=N for
 * N, seeded by N, to search longer), go both ways too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "core/vec.h"
#include "testutil.h"
#include "value/value.h"
#include "yaml/fast.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tree as text, with every position: what the two must agree on. */
static void dump(pk_buf *out, const pk_value *v)
{
	size_t i;

	if (!v) {
		pk_buf_puts(out, "(none)");
		return;
	}
	pk_buf_printf(out, "@%d:%d ", v->pos.line, v->pos.col);
	switch (v->type) {
	case PK_VALUE_NULL: pk_buf_puts(out, "null"); break;
	case PK_VALUE_BOOL: pk_buf_puts(out, v->as.b ? "true" : "false"); break;
	case PK_VALUE_INT: pk_buf_printf(out, "int %lld", (long long)v->as.i); break;
	case PK_VALUE_FLOAT: pk_buf_printf(out, "float %.17g", v->as.f); break;
	case PK_VALUE_DATE:
		pk_buf_printf(out, "date %d-%d-%d", v->as.date.year, v->as.date.month,
			      v->as.date.day);
		break;
	case PK_VALUE_STRING:
		pk_buf_puts(out, "str \"");
		pk_buf_put(out, v->as.str.ptr, v->as.str.len);
		pk_buf_putc(out, '"');
		break;
	case PK_VALUE_LIST:
		pk_buf_puts(out, "[");
		for (i = 0; i < v->as.list.len; i++) {
			pk_buf_puts(out, i ? ", " : "");
			dump(out, v->as.list.items[i]);
		}
		pk_buf_puts(out, "]");
		break;
	case PK_VALUE_MAP:
		pk_buf_puts(out, "{");
		for (i = 0; i < v->as.map.len; i++) {
			const pk_map_entry *e = &v->as.map.entries[i];
			pk_buf_printf(out, "%s%s@%d:%d: ", i ? ", " : "", e->key, e->key_pos.line,
				      e->key_pos.col);
			dump(out, e->value);
		}
		pk_buf_puts(out, "}");
		break;
	default: pk_buf_puts(out, "object"); break;
	}
}

/* The result of one parse as text: code, messages, tree. */
static void result_of(pk_buf *out, const char *text, size_t len, int line_offset,
		      pk_yaml__scanner how, int *rc)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_diags d = PK_DIAGS_INIT;
	pk_value *v = NULL;

	opts.line_offset = line_offset;
	*rc = pk_yaml__parse_by(&v, text, len, "t.yml", &opts, &d, how);
	pk_buf_printf(out, "rc %d\n", *rc);
	pk_test_diags_text(out, &d);
	dump(out, v);
	pk_value_free(v);
	pk_diags_release(&d);
}

/* Parses text both ways; they must agree. Returns whether the fast
 * scanner took it. */
static bool same_both_ways(const char *what, const char *text, size_t len, int line_offset)
{
	pk_buf slow = PK_BUF_INIT, any = PK_BUF_INIT, fast = PK_BUF_INIT;
	int rc;
	bool took;

	result_of(&slow, text, len, line_offset, PK_YAML__LIBYAML, &rc);
	result_of(&any, text, len, line_offset, PK_YAML__ANY, &rc);
	result_of(&fast, text, len, line_offset, PK_YAML__FAST, &rc);
	took = rc != PK_ENOTSUP;
	if (strcmp(slow.ptr, any.ptr) != 0 || (took && strcmp(slow.ptr, fast.ptr) != 0)) {
		print_error("%s: the fast scanner differs from libyaml for:\n%.*s\n--- libyaml:\n%s\n"
			    "--- fast:\n%s\n",
			    what, (int)len, text, slow.ptr, took ? fast.ptr : any.ptr);
		fail();
	}
	pk_buf_release(&slow);
	pk_buf_release(&any);
	pk_buf_release(&fast);
	return took;
}

/* Texts the fast scanner must take, and give libyaml's result for. */
static const char *const taken[] = {
	"title: Hello\n",
	"title: Hello",
	"a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: null\ng: 2024-09-01\nh: 2024-09\ni: 0x1F\n",
	"a:\nb:   \nc: x\n",
	"a: 'it''s'\nb: \"quoted: #not a comment\"\nc: ''\nd: \"\"\n",
	"region: \"66\"\nunit: \"%\"\n",
	"url: https://example.ru/a#b\ntime: 10:30\nlang: C#\n",
	"list: [a, b, c]\nempty: []\nspaced: [ a b ,c ]\nnums: [1, 2.5, 2024-01-01]\n",
	"mentors:\n  - ivanova\n  - petrov\n",
	"mentors:\n- ivanova\n- petrov\nnext: 1\n",
	"stages:\n  - title: A\n    dates: 2020\n  - title: B\n    text: >-\n      one\n      two\n",
	"stages:\n- title: A\n  text: |\n    line 1\n      indented\n    line 3\n- title: B\n",
	"goal: >-\n  Закрепление молодых педагогов\n  в профессии.\n",
	"goal: >\n  folded\n  clip\n",
	"goal: >\n  para 1\n\n  para 2\n\n\n  para 3\nnext: x\n",
	"lit: |\n  a\n\n  b\n\nnext: x\n",
	"lit: |-\n  a\n  b\n",
	"lit: |\n  no final newline",
	"period:\n  start: 2020-02\n  end: 2020-07\n",
	"deep:\n  a:\n    b:\n      c:\n        - d\n        - e: f\n          g: h\n",
	"- a\n- b\n",
	"-\n- b\n-   \n",
	"- x: 1\n  y: 2\n- x: 3\n",
	"# a comment\n\ntitle: x\n",
	"title: x\n# comment\n  # indented comment\n\nnext: y\n",
	"  indented: root\n  second: 2\n",
	"key-with-dash: 1\nkey_2: 2\n",
	"dup: 1\ndup: 2\n",
	"n: 99999999999999999999\n",
	"a: Школа «Агрошкола» — опыт\nb: [один, два, три]\n",
	"stages:\n  - title: Подготовительный\n    dates: февраль 2020\n    text: >-\n      Входная диагностика затруднений,\n      формирование базы.\n",
	"x: a:b\ny: -5\nz: -foo\n",
	"results:\n  - \"проведено: 34\"\n  - доля выросла с 50 до 80 %\n",
	"period: {start: 2024-09, end: 2025-05}\nempty: {}\nsp: { a: 1 ,b: x y }\n",
	"region: {id: '70', title: \"Томская область\", url: https://x.ru/a}\n",
	"list: ['a', \"b\", 'it''s', c]\nattachments:\n  - {title: План, file: files/plan.pdf}\n",
	"a: [http://x, a:b]\n",
	"- a:\n  - x\n  b: 1\n",
	"a: |\n  x\n\n\nb: 1\n",
	"a: >-\n  x\n\n  y\n",
	"- |\n  lit\n- >\n  fold\n-\n",
	"a:\n  - |\n    x\n  - y\nb:\n- >-\n  z\n",
	"a: |\n    deeper body\n    still\n# comment ends it\nb: 2\n",
};

/* Texts it must leave to libyaml (the results still agree). */
static const char *const declined[] = {
	"",
	"# only a comment\n",
	"---\ntitle: x\n",
	"title: x\n...\n",
	"%YAML 1.2\n---\na: 1\n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
	"a: {b: {c: d}}\n",
	"a: {b: c\n",
	"a: {b:c}\n",
	"a: {b: }\n",
	"a: {: c}\n",
	"a: {b: c,}\n",
	"a: {b: c} d\n",
	"a: {b: c:}\n",
	"a: [x:, y]\n",
	"a: [\"x\" y]\n",
	"a: [\"e\\\"\"]\n",
	"a: {\"b\": c}\n",
	"a: [b, [c]]\n",
	"a: [b,\n  c]\n",
	"a: multi\n  line plain\n",
	"a: \"multi\n  line\"\n",
	"a: \"esc\\n\"\n",
	"a: x # comment\n",
	"a:\tx\n",
	"a: x\r\nb: y\r\n",
	"\xEF\xBB\xBF\x61: 1\n", /* a BOM, then "a: 1" */
	"a: >+\n  keep\n\n",
	"a: >2\n  x\n",
	"a: >\n  x\n    more indented\n",
	"a: |\n\n  leading blank\n",
	"a: |\n  x\n   \n  y\n",
	"\"quoted key\": 1\n",
	"ключ: значение\n",
	"? complex\n: value\n",
	"- - nested\n",
	"a: b: c\n",
	"a:\n  scalar on its own line\n",
	"a: 1\n - b\n",
	"a: [x, y] z\n",
	"a: 'unclosed\n",
	"a: [x,]\n",
	"a: [,x]\n",
	"a: [x: y]\n",
	"a: -\n",
	"a: |\nb: 1\n",
	"a: x\n  b: y\n",
	"a: ok\nbad line\n",
	"a: 1\n\x01\n",
	"a: \xC2\x85\n",
	"a: \xE2\x80\xA8\n",
	"scalar\n",
	"[a, b]\n",
};

static void test_taken(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		if (!same_both_ways("taken", taken[i], strlen(taken[i]), 0)) {
			print_error("the fast scanner declined case %zu:\n%s\n", i, taken[i]);
			fail();
		}
	}
}

static void test_declined(void **state)
{
	pk_buf long_key = PK_BUF_INIT;
	size_t i;
	(void)state;

	for (i = 0; i < 1100; i++) /* libyaml wants a key within 1024 characters */
		pk_buf_putc(&long_key, 'k');
	pk_buf_puts(&long_key, ": v\n");
	assert_false(same_both_ways("long key", long_key.ptr, long_key.len, 0));
	pk_buf_release(&long_key);

	for (i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
		if (same_both_ways("declined", declined[i], strlen(declined[i]), 0)) {
			print_error("the fast scanner took case %zu:\n%s\n", i, declined[i]);
			fail();
		}
	}
}

/* Positions count from line_offset as for front matter. */
static void test_line_offset(void **state)
{
	(void)state;
	assert_true(same_both_ways("offset", "a: 1\nb:\n  - c\n", 14, 7));
}

/* ---- the repository's YAML, and mutations of it ------------------------- */

typedef struct {
	const char *root;
	size_t texts, fast;
	pk_vec *keep; /* pk_buf * of the texts, for the mutations */
} corpus;

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void add_text(corpus *c, const char *what, const char *text, size_t len, int offset)
{
	pk_buf *copy = malloc(sizeof(*copy));

	c->texts++;
	c->fast += same_both_ways(what, text, len, offset);
	pk_buf_init(copy);
	pk_buf_put(copy, text, len);
	pk_vec_push(c->keep, copy);
}

static int visit(const char *rel, void *payload)
{
	corpus *c = payload;
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;

	if (!has_suffix(rel, ".md") && !has_suffix(rel, ".yaml") && !has_suffix(rel, ".yml"))
		return 0;
	pk_path_join(&path, c->root, rel);
	if (pk_fs_read(&text, path.ptr, NULL) == PK_OK) {
		if (!has_suffix(rel, ".md"))
			add_text(c, path.ptr, text.ptr, text.len, 0);
		else if (pk_frontmatter_split(&fm, text.ptr, text.len, path.ptr, false, &d) ==
				 PK_OK &&
			 fm.present)
			add_text(c, path.ptr, fm.yaml.p, fm.yaml.len, fm.yaml_line - 1);
	}
	pk_diags_release(&d);
	pk_buf_release(&path);
	pk_buf_release(&text);
	return 0;
}

/* Deterministic: the same mutations on every run. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* One small edit of the kind that breaks YAML: a byte dropped, doubled
 * or replaced by one of YAML's own characters, a line re-indented. */
static void mutate(pk_buf *out, const pk_buf *text, uint32_t *rnd)
{
	static const char chars[] = " -:#'\"[]{},>|&*!\n\t";
	size_t at = text->len ? next_random(rnd) % text->len : 0;

	pk_buf_clear(out);
	pk_buf_put(out, text->ptr, at);
	switch (next_random(rnd) % 4) {
	case 0: /* drop */
		if (at < text->len)
			at++;
		break;
	case 1: /* double */
		if (at < text->len)
			pk_buf_putc(out, text->ptr[at]);
		break;
	case 2: /* a YAML character */
		pk_buf_putc(out, chars[next_random(rnd) % (sizeof(chars) - 1)]);
		break;
	default: /* two more spaces of indentation */
		pk_buf_puts(out, "  ");
		break;
	}
	pk_buf_put(out, text->ptr + at, text->len - at);
}

static void test_repository_yaml(void **state)
{
	static const char *const roots[] = { "content", "tests", "themes", "src/content/vocab",
					     "bench/data" };
	pk_vec keep = PK_VEC_INIT;
	corpus c = { NULL, 0, 0, &keep };
	pk_buf root = PK_BUF_INIT, mutated = PK_BUF_INIT;
	const char *env = getenv("PK_TEST_MUTATIONS");
	size_t per_text = env && atoi(env) > 0 ? (size_t)atoi(env) : 8, i, j;
	uint32_t rnd = env && atoi(env) > 0 ? (uint32_t)atoi(env) : 12345;
	(void)state;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		pk_buf_clear(&root);
		pk_path_join(&root, pk_test_top(), roots[i]);
		c.root = root.ptr;
		pk_fs_walk(root.ptr, visit, NULL, &c, NULL);
	}
	/* The sample bank alone has dozens of front matters, nearly all in
	 * the subset: a scanner that gave up on them would be no use. */
	print_message("# %zu YAML texts, %zu taken by the fast scanner\n", c.texts, c.fast);
	assert_true(c.texts >= 50);
	assert_true(c.fast * 10 >= c.texts * 6);
	for (i = 0; i < keep.len; i++) {
		for (j = 0; j < per_text; j++) {
			mutate(&mutated, keep.items[i], &rnd);
			same_both_ways("mutation", mutated.ptr, mutated.len, 0);
		}
		pk_buf_release(keep.items[i]);
		free(keep.items[i]);
	}
	pk_vec_release(&keep);
	pk_buf_release(&root);
	pk_buf_release(&mutated);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_taken),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_line_offset),
		cmocka_unit_test(test_repository_yaml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
