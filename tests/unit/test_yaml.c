/*
 * test_yaml.c: the YAML module: typing of scalars, positions, the exact
 * text of every diagnostic, hostile inputs (alias bombs, deep nesting,
 * large files), the front-matter split, and the data-driven front-matter
 * cases in tests/yaml-cases/frontmatter.yml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PATH "t.yml"

/* All diagnostics, formatted, one per line (no final newline). */
static char *format_diags(const pk_diags *d)
{
	pk_buf out = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < d->len; i++) {
		if (i)
			pk_buf_putc(&out, '\n');
		pk_diag_format(&out, &d->items[i]);
	}
	return pk_buf_detach(&out);
}

static pk_value *parse_opts(const char *text, size_t len, const pk_yaml_opts *opts)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_value *v = NULL;
	int rc = pk_yaml_parse(&v, text, len, PATH, opts, &d);
	if (rc != PK_OK || d.len) {
		char *msg = format_diags(&d);
		print_error("unexpected failure %d for [%s]:\n%s\n", rc, text, msg);
		free(msg);
	}
	assert_int_equal(rc, PK_OK);
	assert_int_equal(d.len, 0);
	assert_non_null(v);
	pk_diags_release(&d);
	return v;
}

static pk_value *parse(const char *text)
{
	return parse_opts(text, strlen(text), NULL);
}

/* Parses text expecting failure with return code rc; returns the
 * diagnostics as text (caller frees). */
static char *parse_fail_opts(const char *text, size_t len, const pk_yaml_opts *opts, int rc)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_value *v = NULL;
	char *msg;

	assert_int_equal(pk_yaml_parse(&v, text, len, PATH, opts, &d), rc);
	assert_null(v);
	assert_true(d.errors > 0);
	msg = format_diags(&d);
	pk_diags_release(&d);
	return msg;
}

static void expect_error(const char *text, const char *expected)
{
	char *msg = parse_fail_opts(text, strlen(text), NULL, PK_ERROR);
	assert_string_equal(msg, expected);
	free(msg);
}

static char *text_of(const pk_value *v)
{
	pk_buf out = PK_BUF_INIT;
	pk_value_to_text(&out, v);
	return pk_buf_detach(&out);
}

/* ---- typing ---- */

typedef struct {
	const char *input;
	pk_value_type type;
	const char *text; /* pk_value_to_text of the result */
} typing_case;

