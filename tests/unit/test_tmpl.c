/*
 * test_tmpl.c: the Mustache engine: each tag kind, standalone lines and
 * indentation, inheritance, dynamic names, truthiness, host objects and
 * lambdas, the exact text of every compile and strict-mode error, the
 * loader, limits on pathological input, and rendering one compiled
 * template many times (also from several threads).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/xalloc.h"
#include "tmpl/tmpl.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Helpers ---------------------------------------------------------------- */

static pk_value *yaml(const char *text)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_diags diags = PK_DIAGS_INIT;
	pk_value *v = NULL;

	if (!text)
		return NULL;
	assert_int_equal(pk_yaml_parse(&v, text, strlen(text), "data", &opts, &diags), PK_OK);
	pk_diags_release(&diags);
	return v;
}

/* The diagnostics, one per line. */
static char *diag_text(const pk_diags *diags)
{
	pk_buf b = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < diags->len; i++) {
		if (i)
			pk_buf_putc(&b, '\n');
		pk_diag_format(&b, &diags->items[i]);
	}
	return pk_buf_detach(&b);
}

/*
 * Adds the partials (name, source pairs, NULL-terminated), compiles src as
 * "t" and renders it with data (given as YAML, or v when not NULL).
 * Returns the output, or the diagnostics when anything failed.
 */
static char *run_v(unsigned flags, const char *src, const pk_value *v,
		   const char *const *partials)
{
	pk_tmpl_set *set = pk_tmpl_set_new(flags);
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf out = PK_BUF_INIT;
	pk_tmpl *t = NULL;
	char *result;
	int rc = PK_OK;

	for (; partials && partials[0] && !rc; partials += 2)
		rc = pk_tmpl_set_add(NULL, set, partials[0], partials[1], strlen(partials[1]),
				     partials[0], &diags);
	if (!rc)
		rc = pk_tmpl_set_add(&t, set, "t", src, strlen(src), "t", &diags);
	if (!rc)
		rc = pk_tmpl_render(&out, t, v, &diags);
	result = rc ? diag_text(&diags) : pk_buf_detach(&out);
	if (!rc)
		assert_int_equal(diags.len, 0);
	pk_buf_release(&out);
	pk_diags_release(&diags);
	pk_tmpl_set_free(set);
	return result;
}

static char *run(unsigned flags, const char *src, const char *data, const char *const *partials)
{
	pk_value *v = yaml(data);
	char *s = run_v(flags, src, v, partials);
	pk_value_free(v);
	return s;
}

static void expect(const char *src, const char *data, const char *expected)
{
	char *got = run(0, src, data, NULL);
	assert_string_equal(got, expected);
	free(got);
}

static void expect_p(const char *src, const char *data, const char *const *partials,
		     const char *expected)
{
	char *got = run(0, src, data, partials);
	assert_string_equal(got, expected);
	free(got);
}

static void expect_strict(const char *src, const char *data, const char *const *partials,
			  const char *expected)
{
	char *got = run(PK_TMPL_STRICT, src, data, partials);
	assert_string_equal(got, expected);
	free(got);
}

/* A compile error: the diagnostics of adding src as "t". */
static void expect_error(const char *src, const char *expected)
{
	pk_tmpl_set *set = pk_tmpl_set_new(0);
	pk_diags diags = PK_DIAGS_INIT;
	pk_tmpl *t = (pk_tmpl *)&set; /* must be reset to NULL */
	char *got;

	assert_int_equal(pk_tmpl_set_add(&t, set, "t", src, strlen(src), "t", &diags), PK_ERROR);
	assert_null(t);
	got = diag_text(&diags);
	assert_string_equal(got, expected);
	free(got);
	pk_diags_release(&diags);
	pk_tmpl_set_free(set);
}

/* Tags ------------------------------------------------------------------- */

