/* Unit tests of src/content: vocabularies, schema checks, the bank. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "content/bank.h"
#include "core/fs.h"
#include "content/schema.h"
#include "content/vocab.h"
#include "testutil.h"
#include "text/text.h"
#include "yaml/yaml.h"

#include <stdlib.h>
#include <string.h>

static void test_builtin_vocabularies(void **state)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_vocab forms, kinds, regions;
	static const char *const form_ids[] = { "uchenik-uchenik", "uchitel-uchitel", "student-uchenik",
						"rabotodatel-uchenik", "rabotodatel-student", "uchitel-uchenik" };
	static const char *const kind_ids[] = { "tradicionnoe", "gruppovoe", "virtualnoe", "reversivnoe",
						"situacionnoe", "skorostnoe", "kratkosrochnoe", "flesh" };
	size_t i;
	(void)state;

	assert_int_equal(pk_vocab_load(&forms, "forms", "form", NULL, &d), 0);
	assert_int_equal(pk_vocab_load(&kinds, "kinds", "kind", NULL, &d), 0);
	assert_int_equal(pk_vocab_load(&regions, "regions", "region", NULL, &d), 0);
	assert_int_equal(d.len, 0);
	assert_int_equal(forms.len, 6);
	assert_int_equal(kinds.len, 8);
	assert_int_equal(regions.len, 89);
	for (i = 0; i < 6; i++)
		assert_non_null(pk_vocab_get(&forms, form_ids[i]));
	for (i = 0; i < 8; i++)
		assert_non_null(pk_vocab_get(&kinds, kind_ids[i]));
	assert_string_equal(pk_vocab_get(&regions, "70")->title, "Томская область");
	assert_string_equal(pk_vocab_get(&regions, "95")->title, "Херсонская область");
	assert_non_null(pk_value_map_get(pk_vocab_get(&forms, "uchitel-uchitel")->data, "goal"));
	pk_vocab_release(&forms);
	pk_vocab_release(&kinds);
	pk_vocab_release(&regions);
	pk_diags_release(&d);
}

static void test_vocab_lookup(void **state)
{
	pk_diags d = PK_DIAGS_INIT;
	pk_vocab forms, regions;
	const char *s;
	(void)state;

	pk_vocab_load(&forms, "forms", "form", NULL, &d);
	pk_vocab_load(&regions, "regions", "region", NULL, &d);
	s = "uchitel-uchitel";
	assert_string_equal(pk_vocab_find(&forms, s, strlen(s))->id, "uchitel-uchitel");
	s = "учитель — учитель";
	assert_string_equal(pk_vocab_find(&forms, s, strlen(s))->id, "uchitel-uchitel");
	s = "Учитель – учитель";
	assert_string_equal(pk_vocab_find(&forms, s, strlen(s))->id, "uchitel-uchitel");
	s = "педагог — педагог";
	assert_string_equal(pk_vocab_find(&forms, s, strlen(s))->id, "uchitel-uchitel");
	s = "учитель-учитель";
	assert_null(pk_vocab_find(&forms, s, strlen(s)));
	assert_string_equal(pk_vocab_suggest(&forms, s, strlen(s)), "uchitel-uchitel");
	s = "Томская область";
	assert_string_equal(pk_vocab_find(&regions, s, strlen(s))->id, "70");
	s = "Татарстан";
	assert_string_equal(pk_vocab_find(&regions, s, strlen(s))->id, "16");
	s = "Томская обл";
	assert_string_equal(pk_vocab_suggest(&regions, s, strlen(s)), "70");
	pk_vocab_release(&forms);
	pk_vocab_release(&regions);
	pk_diags_release(&d);
}

/* A value spelt exactly as an id, title or alias is found without
 * folding; the entry is the one the folded lookup gives (forced here by
 * a trailing space, which folding drops), in every built-in list. */