static const typing_case typing_cases[] = {
	/* null */
	{ "~", PK_VALUE_NULL, "" },
	{ "null", PK_VALUE_NULL, "" },
	{ "Null", PK_VALUE_NULL, "" },
	{ "NULL", PK_VALUE_NULL, "" },
	{ "", PK_VALUE_NULL, "" },
	{ "nULL", PK_VALUE_STRING, "nULL" },
	{ "None", PK_VALUE_STRING, "None" },
	/* bool */
	{ "true", PK_VALUE_BOOL, "true" },
	{ "True", PK_VALUE_BOOL, "true" },
	{ "TRUE", PK_VALUE_BOOL, "true" },
	{ "false", PK_VALUE_BOOL, "false" },
	{ "False", PK_VALUE_BOOL, "false" },
	{ "FALSE", PK_VALUE_BOOL, "false" },
	{ "tRUE", PK_VALUE_STRING, "tRUE" },
	{ "yes", PK_VALUE_STRING, "yes" },
	{ "no", PK_VALUE_STRING, "no" },
	{ "on", PK_VALUE_STRING, "on" },
	{ "y", PK_VALUE_STRING, "y" },
	/* int */
	{ "0", PK_VALUE_INT, "0" },
	{ "42", PK_VALUE_INT, "42" },
	{ "-17", PK_VALUE_INT, "-17" },
	{ "+5", PK_VALUE_INT, "5" },
	{ "-0", PK_VALUE_INT, "0" },
	{ "007", PK_VALUE_INT, "7" },
	{ "0o17", PK_VALUE_INT, "15" },
	{ "0o0", PK_VALUE_INT, "0" },
	{ "0x1F", PK_VALUE_INT, "31" },
	{ "0xff", PK_VALUE_INT, "255" },
	{ "0x7FFFFFFFFFFFFFFF", PK_VALUE_INT, "9223372036854775807" },
	{ "9223372036854775807", PK_VALUE_INT, "9223372036854775807" },
	{ "-9223372036854775808", PK_VALUE_INT, "-9223372036854775808" },
	{ "0o8", PK_VALUE_STRING, "0o8" },
	{ "0x", PK_VALUE_STRING, "0x" },
	{ "0xg", PK_VALUE_STRING, "0xg" },
	{ "-0x10", PK_VALUE_STRING, "-0x10" },
	{ "+0o7", PK_VALUE_STRING, "+0o7" },
	{ "1_000", PK_VALUE_STRING, "1_000" },
	{ "0b101", PK_VALUE_STRING, "0b101" },
	{ "12abc", PK_VALUE_STRING, "12abc" },
	{ "99999999999999999999x", PK_VALUE_STRING, "99999999999999999999x" },
	{ "+", PK_VALUE_STRING, "+" },
	/* float */
	{ "1.5", PK_VALUE_FLOAT, "1.5" },
	{ "1.21", PK_VALUE_FLOAT, "1.21" },
	{ ".5", PK_VALUE_FLOAT, "0.5" },
	{ "-.5", PK_VALUE_FLOAT, "-0.5" },
	{ "+.5", PK_VALUE_FLOAT, "0.5" },
	{ "1.", PK_VALUE_FLOAT, "1" },
	{ "3.0", PK_VALUE_FLOAT, "3" },
	{ "1e3", PK_VALUE_FLOAT, "1000" },
	{ "1E-2", PK_VALUE_FLOAT, "0.01" },
	{ "+1.5e+2", PK_VALUE_FLOAT, "150" },
	{ "-2.5E-3", PK_VALUE_FLOAT, "-0.0025" },
	{ "1e100", PK_VALUE_FLOAT, "1e+100" },
	{ ".inf", PK_VALUE_FLOAT, ".inf" },
	{ ".Inf", PK_VALUE_FLOAT, ".inf" },
	{ "+.INF", PK_VALUE_FLOAT, ".inf" },
	{ "-.Inf", PK_VALUE_FLOAT, "-.inf" },
	{ "-.inf", PK_VALUE_FLOAT, "-.inf" },
	{ ".nan", PK_VALUE_FLOAT, ".nan" },
	{ ".NaN", PK_VALUE_FLOAT, ".nan" },
	{ ".NAN", PK_VALUE_FLOAT, ".nan" },
	{ "-.nan", PK_VALUE_STRING, "-.nan" },
	{ ".nAn", PK_VALUE_STRING, ".nAn" },
	{ "inf", PK_VALUE_STRING, "inf" },
	{ "nan", PK_VALUE_STRING, "nan" },
	{ "1.2.3", PK_VALUE_STRING, "1.2.3" },
	{ ".", PK_VALUE_STRING, "." },
	{ "e3", PK_VALUE_STRING, "e3" },
	{ "1e", PK_VALUE_STRING, "1e" },
	{ "1e+", PK_VALUE_STRING, "1e+" },
	{ "1,5", PK_VALUE_STRING, "1,5" },
	/* dates */
	{ "2024-09-01", PK_VALUE_DATE, "2024-09-01" },
	{ "2024-09", PK_VALUE_DATE, "2024-09" },
	{ "2024-02-29", PK_VALUE_DATE, "2024-02-29" },
	{ "2000-02-29", PK_VALUE_DATE, "2000-02-29" },
	{ "2023-02-29", PK_VALUE_STRING, "2023-02-29" },
	{ "1900-02-29", PK_VALUE_STRING, "1900-02-29" },
	{ "2024-04-31", PK_VALUE_STRING, "2024-04-31" },
	{ "2024-13", PK_VALUE_STRING, "2024-13" },
	{ "2024-00", PK_VALUE_STRING, "2024-00" },
	{ "2024-9-1", PK_VALUE_STRING, "2024-9-1" },
	{ "2024-09-01T10:00:00", PK_VALUE_STRING, "2024-09-01T10:00:00" },
	{ "2024-09-01 ", PK_VALUE_DATE, "2024-09-01" }, /* trailing space is not content */
	/* strings */
	{ "hello world", PK_VALUE_STRING, "hello world" },
	{ "Наставничество «учитель — учитель»", PK_VALUE_STRING,
	  "Наставничество «учитель — учитель»" },
	{ "N = A / B × 100 %", PK_VALUE_STRING, "N = A / B × 100 %" },
	{ "-x", PK_VALUE_STRING, "-x" },
	/* quoted and block scalars stay strings */
	{ "'42'", PK_VALUE_STRING, "42" },
	{ "\"true\"", PK_VALUE_STRING, "true" },
	{ "'~'", PK_VALUE_STRING, "~" },
	{ "''", PK_VALUE_STRING, "" },
	{ "\"2024-09-01\"", PK_VALUE_STRING, "2024-09-01" },
	{ "|\n  12\n", PK_VALUE_STRING, "12\n" },
	{ ">\n  1.5\n", PK_VALUE_STRING, "1.5\n" },
	{ "\"a\\tb\"", PK_VALUE_STRING, "a\tb" },
	/* standard tags */
	{ "!!str 42", PK_VALUE_STRING, "42" },
	{ "!!str", PK_VALUE_STRING, "" },
	{ "!!int \"42\"", PK_VALUE_INT, "42" },
	{ "!!int 0x10", PK_VALUE_INT, "16" },
	{ "!!float 1", PK_VALUE_FLOAT, "1" },
	{ "!!float '.5'", PK_VALUE_FLOAT, "0.5" },
	{ "!!bool 'true'", PK_VALUE_BOOL, "true" },
	{ "!!null ''", PK_VALUE_NULL, "" },
	{ "!!timestamp 2024-09-01", PK_VALUE_DATE, "2024-09-01" },
	{ "! 12", PK_VALUE_STRING, "12" },
	{ "!<tag:yaml.org,2002:str> 12", PK_VALUE_STRING, "12" },
};

static void test_typing(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(typing_cases); i++) {
		const typing_case *c = &typing_cases[i];
		pk_value *v = parse(c->input);
		char *text = text_of(v);
		if (v->type != c->type || strcmp(text, c->text) != 0)
			print_error("case [%s]: got %s '%s', want %s '%s'\n", c->input,
				    pk_value_type_name(v->type), text, pk_value_type_name(c->type),
				    c->text);
		assert_int_equal(v->type, c->type);
		assert_string_equal(text, c->text);
		free(text);
		pk_value_free(v);
	}
}

static void test_typing_values(void **state)
{
	pk_value *v = parse("[1.5, -.inf, .nan, 0o777, -9223372036854775808, 2024-09]");
	(void)state;
	assert_true(pk_value_list_at(v, 0)->as.f == 1.5);
	assert_true(isinf(pk_value_list_at(v, 1)->as.f) && pk_value_list_at(v, 1)->as.f < 0);
	assert_true(isnan(pk_value_list_at(v, 2)->as.f));
	assert_int_equal(pk_value_list_at(v, 3)->as.i, 511);
	assert_true(pk_value_list_at(v, 4)->as.i == INT64_MIN);
	assert_int_equal(pk_value_list_at(v, 5)->as.date.year, 2024);
	assert_int_equal(pk_value_list_at(v, 5)->as.date.month, 9);
	assert_int_equal(pk_value_list_at(v, 5)->as.date.day, 0);
	pk_value_free(v);
}