static void test_interpolation(void **state)
{
	(void)state;
	expect("Hello, {{name}}!", "name: мир", "Hello, мир!");
	expect("{{a}}|{{{a}}}|{{&a}}", "a: \"<b> & 'q' \\\"\"",
	       "&lt;b&gt; &amp; &#39;q&#39; &quot;|<b> & 'q' \"|<b> & 'q' \"");
	expect("{{i}} {{f}} {{t}} {{n}} {{d}} {{m}}",
	       "{i: 42, f: 1.5, t: true, n: null, d: 2024-09-01, m: 2024-09}",
	       "42 1.5 true  2024-09-01 2024-09");
	expect("[{{missing}}]", "{}", "[]");
	expect("[{{ spaced }}]", "spaced: ok", "[ok]");
	expect("{{list}}{{map}}", "{list: [1], map: {a: 1}}", "");
	expect("no data: [{{x}}]", NULL, "no data: []");
}

static void test_dotted_names(void **state)
{
	(void)state;
	expect("{{page.title}}", "page: {title: Практика}", "Практика");
	expect("{{a.b.c}}", "a: {b: {c: deep}}", "deep");
	/* the first part walks the stack, the rest only what it found */
	expect("{{#a}}{{b.c}}{{/a}}", "{a: {b: {}}, b: {c: wrong}}", "");
	expect("{{#inner}}{{outer}}{{/inner}}", "{inner: {x: 1}, outer: up}", "up");
	expect("{{#list}}{{.}},{{/list}}", "list: [a, b, 3]", "a,b,3,");
	expect("{{a.b}}", "a: string", "");
}

static void test_sections(void **state)
{
	(void)state;
	expect("{{#items}}<{{name}}>{{/items}}", "items: [{name: a}, {name: b}]", "<a><b>");
	expect("{{#map}}{{k}}{{/map}}", "map: {k: v}", "v");
	expect("{{#n}}{{.}}{{/n}}", "n: 7", "7");
	expect("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "a: {b: [{c: 1}, {c: 2}]}", "12");
	expect("{{#items}}{{#items}}x{{/items}}{{/items}}", "items: [1, 2]", "xxxx");
}

static void test_truthiness(void **state)
{
	(void)state;
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: null", "no");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: false", "no");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: []", "no");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: ''", "no");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "{}", "no");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: 0", "yes");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: 0.0", "yes");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: {}", "yes");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: ' '", "yes");
	expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "v: 2024-01-01", "yes");
}

static void test_comments_and_delimiters(void **state)
{
	(void)state;
	expect("a{{! a comment {{with braces }}b", "{}", "ab");
	expect("a\n{{!\nmulti\nline\n}}\nb", "{}", "a\nb");
	expect("{{=<% %>=}}<% a %>{{a}}<%={{ }}=%>{{a}}", "a: 1", "1{{a}}1");
	expect("{{=| |=}}|#s||x||/s|", "s: {x: y}", "y");
	expect("{{= [[ ]] =}}[[{a}]][[&a]]", "a: '<'", "<<");
}

static void test_standalone_lines(void **state)
{
	(void)state;
	expect("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", "items: [a, b]",
	       "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	expect("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "t: true", "a\r\nb\r\nc");
	expect("  {{! comment }}  \nx", "{}", "x");
	expect("{{#t}}x{{/t}}\n", "t: true", "x\n");   /* two tags: not standalone */
	expect(" {{a}}\n", "a: 1", " 1\n");            /* interpolation never is */
	expect("x\n{{#t}}\ny\n  {{/t}}", "t: true", "x\ny\n"); /* at the end of input */
}