static void test_vocab_spelling_as_folded(void **state)
{
	static const char *const names[][2] = {
		{ "forms", "form" }, { "kinds", "kind" }, { "regions", "region" },
	};
	pk_diags d = PK_DIAGS_INIT;
	size_t n, i, j;
	(void)state;

	for (n = 0; n < PK_ARRAY_SIZE(names); n++) {
		pk_vocab v;
		pk_vocab_load(&v, names[n][0], names[n][1], NULL, &d);
		for (i = 0; i < v.len; i++) {
			const pk_value *aliases = pk_value_map_get(v.items[i].data, "aliases");
			const char *spellings[64];
			size_t count = 0;
			spellings[count++] = v.items[i].id;
			spellings[count++] = v.items[i].title;
			spellings[count++] = v.items[i].short_title;
			for (j = 0; j < pk_value_len(aliases) && count < PK_ARRAY_SIZE(spellings); j++)
				if (pk_value_str(pk_value_list_at(aliases, j)))
					spellings[count++] = pk_value_str(pk_value_list_at(aliases, j));
			for (j = 0; j < count; j++) {
				pk_buf spaced = PK_BUF_INIT;
				pk_buf_puts(&spaced, spellings[j]);
				pk_buf_putc(&spaced, ' ');
				assert_ptr_equal(pk_vocab_find(&v, spellings[j], strlen(spellings[j])),
						 pk_vocab_find(&v, spaced.ptr, spaced.len));
				assert_non_null(pk_vocab_find(&v, spellings[j], strlen(spellings[j])));
				pk_buf_release(&spaced);
			}
		}
		pk_vocab_release(&v);
	}
	pk_diags_release(&d);
}

static pk_value *parse(const char *yaml)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_diags d = PK_DIAGS_INIT;
	pk_value *v = NULL;
	assert_int_equal(pk_yaml_parse(&v, yaml, strlen(yaml), "t.yaml", &opts, &d), 0);
	pk_diags_release(&d);
	return v;
}

static const pk_field item_fields[] = {
	{ "name", PK_FIELD_TEXT, true, NULL },
	{ "value", PK_FIELD_NUMBER, false, NULL },
};
static const pk_schema item_schema = { "item", item_fields, 2 };
static const pk_field test_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "date", PK_FIELD_DATE, true, NULL },
	{ "tags", PK_FIELD_LIST, false, NULL },
	{ "items", PK_FIELD_MAPS, false, &item_schema },
	{ "flag", PK_FIELD_BOOL, false, NULL },
};
static const pk_schema test_schema = { "thing", test_fields, 5 };

static void test_schema_messages(void **state)
{
	pk_value *v = parse("titl: x\ndate: 2024-09\ntags: one\nitems:\n  - value: 1\n  - plain\nflag: yes\n");
	pk_diags d = PK_DIAGS_INIT;
	pk_buf text = PK_BUF_INIT;
	(void)state;

	assert_int_equal(pk_schema_check(&test_schema, v, "t.md", (pk_pos){ 1, 1 }, &d), PK_ERROR);
	pk_test_diags_text(&text, &d);
	assert_string_equal(text.ptr,
		"t.md:1:1: error: missing required field 'title' in thing\n"
		"t.md:1:1: warning: unknown field 'titl' in thing (did you mean 'title'?)\n"
		"t.md:2:7: error: field 'date' must be a date like 2024-09-01, not '2024-09'\n"
		"t.md:3:7: error: field 'tags' must be a list of text, not 'one'\n"
		"t.md:5:5: error: missing required field 'name' in item\n"
		"t.md:6:5: error: each item of 'items' must be a item with fields, not 'plain'\n"
		"t.md:7:7: error: field 'flag' must be true or false, not 'yes'\n");
	pk_buf_release(&text);
	pk_diags_release(&d);
	pk_value_free(v);
}

static void test_indicator_value(void **state)
{
	pk_value *a = parse("unit: '%'\nnumerator: 3\ndenominator: 4\n");
	pk_value *b = parse("numerator: 3\ndenominator: 4\n");
	pk_value *c = parse("actual: 12.5\nnumerator: 1\ndenominator: 0\n");
	pk_value *e = parse("name: x\n");
	double v;
	(void)state;

	assert_true(pk_practice_indicator_value(a, &v));
	assert_true(v > 74.99 && v < 75.01);
	assert_true(pk_practice_indicator_value(b, &v));
	assert_true(v > 0.749 && v < 0.751);
	assert_true(pk_practice_indicator_value(c, &v));
	assert_true(v > 12.49 && v < 12.51);
	assert_false(pk_practice_indicator_value(e, &v));
	pk_value_free(a);
	pk_value_free(b);
	pk_value_free(c);
	pk_value_free(e);
}