static void test_empty_documents(void **state)
{
	static const char *const empties[] = { "", "\n\n", "# only a comment\n", "---\n", "---\n...\n" };
	size_t i;
	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(empties); i++) {
		pk_value *v = parse(empties[i]);
		assert_int_equal(v->type, PK_VALUE_NULL);
		pk_value_free(v);
	}
}

static void test_structure(void **state)
{
	const char *text = "title: Hello\n"
			   "kinds: [a, b]\n"
			   "period: {start: 2023-09, end: 2024-05}\n"
			   "empty_list: []\n"
			   "empty_map: {}\n"
			   "nothing:\n"
			   "nested:\n"
			   "  - name: x\n"
			   "    value: 1\n"
			   "  - - deep\n";
	pk_value *v = parse(text);
	pk_value *nested;
	(void)state;

	assert_int_equal(v->type, PK_VALUE_MAP);
	assert_int_equal(pk_value_len(v), 7);
	/* insertion order */
	assert_string_equal(v->as.map.entries[0].key, "title");
	assert_string_equal(v->as.map.entries[6].key, "nested");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "title")), "Hello");
	assert_int_equal(pk_value_len(pk_value_map_get(v, "kinds")), 2);
	assert_int_equal(pk_value_map_get(pk_value_map_get(v, "period"), "end")->type,
			 PK_VALUE_DATE);
	assert_int_equal(pk_value_map_get(v, "empty_list")->type, PK_VALUE_LIST);
	assert_int_equal(pk_value_len(pk_value_map_get(v, "empty_list")), 0);
	assert_int_equal(pk_value_map_get(v, "empty_map")->type, PK_VALUE_MAP);
	assert_int_equal(pk_value_map_get(v, "nothing")->type, PK_VALUE_NULL);
	nested = pk_value_map_get(v, "nested");
	assert_int_equal(pk_value_map_get(pk_value_list_at(nested, 0), "value")->as.i, 1);
	assert_string_equal(pk_value_str(pk_value_list_at(pk_value_list_at(nested, 1), 0)), "deep");
	pk_value_free(v);
}

/* Keys are text as written, whatever they would type as. */
static void test_keys_are_text(void **state)
{
	pk_value *v = parse("1: a\ntrue: b\n2024-09-01: c\n~: d\n'q': e\n1.50: f\n");
	(void)state;
	assert_string_equal(pk_value_str(pk_value_map_get(v, "1")), "a");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "true")), "b");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "2024-09-01")), "c");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "~")), "d");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "q")), "e");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "1.50")), "f");
	pk_value_free(v);
	/* merge keys are not special */
	v = parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n");
	assert_non_null(pk_value_map_get(pk_value_map_get(v, "other"), "<<"));
	assert_null(pk_value_map_get(pk_value_map_get(v, "other"), "x"));
	pk_value_free(v);
}

/* ---- positions ---- */

static void assert_pos(pk_pos pos, int line, int col)
{
	if (pos.line != line || pos.col != col)
		print_error("position %d:%d, want %d:%d\n", pos.line, pos.col, line, col);
	assert_int_equal(pos.line, line);
	assert_int_equal(pos.col, col);
}

static void test_positions(void **state)
{
	const char *text = "title: Hello\n"
			   "list:\n"
			   "  - a\n"
			   "  - b: 1\n"
			   "    c: [x, {y: z}]\n"
			   "text: |\n"
			   "  block\n"
			   "q: \"Привет\"  # comment\n"
			   "п: 'ё' \n";
	pk_value *v = parse(text);
	pk_value *list, *item;
	const pk_map_entry *e;
	(void)state;

	assert_pos(v->pos, 1, 1);
	e = pk_value_map_entry(v, "title", 5);
	assert_pos(e->key_pos, 1, 1);
	assert_pos(e->value->pos, 1, 8);
	list = pk_value_map_get(v, "list");
	assert_pos(list->pos, 3, 3);
	assert_pos(pk_value_list_at(list, 0)->pos, 3, 5);
	item = pk_value_list_at(list, 1);
	assert_pos(item->pos, 4, 5);
	e = pk_value_map_entry(item, "c", 1);
	assert_pos(e->key_pos, 5, 5);
	assert_pos(e->value->pos, 5, 8);
	assert_pos(pk_value_list_at(e->value, 0)->pos, 5, 9);
	assert_pos(pk_value_list_at(e->value, 1)->pos, 5, 12);
	assert_pos(pk_value_map_get(pk_value_list_at(e->value, 1), "y")->pos, 5, 16);
	assert_pos(pk_value_map_get(v, "text")->pos, 6, 7);
	assert_pos(pk_value_map_get(v, "q")->pos, 8, 4);
	/* columns count characters, not bytes */
	e = pk_value_map_entry(v, "п", strlen("п"));
	assert_pos(e->key_pos, 9, 1);
	assert_pos(e->value->pos, 9, 4);
	pk_value_free(v);
}

static void test_positions_line_offset(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "a: 1\nb:\n  - x\n";
	pk_value *v;
	(void)state;

	opts.line_offset = 10;
	v = parse_opts(text, strlen(text), &opts);
	assert_pos(pk_value_map_get(v, "a")->pos, 11, 4);
	assert_pos(pk_value_map_entry(v, "b", 1)->key_pos, 12, 1);
	assert_pos(pk_value_list_at(pk_value_map_get(v, "b"), 0)->pos, 13, 5);
	pk_value_free(v);
}

static void test_positions_crlf_bom(void **state)
{
	const char *text = "\xEF\xBB\xBF" "a: 1\r\nb: two\r\n";
	pk_value *v = parse(text);
	(void)state;
	assert_pos(pk_value_map_entry(v, "a", 1)->key_pos, 1, 1);
	assert_pos(pk_value_map_get(v, "b")->pos, 2, 4);
	assert_string_equal(pk_value_str(pk_value_map_get(v, "b")), "two");
	pk_value_free(v);
}