static void test_partials(void **state)
{
	static const char *const p[] = {
		"item", "<li>{{name}}</li>\n",
		"box", "[\n{{>item}}\n]\n",
		"text", "line 1\n{{{content}}}\nline 3\n",
		NULL,
	};
	(void)state;
	expect_p("{{#items}}{{>item}}{{/items}}", "items: [{name: a}, {name: b}]", p,
		 "<li>a</li>\n<li>b</li>\n");
	expect_p("<ul>\n  {{>box}}\n</ul>\n", "name: x", p, "<ul>\n  [\n  <li>x</li>\n  ]\n</ul>\n");
	/* each line of the partial's text is indented, data is not */
	expect_p("  {{>text}}", "content: \"a\\nb\"", p, "  line 1\n  a\nb\n  line 3\n");
	expect_p("[{{>missing}}]", "{}", p, "[]");
	expect_p("x {{>item}} y", "name: n", p, "x <li>n</li>\n y");
}

static void test_dynamic_names(void **state)
{
	static const char *const p[] = { "card", "<{{title}}>", NULL };
	(void)state;
	expect_p("{{#items}}{{>*kind}}{{/items}}", "items: [{kind: card, title: a}, {kind: none}]", p,
		 "<a>");
	expect_p("{{>*missing}}", "{}", p, "");
	expect_p("{{<*layout}}{{/*layout}}", "layout: card", p, "<>");
}

static void test_inheritance(void **state)
{
	static const char *const p[] = {
		"base",
		"<html>\n<title>{{$title}}Default{{/title}}</title>\n<body>\n"
		"  {{$content}}\n  <p>nothing</p>\n  {{/content}}\n</body>\n</html>\n",
		"mid", "{{<base}}{{$title}}Mid: {{$sub}}sub{{/sub}}{{/title}}{{/base}}",
		NULL,
	};
	(void)state;
	expect_p("{{<base}}{{/base}}", "{}", p,
		 "<html>\n<title>Default</title>\n<body>\n  <p>nothing</p>\n</body>\n</html>\n");
	expect_p("{{<base}}\n{{$title}}{{name}}{{/title}}\n{{$content}}\n<p>1</p>\n<p>2</p>\n"
		 "{{/content}}\n{{/base}}\n",
		 "name: Страница", p,
		 "<html>\n<title>Страница</title>\n<body>\n  <p>1</p>\n  <p>2</p>\n</body>\n</html>\n");
	/* the outermost argument wins, also for blocks inside arguments */
	expect_p("{{<mid}}{{$sub}}mine{{/sub}}{{/mid}}", "{}", p,
		 "<html>\n<title>Mid: mine</title>\n<body>\n  <p>nothing</p>\n</body>\n</html>\n");
	expect_p("{{$free}}default{{/free}}", "{}", p, "default");
}

static void test_block_indentation(void **state)
{
	static const char *const p[] = {
		"base", "<main>\n  {{$content}}{{/content}}\n</main>\n",
		"list", "<ul>\n    {{$items}}\n    <li>none</li>\n    {{/items}}\n</ul>\n",
		"item", "<b>x</b>\n<i>y</i>\n",
		NULL,
	};
	(void)state;
	/* the body's own indentation goes, the site's comes, partials inside
	 * add theirs */
	expect_p("{{<base}}{{$content}}\n<p>\n  {{>item}}\n</p>{{/content}}{{/base}}", "{}", p,
		 "<main>\n  <p>\n    <b>x</b>\n    <i>y</i>\n  </p>\n</main>\n");
	expect_p("{{<list}}\n{{$items}}\n        {{#xs}}\n        <li>{{.}}</li>\n"
		 "        {{/xs}}\n{{/items}}\n{{/list}}\n",
		 "xs: [a, b]", p, "<ul>\n    <li>a</li>\n    <li>b</li>\n</ul>\n");
	/* a standalone parent indents the whole layout */
	expect_p("<body>\n  {{<list}}{{/list}}\n</body>", "{}", p,
		 "<body>\n  <ul>\n      <li>none</li>\n  </ul>\n</body>");
}