static void test_slug_validity(void **state)
{
	(void)state;
	assert_true(pk_doc_slug_is_valid("formula-uspekha-2024"));
	assert_false(pk_doc_slug_is_valid("Formula"));
	assert_false(pk_doc_slug_is_valid("a--b"));
	assert_false(pk_doc_slug_is_valid("-a"));
	assert_false(pk_doc_slug_is_valid("формула"));
	assert_false(pk_doc_slug_is_valid(""));
}

/* A small bank on disk: consent rules and the published set. */
static void test_bank_consent(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_bank bank;
	pk_bank_opts opts = PK_BANK_OPTS_INIT;
	pk_mentor *m;
	(void)state;

	pk_test_write(dir, "site.yaml", "title: T\n");
	pk_test_write(dir, "content/mentors/a.md",
		      "---\nname: Антонова Анна\nposition: учитель\norganization: Школа\nregion: \"70\"\n"
		      "experience: 5\nconsent: {date: 2024-01-01, publish: [name, position]}\n---\nБио\n");
	pk_test_write(dir, "content/mentors/b.md",
		      "---\nname: Борисов Борис\nposition: учитель\norganization: Школа\nregion: 70\n---\n");
	pk_test_write(dir, "content/practices/p.md",
		      "---\ntitle: П\ndate: 2024-01-01\nform: uchitel-uchitel\nregion: \"70\"\n"
		      "organization: Школа\nmentors: [a]\ngoal: Цель\nresults: [Итог]\n---\n");
	opts.today = (pk_date){ 2025, 1, 1 };
	assert_int_equal(pk_source_worktree_new(&src, dir, &d), 0);
	assert_int_equal(pk_bank_load(&bank, src, &opts, &d), 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 1); /* b has no consent */
	m = pk_bank_mentor(&bank, "a");
	assert_true(m->published);
	assert_non_null(pk_mentor_field(m, "position"));
	assert_null(pk_mentor_field(m, "experience"));
	assert_null(pk_mentor_field(m, "bio"));
	assert_false(pk_bank_mentor(&bank, "b")->published);
	assert_int_equal(((pk_practice *)bank.practices.items[0])->mentors.len, 1);
	assert_string_equal(pk_bank_mentor(&bank, "b")->region->id, "70");
	pk_bank_release(&bank);
	pk_source_free(src);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

/* Bodies are read again when rendered: the same bytes as loaded, from
 * after the front matter (and a BOM); an edit made meanwhile is an error
 * at the file, not a page mixing two versions. */
static void test_doc_body_read_again(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_bank bank;
	pk_bank_opts opts = PK_BANK_OPTS_INIT;
	pk_buf text = PK_BUF_INIT, msgs = PK_BUF_INIT;
	pk_slice body;
	const pk_doc *doc;
	(void)state;

	pk_test_write(dir, "site.yaml", "title: T\n");
	pk_test_write(dir, "content/practices/p.md",
		      "\xEF\xBB\xBF---\ntitle: П\ndate: 2024-01-01\nform: uchitel-uchitel\nregion: \"70\"\n"
		      "organization: Школа\ngoal: Цель\nresults: [Итог]\n---\n## Ход\n\nТекст.\n");
	opts.today = (pk_date){ 2025, 1, 1 };
	assert_int_equal(pk_source_worktree_new(&src, dir, &d), 0);
	assert_int_equal(pk_bank_load(&bank, src, &opts, &d), 0);
	doc = &((pk_practice *)bank.practices.items[0])->doc;
	assert_int_equal(doc->body_line, 10);
	assert_int_equal(pk_doc_body(doc, &text, &body, &d), 0);
	assert_int_equal(body.len, strlen("## Ход\n\nТекст.\n"));
	assert_memory_equal(body.p, "## Ход\n\nТекст.\n", body.len);

	pk_test_write(dir, "content/practices/p.md",
		      "---\ntitle: П\n---\n## Ход\n\nДругой текст.\n");
	pk_buf_clear(&text);
	assert_int_equal(pk_doc_body(doc, &text, &body, &d), PK_ERROR);
	assert_int_equal(body.len, 0);
	pk_test_diags_text(&msgs, &d);
	assert_non_null(strstr(msgs.ptr, "p.md:1:1: error: the file changed while the site was being built"));

	pk_buf_release(&text);
	pk_buf_release(&msgs);
	pk_bank_release(&bank);
	pk_source_free(src);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

/* A build packs practice front matter at load: the fields linking reads
 * stay as they were (the title pointer too), the rest comes back whole
 * from pk_doc_unpack_meta, equal to what a load without packing gives. */
static void test_practice_meta_packed(void **state)
{
	char *dir = pk_test_tmpdir();
	pk_diags d = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_bank plain, packed, cached;
	pk_bank_opts opts = PK_BANK_OPTS_INIT;
	const pk_practice *a, *b, *c;
	pk_buf cache_file = PK_BUF_INIT;
	pk_fmcache *cache;
	pk_value *whole, *again;
	(void)state;

	pk_test_write(dir, "site.yaml", "title: T\n");
	pk_test_write(dir, "content/practices/p.md",
		      "---\ntitle: Клуб\ndate: 2024-01-01\nform: uchitel-uchitel\nregion: \"70\"\n"
		      "organization: Школа\ngoal: Цель\ntags: [чтение, клуб]\nresults: [Итог, «Второй»]\n"
		      "indicators:\n  - name: Доля\n    numerator: 3\n    denominator: 4\n"
		      "stages:\n  - title: Начало\n---\nТекст.\n");
	opts.today = (pk_date){ 2025, 1, 1 };
	assert_int_equal(pk_source_worktree_new(&src, dir, &d), 0);
	assert_int_equal(pk_bank_load(&plain, src, &opts, &d), 0);
	opts.flags |= PK_BANK_PACK_META;
	assert_int_equal(pk_bank_load(&packed, src, &opts, &d), 0);
	a = plain.practices.items[0];
	b = packed.practices.items[0];

	assert_false(a->doc.packed);
	assert_true(b->doc.packed);
	assert_true(b->doc.fm_entry.bytes.len > 0); /* no cache: kept in memory */
	assert_string_equal(b->title, "Клуб");
	assert_string_equal(pk_doc_text(&b->doc, "goal"), "Цель");
	assert_int_equal(b->tags.len, 2);
	assert_null(pk_value_map_get(b->doc.meta, "results"));
	assert_null(pk_value_map_get(b->doc.meta, "indicators"));

	whole = pk_doc_unpack_meta(&b->doc);
	again = pk_doc_unpack_meta(&b->doc);
	assert_true(pk_value_equal(whole, a->doc.meta));
	assert_true(pk_value_equal(again, a->doc.meta));
	assert_int_equal(pk_value_map_entry(whole, "results", 7)->key_pos.line, 9);
	pk_value_free(whole);
	pk_value_free(again);

	/* with a front-matter cache the whole tree is on disk, not in memory */
	pk_path_join(&cache_file, dir, "cache");
	cache = pk_fmcache_open(cache_file.ptr, "test", 4);
	opts.fm_cache = cache;
	assert_int_equal(pk_bank_load(&cached, src, &opts, &d), 0);
	c = cached.practices.items[0];
	assert_true(c->doc.packed);
	assert_int_not_equal(c->doc.meta_ref, 0);
	assert_int_equal(c->doc.fm_entry.bytes.len, 0);
	assert_null(pk_value_map_get(c->doc.meta, "results"));
	whole = pk_doc_unpack_meta(&c->doc);
	assert_true(pk_value_equal(whole, a->doc.meta));
	pk_value_free(whole);
	pk_fmcache_free(cache);

	pk_bank_release(&plain);
	pk_bank_release(&packed);
	pk_bank_release(&cached);
	pk_buf_release(&cache_file);
	pk_source_free(src);
	pk_diags_release(&d);
	pk_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_vocabularies),
		cmocka_unit_test(test_vocab_lookup),
		cmocka_unit_test(test_vocab_spelling_as_folded),
		cmocka_unit_test(test_schema_messages),
		cmocka_unit_test(test_indicator_value),
		cmocka_unit_test(test_slug_validity),
		cmocka_unit_test(test_bank_consent),
		cmocka_unit_test(test_doc_body_read_again),
		cmocka_unit_test(test_practice_meta_packed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	pk_text_cleanup();
	return rc;
}