/* ---- anchors and aliases ---- */

static void test_aliases(void **state)
{
	const char *text = "base: &b\n"
			   "  x: 1\n"
			   "  list: [a, b]\n"
			   "copy: *b\n"
			   "name: &n Anna\n"
			   "again: *n\n"
			   "*n : as key\n"
			   "redefined: &b 2\n"
			   "later: *b\n";
	pk_value *v = parse(text);
	pk_value *copy;
	(void)state;

	copy = pk_value_map_get(v, "copy");
	assert_true(pk_value_equal(copy, pk_value_map_get(v, "base")));
	assert_true(copy != pk_value_map_get(v, "base"));
	assert_pos(copy->pos, 4, 7); /* the copy stands where the alias is */
	assert_string_equal(pk_value_str(pk_value_map_get(v, "again")), "Anna");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "Anna")), "as key");
	assert_int_equal(pk_value_map_get(v, "later")->as.i, 2);
	pk_value_free(v);

	/* an anchored key can be used as a value */
	v = parse("&k key: 1\nother: *k\n");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "other")), "key");
	pk_value_free(v);
}

static void test_alias_errors(void **state)
{
	(void)state;
	expect_error("a: *nothing\n", PATH ":1:4: error: alias 'nothing' refers to no anchor before it");
	expect_error("a: &x [1, *x]\n",
		     PATH ":1:11: error: alias 'x' is inside the value it refers to");
	expect_error("a: &x [1]\n*x : 2\n", PATH ":2:1: error: map keys must be plain text");
	expect_error("*x : 1\nb: 2\n", PATH ":1:1: error: alias 'x' refers to no anchor before it");
	expect_error("&r {a: *r}\n", PATH ":1:8: error: alias 'r' is inside the value it refers to");
	/* anchors do not reach into the next document */
	{
		pk_yaml_opts opts = PK_YAML_OPTS_INIT;
		const char *text = "a: &x 1\n---\nb: *x\n";
		char *msg;
		opts.allow_multi_doc = true;
		msg = parse_fail_opts(text, strlen(text), &opts, PK_ERROR);
		assert_string_equal(msg, PATH ":3:4: error: alias 'x' refers to no anchor before it");
		free(msg);
	}
}

/* The classic billion laughs: 9 levels of 9 aliases each. */
static char *billion_laughs(void)
{
	pk_buf b = PK_BUF_INIT;
	int level, i;

	pk_buf_puts(&b, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (level = 1; level <= 9; level++) {
		pk_buf_printf(&b, "a%d: &a%d [", level, level);
		for (i = 0; i < 9; i++)
			pk_buf_printf(&b, "%s*a%d", i ? ", " : "", level - 1);
		pk_buf_puts(&b, "]\n");
	}
	return pk_buf_detach(&b);
}

static void test_alias_bomb(void **state)
{
	char *text = billion_laughs();
	clock_t start = clock();
	char *msg;
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	(void)state;

	msg = parse_fail_opts(text, strlen(text), NULL, PK_ELIMIT);
	assert_string_equal(msg, PATH ":7:10: error: document too large: more than 1000000 values "
				 "after expanding aliases");
	free(msg);
	/* generous: it takes milliseconds natively, and must not take minutes */
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 30.0);

	opts.max_nodes = 1000;
	msg = parse_fail_opts(text, strlen(text), &opts, PK_ELIMIT);
	assert_string_equal(msg, PATH ":4:10: error: document too large: more than 1000 values "
				 "after expanding aliases");
	free(msg);
	free(text);
}

/* Few values, but each alias copies a long string. */
static void test_alias_text_bomb(void **state)
{
	pk_buf b = PK_BUF_INIT;
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	char *msg;
	int i;
	(void)state;

	pk_buf_puts(&b, "s: &s ");
	for (i = 0; i < 100000; i++)
		pk_buf_putc(&b, 'x');
	pk_buf_puts(&b, "\nl: [");
	for (i = 0; i < 1000; i++)
		pk_buf_puts(&b, "*s, ");
	pk_buf_puts(&b, "*s]\n");
	msg = parse_fail_opts(b.ptr, b.len, NULL, PK_ELIMIT);
	assert_string_equal(msg, PATH ":2:673: error: document too large: more than 16777216 bytes "
				 "of text after expanding aliases");
	free(msg);
	/* the same copies as keys of many maps */
	pk_buf_clear(&b);
	pk_buf_puts(&b, "s: &s abcdefghij\nl:\n");
	for (i = 0; i < 20; i++)
		pk_buf_puts(&b, "  - *s : 1\n");
	opts.max_alias_bytes = 100;
	msg = parse_fail_opts(b.ptr, b.len, &opts, PK_ELIMIT);
	assert_string_equal(msg, PATH ":13:5: error: document too large: more than 100 bytes "
				 "of text after expanding aliases");
	free(msg);
	pk_buf_release(&b);
}

/* An alias may not carry the tree past max_depth either. */
static void test_alias_depth(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "a: &a [[[1]]]\nb: [[*a]]\n";
	pk_value *v;
	char *msg;
	(void)state;

	opts.max_depth = 6;
	v = parse_opts(text, strlen(text), &opts);
	pk_value_free(v);
	opts.max_depth = 5;
	msg = parse_fail_opts(text, strlen(text), &opts, PK_ELIMIT);
	assert_string_equal(msg, PATH ":2:6: error: nesting too deep (more than 5 levels)");
	free(msg);
}

/* ---- limits ---- */

static char *repeat(const char *open, size_t n, const char *middle, const char *close)
{
	pk_buf b = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < n; i++)
		pk_buf_puts(&b, open);
	pk_buf_puts(&b, middle);
	for (i = 0; close && i < n; i++)
		pk_buf_puts(&b, close);
	return pk_buf_detach(&b);
}