/* Errors ----------------------------------------------------------------- */

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("{{#items}}\n{{name}}", "t:1:1: error: unclosed section 'items'");
	expect_error("{{#a}}{{#b}}{{/a}}{{/b}}",
		     "t:1:13: error: closing tag 'a' does not match open section 'b'");
	expect_error("x\n  {{/a}}", "t:2:3: error: unexpected closing tag 'a'");
	expect_error("{{<p}}{{/q}}", "t:1:7: error: closing tag 'q' does not match open parent 'p'");
	expect_error("{{<p}}", "t:1:1: error: unclosed parent 'p'");
	expect_error("{{$b}}", "t:1:1: error: unclosed block 'b'");
	expect_error("{{<*p}}{{/p}}",
		     "t:1:8: error: closing tag 'p' does not match open parent '*p'");
	expect_error("ab {{name", "t:1:4: error: unclosed tag: no '}}' after '{{'");
	expect_error("{{{name}}", "t:1:1: error: unclosed tag: no '}}}' after '{{{'");
	expect_error("{{=<% %>}}", "t:1:1: error: invalid delimiter change");
	expect_error("{{=<%=}}", "t:1:1: error: invalid delimiter change");
	expect_error("{{= a b c =}}", "t:1:1: error: invalid delimiter change");
	expect_error("{{=a= b=}}", "t:1:1: error: invalid delimiter change");
	expect_error("{{=<% %>", "t:1:1: error: unclosed tag: no '=}}' after '{{='");
	expect_error("{{=<% %>=}}\n<%a", "t:2:1: error: unclosed tag: no '%>' after '<%'");
	expect_error("x{{}}", "t:1:2: error: empty tag name");
	expect_error("{{#}}{{/}}", "t:1:1: error: empty tag name");
	expect_error("{{> }}", "t:1:1: error: empty tag name");
	expect_error("{{>*}}", "t:1:1: error: empty tag name");
	expect_error("{{{ }}}", "t:1:1: error: empty tag name");
	expect_error("{{a b}}", "t:1:1: error: invalid name 'a b'");
	expect_error("{{a..b}}", "t:1:1: error: invalid name 'a..b'");
	expect_error("{{#.a}}{{/.a}}", "t:1:1: error: invalid name '.a'");
	expect_error("{{a.}}", "t:1:1: error: invalid name 'a.'");
	/* columns count characters, not bytes */
	expect_error("Привет, {{#мир}}", "t:1:9: error: unclosed section 'мир'");
}

static void test_strict_mode(void **state)
{
	static const char *const p[] = { "item", "{{nam}}", NULL };
	(void)state;
	expect_strict("<h1>{{page.title}}</h1>\n<p>{{page.titel}}</p>", "page: {title: x}", NULL,
		      "t:2:4: error: unknown name 'page.titel'");
	/* one report per tag however often it runs; every tag is reported */
	expect_strict("{{#items}}{{>item}}{{/items}}{{x}}", "items: [1, 2, 3]", p,
		      "item:1:1: error: unknown name 'nam'\nt:1:30: error: unknown name 'x'");
	expect_strict("{{>nothere}}", "{}", NULL, "t:1:1: error: unknown partial 'nothere'");
	expect_strict("{{>*which}}", "which: other", NULL, "t:1:1: error: unknown partial 'other'");
	expect_strict("{{#s}}x{{/s}}{{^i}}y{{/i}}", "{}", NULL,
		      "t:1:1: error: unknown name 's'\nt:1:14: error: unknown name 'i'");
	/* a name that is present with a null value resolves */
	expect_strict("[{{a}}{{#a}}x{{/a}}]", "a: null", NULL, "[]");
	/* a dotted name through null or false is empty, not unknown... */
	expect_strict("[{{#t.goal}}g{{/t.goal}}{{^t.goal}}-{{/t.goal}}{{t.goal}}]", "t: null", NULL, "[-]");
	expect_strict("[{{f.x}}]", "f: false", NULL, "[]");
	/* ...but a misspelt key in a map that exists still is */
	expect_strict("{{t.gaol}}", "t: {goal: x}", NULL, "t:1:1: error: unknown name 't.gaol'");
	expect_strict("{{<nope}}{{/nope}}", "{}", NULL, "t:1:1: error: unknown partial 'nope'");
	/* not strict: nothing */
	expect_p("[{{page.titel}}{{>nothere}}]", "page: {}", NULL, "[]");
}

/* Pathological input ----------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	pk_buf src = PK_BUF_INIT;
	size_t i;
	char *got;
	(void)state;

	for (i = 0; i < 100000; i++)
		pk_buf_puts(&src, "{{#a}}");
	for (i = 0; i < 100000; i++)
		pk_buf_puts(&src, "{{/a}}");
	got = run(0, src.ptr, "a: true", NULL);
	assert_string_equal(got, "t:1:6001: error: sections nested too deep (more than 1000 levels)");
	free(got);

	/* just under the limit compiles and renders */
	pk_buf_clear(&src);
	for (i = 0; i < 1000; i++)
		pk_buf_puts(&src, "{{#a}}");
	pk_buf_puts(&src, "{{x}}");
	for (i = 0; i < 1000; i++)
		pk_buf_puts(&src, "{{/a}}");
	got = run(0, src.ptr, "{a: true, x: deep}", NULL);
	assert_string_equal(got, "deep");
	free(got);
	pk_buf_release(&src);
}

static void test_ten_megabytes_of_tags(void **state)
{
	pk_buf src = PK_BUF_INIT;
	char *got;
	size_t n = 0;
	(void)state;

	while (src.len < 10 * 1024 * 1024) {
		pk_buf_puts(&src, n % 64 == 63 ? "{{a}}\n" : "{{a}}{{! c }}{{#s}}{{/s}}");
		n++;
	}
	got = run(0, src.ptr, "a: x", NULL);
	assert_int_equal(strlen(got), n + n / 64);
	free(got);
	pk_buf_release(&src);
}

static void test_recursive_partials(void **state)
{
	static const char *const self[] = { "self", "x{{>self}}", NULL };
	static const char *const tree[] = {
		"node", "{{name}}({{#kids}}{{>node}}{{/kids}})", NULL,
	};
	static const char *const blocks[] = { "p", "{{$b}}{{/b}}", NULL };
	static const char *const layouts[] = { "a", "{{<b}}{{/b}}", "b", "{{<a}}{{/a}}", NULL };
	char *got;
	(void)state;

	got = run(0, "{{>self}}", "{}", self);
	assert_string_equal(got, "self:1:2: error: partial nesting too deep (more than 100 levels)");
	free(got);
	/* recursion that data ends is fine */
	expect_p("{{>node}}",
		 "{name: r, kids: [{name: a, kids: [{name: b, kids: []}]}, {name: c, kids: []}]}", tree,
		 "r(a(b())c())");
	got = run(0, "{{<a}}{{/a}}", "{}", layouts);
	assert_string_equal(got, "b:1:1: error: partial nesting too deep (more than 100 levels)");
	free(got);
	/* a block whose argument contains the same block */
	got = run(0, "{{<p}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/p}}", "{}", blocks);
	assert_string_equal(got, "t:1:14: error: block nesting too deep (more than 100 levels)");
	free(got);
}

/* Host objects ----------------------------------------------------------- */

typedef struct {
	pk_value *title, *items[3];
	int calls;
	size_t len;
	bool truthy;
} host;

static const pk_value *host_get(void *self, const char *name, size_t len, uint32_t hash)
{
	host *h = self;
	assert_int_equal(hash, pk_value_key_hash(name, len));
	if (len == 5 && !memcmp(name, "title", 5))
		return h->title;
	return NULL;
}

static size_t host_len(void *self)
{
	return ((host *)self)->len;
}

static const pk_value *host_at(void *self, size_t i)
{
	return ((host *)self)->items[i];
}

static bool host_truthy(void *self)
{
	return ((host *)self)->truthy;
}

static int host_call(void *self, pk_buf *out)
{
	host *h = self;
	h->calls++;
	if (h->calls > 100)
		return PK_ERROR;
	pk_buf_printf(out, "{{title}} #%d <%d>", h->calls, h->calls);
	return PK_OK;
}