static void expect_too_deep(char *text, const char *expected)
{
	clock_t start = clock();
	char *msg = parse_fail_opts(text, strlen(text), NULL, PK_ELIMIT);
	assert_string_equal(msg, expected);
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 30.0);
	free(msg);
	free(text);
}

static void test_depth_limit(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	char *text;
	pk_value *v;
	(void)state;

	expect_too_deep(repeat("[", 100000, "x", "]"),
			PATH ":1:65: error: nesting too deep (more than 64 levels)");
	expect_too_deep(repeat("[", 100000, "", NULL),
			PATH ":1:65: error: nesting too deep (more than 64 levels)");
	expect_too_deep(repeat("{a: ", 100000, "x", "}"),
			PATH ":1:257: error: nesting too deep (more than 64 levels)");
	expect_too_deep(repeat("- ", 100000, "x", NULL),
			PATH ":1:129: error: nesting too deep (more than 64 levels)");
	/* exactly at the limit is fine */
	text = repeat("[", 64, "x", "]");
	v = parse(text);
	pk_value_free(v);
	free(text);
	opts.max_depth = 3;
	text = repeat("[", 4, "x", "]");
	free(parse_fail_opts(text, strlen(text), &opts, PK_ELIMIT));
	free(text);
}

static void test_node_limit_without_aliases(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "[1, 2, 3, 4]";
	char *msg;
	(void)state;
	opts.max_nodes = 4;
	msg = parse_fail_opts(text, strlen(text), &opts, PK_ELIMIT);
	assert_string_equal(msg, PATH ":1:11: error: document too large: more than 4 values after "
				 "expanding aliases");
	free(msg);
	opts.max_nodes = 5;
	pk_value_free(parse_opts(text, strlen(text), &opts));
}

static void test_large_input(void **state)
{
	pk_buf b = PK_BUF_INIT;
	pk_value *v;
	size_t n = 0;
	(void)state;

	while (b.len < 10u * 1024 * 1024) {
		pk_buf_printf(&b, "field_%07zu: значение номер %zu\n", n, n);
		n++;
	}
	v = parse_opts(b.ptr, b.len, NULL);
	assert_int_equal(pk_value_len(v), n);
	assert_string_equal(pk_value_str(pk_value_map_get(v, "field_0012345")), "значение номер 12345");
	assert_pos(pk_value_map_entry(v, "field_0012345", 13)->key_pos, 12346, 1);
	pk_value_free(v);
	pk_buf_release(&b);
}

/* ---- diagnostics ---- */

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("a: b: c\n", PATH ":1:5: error: mapping values are not allowed in this context");
	expect_error("title: \"unclosed\n",
		     PATH ":2:1: error: found unexpected end of stream\n" PATH
			  ":1:8: note: while scanning a quoted scalar that starts here");
	expect_error("kinds: [a, b\n",
		     PATH ":2:1: error: did not find expected ',' or ']'\n" PATH
			  ":1:8: note: while parsing a flow sequence that starts here");
	expect_error("a: 1\n\tb: 2\n",
		     PATH ":2:1: error: found a tab character that violates indentation\n" PATH
			  ":1:4: note: while scanning a plain scalar that starts here");
	expect_error("a: @x\n", PATH ":1:4: error: found character that cannot start any token");
	expect_error("a:\n  - x\n  y: 1\n",
		     PATH ":3:3: error: did not find expected '-' indicator\n" PATH
			  ":2:3: note: while parsing a block collection that starts here");
	expect_error("a: 1\n b: 2\n",
		     PATH ":2:3: error: mapping values are not allowed in this context");
}