static int host_section(void *self, const char *text, size_t len, pk_buf *out)
{
	(void)self;
	pk_buf_puts(out, "<b>");
	pk_buf_put(out, text, len);
	pk_buf_puts(out, "</b>");
	return PK_OK;
}

static int host_recurse(void *self, const char *text, size_t len, pk_buf *out)
{
	(void)self;
	(void)len;
	(void)text;
	pk_buf_puts(out, "{{#rec}}again{{/rec}}");
	return PK_OK;
}

static int host_broken(void *self, pk_buf *out)
{
	(void)self;
	pk_buf_puts(out, "{{#open}}");
	return PK_OK;
}

static void host_free(void *self)
{
	host *h = self;
	size_t i;
	pk_value_free(h->title);
	for (i = 0; i < 3; i++)
		pk_value_free(h->items[i]);
	free(h);
}

static const pk_value_class page_class = { .name = "page", .get = host_get, .free = host_free };
static const pk_value_class list_class = {
	.name = "list", .len = host_len, .at = host_at, .truthy = host_truthy, .free = host_free,
};
static const pk_value_class call_class = { .name = "call", .call = host_call, .free = host_free };
static const pk_value_class bold_class = {
	.name = "bold", .section = host_section, .free = host_free,
};
static const pk_value_class rec_class = {
	.name = "rec", .section = host_recurse, .free = host_free,
};
static const pk_value_class broken_class = {
	.name = "broken", .call = host_broken, .free = host_free,
};

static pk_value *new_host(const pk_value_class *cls)
{
	host *h = pk_xcalloc(1, sizeof(*h));
	size_t i;

	h->title = pk_value_new_cstr("Заголовок & co");
	for (i = 0; i < 3; i++) {
		char s[8];
		snprintf(s, sizeof(s), "i%zu", i);
		h->items[i] = pk_value_new_cstr(s);
	}
	h->len = 3;
	h->truthy = true;
	return pk_value_new_object(cls, h);
}

static pk_value *host_data(void)
{
	pk_value *data = yaml("{title: 'root <t>', x: y}");
	pk_value_map_set(data, "page", new_host(&page_class));
	pk_value_map_set(data, "list", new_host(&list_class));
	pk_value_map_set(data, "lambda", new_host(&call_class));
	pk_value_map_set(data, "bold", new_host(&bold_class));
	pk_value_map_set(data, "rec", new_host(&rec_class));
	pk_value_map_set(data, "broken", new_host(&broken_class));
	return data;
}

static void expect_host(unsigned flags, const char *src, const char *expected)
{
	pk_value *data = host_data();
	char *got = run_v(flags, src, data, NULL);
	assert_string_equal(got, expected);
	free(got);
	pk_value_free(data);
}

static void test_host_objects(void **state)
{
	pk_value *data;
	(void)state;
	expect_host(0, "{{page.title}}|{{#page}}{{title}}{{/page}}|{{page.none}}",
		    "Заголовок &amp; co|Заголовок &amp; co|");
	expect_host(0, "{{#list}}[{{.}}]{{/list}}{{^list}}empty{{/list}}", "[i0][i1][i2]");
	expect_host(PK_TMPL_STRICT, "{{page.none}}", "t:1:1: error: unknown name 'page.none'");
	/* an object that iterates but says it is false */
	data = host_data();
	((host *)pk_value_map_get(data, "list")->as.obj.self)->truthy = false;
	{
		char *got = run_v(0, "{{#list}}x{{/list}}{{^list}}no{{/list}}", data, NULL);
		assert_string_equal(got, "no");
		free(got);
	}
	pk_value_free(data);
}

static void test_lambdas(void **state)
{
	(void)state;
	/* called each time, result rendered as a template, then escaped as a
	 * whole (so data in it is escaped twice, as in the reference) */
	expect_host(0, "{{lambda}}|{{{lambda}}}",
		    "root &amp;lt;t&amp;gt; #1 &lt;1&gt;|root &lt;t&gt; #2 <2>");
	expect_host(0, "{{#bold}}{{x}}{{/bold}}", "<b>y</b>");
	expect_host(0, "{{=<% %>=}}<%#bold%>{{x}}<%x%><%/bold%>", "<b>{{x}}y</b>");
	expect_host(0, "{{^bold}}never{{/bold}}", "");
	expect_host(0, "{{#rec}}{{/rec}}",
		    "t:1:1: error: lambda nesting too deep (more than 100 levels)");
	expect_host(0, "{{broken}}",
		    "t:1:1: error: lambda 'broken' returned an invalid template: "
		    "unclosed section 'open'");
}

static void test_lambda_failure(void **state)
{
	pk_value *data = host_data();
	char *got;
	(void)state;

	((host *)pk_value_map_get(data, "lambda")->as.obj.self)->calls = 100;
	got = run_v(0, "a {{lambda}}", data, NULL);
	assert_string_equal(got, "t:1:3: error: lambda 'lambda' failed");
	free(got);
	pk_value_free(data);
}

/* Sets, loaders, reuse --------------------------------------------------- */

typedef struct {
	int calls;
} loader_state;

static int test_loader(pk_buf *out, pk_buf *path, const char *name, void *payload,
		       pk_diags *diags)
{
	loader_state *st = payload;

	st->calls++;
	if (!strcmp(name, "head")) {
		pk_buf_puts(out, "<head>{{>meta}}</head>");
	} else if (!strcmp(name, "meta")) {
		pk_buf_puts(out, "<meta {{name}}>");
	} else if (!strcmp(name, "dyn")) {
		pk_buf_puts(out, "dynamic {{name}}");
	} else if (!strcmp(name, "bad")) {
		pk_buf_puts(out, "{{#x}}");
	} else if (!strcmp(name, "io")) {
		return pk_diag_error(diags, "io.mustache", (pk_pos){ 0, 0 }, "cannot read");
	} else {
		return PK_ENOTFOUND;
	}
	pk_buf_printf(path, "partials/%s.mustache", name);
	return PK_OK;
}

static void test_loader_and_set(void **state)
{
	loader_state st = { 0 };
	pk_tmpl_set *set = pk_tmpl_set_new(PK_TMPL_STRICT);
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf out = PK_BUF_INIT;
	pk_value *data = yaml("{name: n, which: dyn}");
	pk_tmpl *t, *u;
	char *text;
	(void)state;

	pk_tmpl_set_loader(set, test_loader, &st);
	/* static names are loaded when the template is added, dynamic ones
	 * when the render meets them */
	assert_int_equal(pk_tmpl_set_add(&t, set, "page", "{{>head}}|{{>*which}}", 21, "page.m",
					 &diags), PK_OK);
	assert_int_equal(st.calls, 2);
	assert_int_equal(pk_tmpl_render(&out, t, data, &diags), PK_OK);
	assert_string_equal(out.ptr, "<head><meta n></head>|dynamic n");
	assert_int_equal(st.calls, 3);
	/* each name is asked for once */
	pk_buf_clear(&out);
	assert_int_equal(pk_tmpl_render(&out, t, data, &diags), PK_OK);
	assert_int_equal(st.calls, 3);
	assert_int_equal(pk_tmpl_set_get(&u, set, "meta", &diags), PK_OK);
	assert_int_equal(pk_tmpl_set_get(&u, set, "nothing", &diags), PK_ENOTFOUND);
	/* a later add replaces the earlier one for new lookups */
	assert_int_equal(pk_tmpl_set_add(NULL, set, "meta", "new", 3, NULL, &diags), PK_OK);
	assert_int_equal(pk_tmpl_set_add(&u, set, "again", "{{>meta}}", 9, NULL, &diags), PK_OK);
	pk_buf_clear(&out);
	assert_int_equal(pk_tmpl_render(&out, u, data, &diags), PK_OK);
	assert_string_equal(out.ptr, "new");
	/* errors in loaded partials are reported with their own path */
	assert_int_equal(pk_tmpl_set_add(NULL, set, "b", "{{>bad}}{{>io}}", 15, NULL, &diags),
			 PK_ERROR);
	text = diag_text(&diags);
	assert_string_equal(text, "praktika: error: unknown template 'nothing'\n"
				  "partials/bad.mustache:1:1: error: unclosed section 'x'\n"
				  "io.mustache: error: cannot read");
	free(text);
	pk_diags_release(&diags);
	pk_buf_release(&out);
	pk_value_free(data);
	pk_tmpl_set_free(set);
	pk_tmpl_set_free(NULL);
}