static void test_error_line_offset(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "a: 1\nb: c: d\n";
	char *msg;
	(void)state;
	opts.line_offset = 1;
	msg = parse_fail_opts(text, strlen(text), &opts, PK_ERROR);
	assert_string_equal(msg, PATH ":3:5: error: mapping values are not allowed in this context");
	free(msg);
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	expect_error("title: a\nslug: b\ntitle: c\n",
		     PATH ":3:1: error: duplicate key 'title'\n" PATH
			  ":1:1: note: the first 'title' is here");
	/* every duplicate is reported, in nested maps too */
	expect_error("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n",
		     PATH ":4:3: error: duplicate key 'x'\n" PATH ":3:3: note: the first 'x' is here\n" PATH
			  ":5:1: error: duplicate key 'a'\n" PATH ":1:1: note: the first 'a' is here");
	expect_error("{a: 1, 'a': 2}",
		     PATH ":1:8: error: duplicate key 'a'\n" PATH ":1:2: note: the first 'a' is here");
	/* a dropped duplicate may still be named by an anchor */
	expect_error("a: 1\na: &x [1]\nb: *x\n",
		     PATH ":2:1: error: duplicate key 'a'\n" PATH ":1:1: note: the first 'a' is here");
	/* long keys are cut in the message */
	expect_error("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\n"
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 2\n",
		     PATH ":2:1: error: duplicate key "
			  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'\n" PATH
			  ":1:1: note: the first "
			  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is here");
}

static void test_non_scalar_keys(void **state)
{
	(void)state;
	expect_error("[a, b]: 1\nc: 2\n", PATH ":1:1: error: map keys must be plain text");
	expect_error("? {x: 1}\n: 1\n", PATH ":1:3: error: map keys must be plain text");
	expect_error("a: 1\n? - x\n: 2\nb: [{c: 1}, {[d]: 2}]\n",
		     PATH ":2:3: error: map keys must be plain text\n" PATH
			  ":4:14: error: map keys must be plain text");
}

static void test_multi_document(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "a: 1\n---\nb: 2\n--- 3\n";
	pk_value *v;
	(void)state;

	expect_error(text, PATH ":2:1: error: a second YAML document starts here; only one is allowed");
	expect_error("--- a\n--- b\n",
		     PATH ":2:1: error: a second YAML document starts here; only one is allowed");
	opts.allow_multi_doc = true;
	v = parse_opts(text, strlen(text), &opts);
	assert_int_equal(v->type, PK_VALUE_LIST);
	assert_int_equal(pk_value_len(v), 3);
	assert_int_equal(pk_value_map_get(pk_value_list_at(v, 1), "b")->as.i, 2);
	assert_int_equal(pk_value_list_at(v, 2)->as.i, 3);
	pk_value_free(v);
	v = parse_opts("", 0, &opts);
	assert_int_equal(v->type, PK_VALUE_LIST);
	assert_int_equal(pk_value_len(v), 0);
	pk_value_free(v);
	/* one document is fine with or without the markers */
	v = parse("--- \na: 1\n...\n");
	assert_int_equal(pk_value_map_get(v, "a")->as.i, 1);
	pk_value_free(v);
}

static void test_tags(void **state)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	const char *text = "code: !code x = 1\nlist: !items [1]\nn: !num 12\n";
	pk_value *v;
	(void)state;

	expect_error(text, PATH ":1:7: error: custom tag '!code' is not allowed\n" PATH
			   ":2:7: error: custom tag '!items' is not allowed\n" PATH
			   ":3:4: error: custom tag '!num' is not allowed");
	expect_error("a: !<tag:example.com,2024:x> 1\n",
		     PATH ":1:4: error: custom tag 'tag:example.com,2024:x' is not allowed");
	expect_error("%TAG !e! tag:example.com,2024:\n---\na: !e!x 1\n",
		     PATH ":3:4: error: custom tag 'tag:example.com,2024:x' is not allowed");
	opts.allow_custom_tags = true;
	v = parse_opts(text, strlen(text), &opts);
	assert_string_equal(pk_value_str(pk_value_map_get(v, "code")), "x = 1");
	assert_int_equal(pk_value_map_get(v, "list")->type, PK_VALUE_LIST);
	assert_int_equal(pk_value_map_get(v, "n")->as.i, 12); /* typed as if untagged */
	pk_value_free(v);
	/* standard tags are checked */
	expect_error("n: !!int abc\n", PATH ":1:4: error: tag '!!int' does not fit 'abc'");
	expect_error("n: !!float 0x10\n", PATH ":1:4: error: tag '!!float' does not fit '0x10'");
	expect_error("n: !!bool yes\n", PATH ":1:4: error: tag '!!bool' does not fit 'yes'");
	expect_error("n: !!null 0\n", PATH ":1:4: error: tag '!!null' does not fit '0'");
	expect_error("n: !!map x\n", PATH ":1:4: error: tag '!!map' does not fit 'x'");
	expect_error("n: !!str [x]\n", PATH ":1:4: error: tag '!!str' does not fit a list");
	expect_error("n: !!seq {x: 1}\n", PATH ":1:4: error: tag '!!seq' does not fit a map");
	v = parse("a: !!seq [x]\nb: !!map {x: 1}\nc: !!binary aGVsbG8=\n");
	assert_string_equal(pk_value_str(pk_value_map_get(v, "c")), "aGVsbG8=");
	pk_value_free(v);
}

static void test_integer_range(void **state)
{
	(void)state;
	expect_error("n: 9223372036854775808\n",
		     PATH ":1:4: error: integer out of range: '9223372036854775808'");
	expect_error("n: -9223372036854775809\n",
		     PATH ":1:4: error: integer out of range: '-9223372036854775809'");
	expect_error("[0x8000000000000000, 0o1000000000000000000000]\n",
		     PATH ":1:2: error: integer out of range: '0x8000000000000000'\n" PATH
			  ":1:22: error: integer out of range: '0o1000000000000000000000'");
	expect_error("n: !!int '99999999999999999999'\n",
		     PATH ":1:4: error: integer out of range: '99999999999999999999'");
}

static void test_invalid_text(void **state)
{
	char *msg;
	const char nul[] = "a: b\x00\n";
	(void)state;
	expect_error("a: b\nc: d\xff\n", PATH ":2:5: error: invalid UTF-8");
	expect_error("a: ok\nтекст: \xd0\n", PATH ":2:8: error: invalid UTF-8");
	expect_error("\xEF\xBB\xBF" "a: \xc0\xaf\n", PATH ":1:4: error: invalid UTF-8");
	expect_error("a: \xed\xa0\x80\n", PATH ":1:4: error: invalid UTF-8"); /* surrogate */
	expect_error("a: b\nc: \x07\n",
		     PATH ":2:4: error: control characters are not allowed (U+0007)");
	msg = parse_fail_opts(nul, sizeof(nul) - 1, NULL, PK_ERROR);
	assert_string_equal(msg, PATH ":1:5: error: control characters are not allowed (U+0000)");
	free(msg);
}

static void test_diagnostics_without_path(void **state)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_value *v = NULL;
	char *msg;
	(void)state;
	assert_int_equal(pk_yaml_parse(&v, "a: [", 4, NULL, NULL, &d), PK_ERROR);
	msg = format_diags(&d);
	assert_string_equal(msg, "praktika: error: did not find expected node content");
	free(msg);
	pk_diags_release(&d);
}

/* ---- front matter ---- */

static void split_ok(pk_frontmatter *fm, const char *text, bool required)
{
	pk_diags d = PK_DIAGS_INIT;
	assert_int_equal(pk_frontmatter_split(fm, text, strlen(text), "p.md", required, &d), PK_OK);
	assert_int_equal(d.len, 0);
	pk_diags_release(&d);
}

static void assert_slice(pk_slice s, const char *expected)
{
	assert_int_equal(s.len, strlen(expected));
	assert_memory_equal(s.p, expected, s.len);
}