static void test_render_many_times(void **state)
{
	static const char src[] = "{{#items}}<li>{{name}}</li>{{/items}}{{>p}}";
	pk_tmpl_set *set = pk_tmpl_set_new(0);
	pk_diags diags = PK_DIAGS_INIT;
	pk_value *data = yaml("items: [{name: a}, {name: '<b>'}]");
	pk_tmpl *t;
	int i;
	(void)state;

	assert_int_equal(pk_tmpl_set_add(NULL, set, "p", "!", 1, NULL, &diags), PK_OK);
	assert_int_equal(pk_tmpl_set_add(&t, set, "t", src, strlen(src), NULL, &diags), PK_OK);
	for (i = 0; i < 1000; i++) {
		pk_buf out = PK_BUF_INIT;
		assert_int_equal(pk_tmpl_render(&out, t, data, &diags), PK_OK);
		assert_string_equal(out.ptr, "<li>a</li><li>&lt;b&gt;</li>!");
		pk_buf_release(&out);
	}
	pk_value_free(data);
	pk_tmpl_set_free(set);
}

typedef struct {
	const pk_tmpl *t;
	const pk_value *data;
	int failures;
} thread_job;

static void *render_thread(void *arg)
{
	thread_job *job = arg;
	pk_diags diags = PK_DIAGS_INIT;
	pk_buf out = PK_BUF_INIT;
	int i;

	for (i = 0; i < 200; i++) {
		pk_buf_clear(&out);
		if (pk_tmpl_render(&out, job->t, job->data, &diags) ||
		    strcmp(out.ptr, "[a|dynamic a][b|dynamic b]"))
			job->failures++;
	}
	pk_buf_release(&out);
	pk_diags_release(&diags);
	return NULL;
}

static void test_threads(void **state)
{
	static const char src[] = "{{#items}}[{{name}}|{{>*which}}]{{/items}}";
	pk_tmpl_set *set = pk_tmpl_set_new(0);
	pk_diags diags = PK_DIAGS_INIT;
	pk_value *data = yaml("{which: dyn, items: [{name: a}, {name: b}]}");
	loader_state st = { 0 };
	pthread_t th[4];
	thread_job jobs[4];
	pk_tmpl *t;
	int i;
	(void)state;

	pk_tmpl_set_loader(set, test_loader, &st);
	assert_int_equal(pk_tmpl_set_add(&t, set, "t", src, strlen(src), NULL, &diags), PK_OK);
	for (i = 0; i < 4; i++) {
		jobs[i] = (thread_job){ t, data, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, render_thread, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	assert_int_equal(st.calls, 1);
	pk_value_free(data);
	pk_tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_comments_and_delimiters),
		cmocka_unit_test(test_standalone_lines),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_dynamic_names),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_block_indentation),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_strict_mode),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_ten_megabytes_of_tags),
		cmocka_unit_test(test_recursive_partials),
		cmocka_unit_test(test_host_objects),
		cmocka_unit_test(test_lambdas),
		cmocka_unit_test(test_lambda_failure),
		cmocka_unit_test(test_loader_and_set),
		cmocka_unit_test(test_render_many_times),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