static void test_split_basic(void **state)
{
	pk_frontmatter fm;
	(void)state;

	split_ok(&fm, "---\ntitle: x\n---\nBody\n", true);
	assert_true(fm.present);
	assert_slice(fm.yaml, "title: x\n");
	assert_int_equal(fm.yaml_line, 2);
	assert_slice(fm.body, "Body\n");
	assert_int_equal(fm.body_line, 4);

	split_ok(&fm, "---\na: 1\nb: 2\n...\n\nText", true);
	assert_slice(fm.yaml, "a: 1\nb: 2\n");
	assert_slice(fm.body, "\nText");
	assert_int_equal(fm.body_line, 5);

	/* closing line at the very end, no newline */
	split_ok(&fm, "---\na: 1\n---", true);
	assert_slice(fm.yaml, "a: 1\n");
	assert_slice(fm.body, "");
	assert_int_equal(fm.body_line, 4); /* the line after the closing one */

	/* empty front matter */
	split_ok(&fm, "---\n---\n", true);
	assert_true(fm.present);
	assert_slice(fm.yaml, "");
	assert_int_equal(fm.body_line, 3);

	/* trailing spaces on the fences; "----" and "--- x" are not fences */
	split_ok(&fm, "---  \t\na: |\n  ----\n  --- x\n---   \nB", true);
	assert_slice(fm.yaml, "a: |\n  ----\n  --- x\n");
	assert_slice(fm.body, "B");
	assert_int_equal(fm.body_line, 6);
}

static void test_split_bom_crlf(void **state)
{
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	pk_value *meta = NULL;
	const char *text = "\xEF\xBB\xBF---\r\ntitle: Привет\r\ndate: 2024-09-01\r\n---\r\nBody\r\n";
	(void)state;

	split_ok(&fm, text, true);
	assert_slice(fm.yaml, "title: Привет\r\ndate: 2024-09-01\r\n");
	assert_int_equal(fm.yaml_line, 2);
	assert_slice(fm.body, "Body\r\n");
	assert_int_equal(fm.body_line, 5);

	assert_int_equal(pk_frontmatter_parse(&meta, &fm, text, strlen(text), "p.md", &d), PK_OK);
	assert_string_equal(pk_value_str(pk_value_map_get(meta, "title")), "Привет");
	assert_int_equal(pk_value_map_get(meta, "date")->type, PK_VALUE_DATE);
	assert_pos(pk_value_map_get(meta, "date")->pos, 3, 7);
	pk_value_free(meta);
	pk_diags_release(&d);
}

static char *split_fail(const char *text, bool required)
{
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	char *msg;
	assert_int_equal(pk_frontmatter_split(&fm, text, strlen(text), "p.md", required, &d),
			 PK_ERROR);
	assert_false(fm.present);
	msg = format_diags(&d);
	pk_diags_release(&d);
	return msg;
}

static void test_split_missing_unclosed(void **state)
{
	pk_frontmatter fm;
	char *msg;
	(void)state;

	msg = split_fail("title: x\n", true);
	assert_string_equal(msg, "p.md:1:1: error: missing front matter: the file must start with "
				 "a '---' line");
	free(msg);
	msg = split_fail("", true);
	assert_string_equal(msg, "p.md:1:1: error: missing front matter: the file must start with "
				 "a '---' line");
	free(msg);
	msg = split_fail(" ---\na: 1\n---\n", true);
	assert_string_equal(msg, "p.md:1:1: error: missing front matter: the file must start with "
				 "a '---' line");
	free(msg);

	/* not required: the whole file is the body */
	split_ok(&fm, "\xEF\xBB\xBF# Title\n", false);
	assert_false(fm.present);
	assert_slice(fm.body, "# Title\n");
	assert_int_equal(fm.body_line, 1);

	msg = split_fail("---\ntitle: x\nbody\n", false);
	assert_string_equal(msg, "p.md:1:1: error: front matter is not closed: no '---' line after it");
	free(msg);
	msg = split_fail("---", true);
	assert_string_equal(msg, "p.md:1:1: error: front matter is not closed: no '---' line after it");
	free(msg);
}

static void test_split_invalid_utf8(void **state)
{
	char *msg;
	(void)state;
	msg = split_fail("---\na: 1\n---\nline 4\nсимвол \xff\n", true);
	assert_string_equal(msg, "p.md:5:8: error: invalid UTF-8");
	free(msg);
	msg = split_fail("\xEF\xBB\xBF\xff", false);
	assert_string_equal(msg, "p.md:1:1: error: invalid UTF-8");
	free(msg);
}

static char *fm_parse_fail(const char *text)
{
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	pk_value *meta = NULL;
	char *msg;
	assert_int_equal(pk_frontmatter_parse(&meta, &fm, text, strlen(text), "p.md", &d), PK_ERROR);
	assert_null(meta);
	msg = format_diags(&d);
	pk_diags_release(&d);
	return msg;
}

static void test_frontmatter_parse(void **state)
{
	pk_frontmatter fm;
	pk_diags d = PK_DIAGS_INIT;
	pk_value *meta = NULL;
	const char *text = "---\n# comment only\n---\nBody";
	char *msg;
	(void)state;

	assert_int_equal(pk_frontmatter_parse(&meta, &fm, text, strlen(text), "p.md", &d), PK_OK);
	assert_int_equal(meta->type, PK_VALUE_MAP);
	assert_int_equal(pk_value_len(meta), 0);
	assert_int_equal(fm.body_line, 4);
	pk_value_free(meta);
	pk_diags_release(&d);

	msg = fm_parse_fail("---\n- a\n- b\n---\n");
	assert_string_equal(msg, "p.md:2:1: error: front matter must be a map of fields, not a list");
	free(msg);
	msg = fm_parse_fail("---\njust text\n---\n");
	assert_string_equal(msg, "p.md:2:1: error: front matter must be a map of fields, not a string");
	free(msg);
	msg = fm_parse_fail("---\n42\n---\n");
	assert_string_equal(msg, "p.md:2:1: error: front matter must be a map of fields, not an "
				 "integer");
	free(msg);
	msg = fm_parse_fail("---\ntitle: a\ntitle: b\n---\n");
	assert_string_equal(msg, "p.md:3:1: error: duplicate key 'title'\n"
				 "p.md:2:1: note: the first 'title' is here");
	free(msg);
	msg = fm_parse_fail("# no front matter\n");
	assert_string_equal(msg, "p.md:1:1: error: missing front matter: the file must start with "
				 "a '---' line");
	free(msg);
	msg = fm_parse_fail("---\ntitle: x\n--- y\n---\n");
	assert_string_equal(msg, "p.md:3:1: error: a second YAML document starts here; only one is "
				 "allowed");
	free(msg);
}

/* ---- data-driven front-matter cases ---- */

typedef struct {
	size_t passed, failed;
} case_counts;

static char *read_cases(void)
{
	const char *top = getenv("PRAKTIKA_TOP");
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;

	pk_path_join(&path, top && *top ? top : ".", "tests/yaml-cases/frontmatter.yml");
	if (pk_fs_read(&text, path.ptr, &d) != PK_OK) {
		pk_diags_print(&d, stderr);
		fail_msg("cannot read %s (set PRAKTIKA_TOP to the repository root)", path.ptr);
	}
	pk_buf_release(&path);
	pk_diags_release(&d);
	return pk_buf_detach(&text);
}

static const char *field_str(const pk_value *c, const char *key)
{
	const char *s = pk_value_str(pk_value_map_get(c, key));
	return s ? s : "";
}

/* Joins a list of strings with newlines, as format_diags does. */
static char *join_lines(const pk_value *list)
{
	pk_buf out = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < pk_value_len(list); i++) {
		if (i)
			pk_buf_putc(&out, '\n');
		pk_buf_puts(&out, pk_value_str(pk_value_list_at(list, i)));
	}
	return pk_buf_detach(&out);
}

/* Checks one case; returns NULL when it passes, else why (caller frees). */
static char *run_case(const pk_value *c)
{
	const pk_value *input = pk_value_map_get(c, "input");
	const pk_value *expected = pk_value_map_get(c, "expected");
	const pk_value *errors = pk_value_map_get(c, "errors");
	const pk_value *body = pk_value_map_get(c, "body");
	const pk_value *body_line = pk_value_map_get(c, "body_line");
	pk_buf why = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	pk_frontmatter fm;
	pk_value *meta = NULL;
	char *got = NULL, *want = NULL;
	int rc;

	rc = pk_frontmatter_parse(&meta, &fm, input->as.str.ptr, input->as.str.len, "case.md", &d);
	got = format_diags(&d);
	want = errors ? join_lines(errors) : pk_xstrdup("");
	if (strcmp(got, want) != 0)
		pk_buf_printf(&why, "diagnostics:\n%s\nwant:\n%s\n", got, want);
	if ((rc == PK_OK) != (errors == NULL))
		pk_buf_printf(&why, "return code %d\n", rc);
	if (expected && (!meta || !pk_value_equal(meta, expected)))
		pk_buf_puts(&why, "the fields differ from expected\n");
	if (body && (fm.body.len != body->as.str.len ||
		     memcmp(fm.body.p, body->as.str.ptr, fm.body.len) != 0))
		pk_buf_printf(&why, "body is '%.*s'\n", (int)fm.body.len, fm.body.p);
	if (body_line && fm.body_line != body_line->as.i)
		pk_buf_printf(&why, "body_line is %d\n", fm.body_line);
	free(got);
	free(want);
	pk_value_free(meta);
	pk_diags_release(&d);
	if (!why.len)
		return NULL;
	return pk_buf_detach(&why);
}

static void test_frontmatter_cases(void **state)
{
	char *text = read_cases();
	pk_value *spec = parse_opts(text, strlen(text), NULL);
	const pk_value *tests = pk_value_map_get(spec, "tests");
	case_counts n = { 0, 0 };
	size_t i;
	(void)state;

	assert_non_null(tests);
	for (i = 0; i < pk_value_len(tests); i++) {
		const pk_value *c = pk_value_list_at(tests, i);
		char *why = run_case(c);
		if (why) {
			print_error("case '%s' (%s) failed:\n%s", field_str(c, "name"),
				    field_str(c, "desc"), why);
			n.failed++;
		} else {
			n.passed++;
		}
		free(why);
	}
	printf("# frontmatter cases: %zu\n", n.passed + n.failed);
	printf("# counts: %zu passed, %zu failed\n", n.passed, n.failed);
	assert_true(n.passed >= 20);
	assert_int_equal(n.failed, 0);
	pk_value_free(spec);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing),
		cmocka_unit_test(test_typing_values),
		cmocka_unit_test(test_empty_documents),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_keys_are_text),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_positions_line_offset),
		cmocka_unit_test(test_positions_crlf_bom),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_alias_errors),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_alias_text_bomb),
		cmocka_unit_test(test_alias_depth),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_node_limit_without_aliases),
		cmocka_unit_test(test_large_input),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_line_offset),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_non_scalar_keys),
		cmocka_unit_test(test_multi_document),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_integer_range),
		cmocka_unit_test(test_invalid_text),
		cmocka_unit_test(test_diagnostics_without_path),
		cmocka_unit_test(test_split_basic),
		cmocka_unit_test(test_split_bom_crlf),
		cmocka_unit_test(test_split_missing_unclosed),
		cmocka_unit_test(test_split_invalid_utf8),
		cmocka_unit_test(test_frontmatter_parse),
		cmocka_unit_test(test_frontmatter_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
