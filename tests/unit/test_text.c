/*
 * test_text.c: the text module: slugs (ICAO 9303), NFC, lookup keys,
 * collation of Russian names, edit distance and «did you mean», plural
 * categories, stemming, and ill-formed or oversized input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "text/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(s) (s), strlen(s)

static void check_slug(const char *in, const char *want, int want_rc)
{
	pk_buf out = PK_BUF_INIT;
	int rc = pk_text_slugify(&out, S(in));
	if (strcmp(out.ptr, want) != 0 || rc != want_rc)
		fail_msg("slug of [%s]: got [%s] rc %d, want [%s] rc %d", in, out.ptr, rc, want,
			 want_rc);
	pk_buf_release(&out);
}

static void test_slugify(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Учитель — учитель", "uchitel-uchitel" },
		{ "Наставничество", "nastavnichestvo" },
		{ "Щука, ёж и Йогурт!", "shchuka-ezh-i-iogurt" },
		{ "Подъезд, объём", "podieezd-obieem" },
		{ "Хрущёв, Цой, Чехов", "khrushchev-tsoi-chekhov" },
		{ "Юлия Ярова", "iuliia-iarova" },
		{ "Семья, сельский, Мышь", "semia-selskii-mysh" },
		{ "ЭКОЛОГИЯ ЖИЗНИ", "ekologiia-zhizni" },
		{ "  Школа №5 (2024)  ", "shkola-5-2024" },
		{ "---a---b---", "a-b" },
		{ "Crème brûlée", "creme-brulee" },
		{ "Straße, Łódź, Ærø", "strasse-lodz-aero" },
		{ "İstanbul", "istanbul" },
		{ "Київ, Ґанок, Єва", "kiiv-ganok-ieva" },
		{ "abc123", "abc123" },
		{ "e\xcc\x81te\xcc\x81", "ete" },          /* decomposed é */
		{ "\xd0\x98\xcc\x86\xd0\xbe\xd0\xb4", "iod" }, /* И + breve = Й */
		{ "Проект «Старт-2024»", "proekt-start-2024" },
		{ "٣ apples", "3-apples" },               /* Arabic-Indic digit */
	};
	size_t i;

	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(cases); i++)
		check_slug(cases[i].in, cases[i].want, PK_OK);
	check_slug("", "item", PK_ENOTFOUND);
	check_slug("!!! — ???", "item", PK_ENOTFOUND);
	check_slug("日本", "item", PK_ENOTFOUND);
	check_slug("ь", "item", PK_ENOTFOUND);
}

/* ASCII takes a path of its own, without ICU: it gives what the
 * generic one does (forced here by a soft sign, which gives nothing). */
static void test_slugify_ascii_as_generic(void **state)
{
	uint32_t seed = 12345;
	int n, i;
	(void)state;

	for (n = 0; n < 2000; n++) {
		char text[40];
		int len = n % 24;
		pk_buf fast = PK_BUF_INIT, generic = PK_BUF_INIT, forced = PK_BUF_INIT;
		int rc_fast, rc_generic;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = (char)(1 + (seed >> 16) % 127); /* any ASCII but NUL */
		}
		pk_buf_put(&forced, text, (size_t)len);
		pk_buf_puts(&forced, "ь");
		rc_fast = pk_text_slugify(&fast, text, (size_t)len);
		rc_generic = pk_text_slugify(&generic, forced.ptr, forced.len);
		assert_string_equal(fast.ptr, generic.ptr);
		assert_int_equal(rc_fast, rc_generic);
		pk_buf_release(&fast);
		pk_buf_release(&generic);
		pk_buf_release(&forced);
	}
}

static void test_slugify_appends_and_survives_bad_utf8(void **state)
{
	pk_buf out = PK_BUF_INIT;

	(void)state;
	pk_buf_puts(&out, "tags/");
	assert_int_equal(pk_text_slugify(&out, S("Мир")), PK_OK);
	assert_string_equal(out.ptr, "tags/mir");
	pk_buf_clear(&out);
	assert_int_equal(pk_text_slugify(&out, S("a\xff\xfe" "b\xd0")), PK_OK);
	assert_string_equal(out.ptr, "a-b");
	pk_buf_clear(&out);
	assert_int_equal(pk_text_slugify(&out, "a\0b", 3), PK_OK);
	assert_string_equal(out.ptr, "a-b");
	pk_buf_clear(&out);
	/* Over the limit: refused, nothing appended, and nothing is read. */
	assert_int_equal(pk_text_slugify(&out, "x", PK_TEXT_MAX_LEN + 1), PK_ELIMIT);
	assert_int_equal(out.len, 0);
	pk_buf_release(&out);
}

static void test_nfc(void **state)
{
	pk_buf out = PK_BUF_INIT;

	(void)state;
	assert_int_equal(pk_text_nfc(&out, S("e\xcc\x81 \xd0\xb5\xcc\x88")), PK_OK);
	assert_string_equal(out.ptr, "\xc3\xa9 \xd1\x91"); /* é ё */
	pk_buf_clear(&out);
	assert_int_equal(pk_text_nfc(&out, S("уже NFC")), PK_OK);
	assert_string_equal(out.ptr, "уже NFC");
	pk_buf_clear(&out);
	assert_int_equal(pk_text_nfc(&out, S("a\xffz")), PK_OK);
	assert_string_equal(out.ptr, "a\xef\xbf\xbdz");
	pk_buf_clear(&out);
	assert_int_equal(pk_text_nfc(&out, "", 0), PK_OK);
	assert_string_equal(out.ptr, "");
	pk_buf_release(&out);
}

static void check_fold(const char *in, const char *want)
{
	pk_buf out = PK_BUF_INIT;
	assert_int_equal(pk_text_fold(&out, S(in)), PK_OK);
	if (strcmp(out.ptr, want) != 0)
		fail_msg("fold of [%s]: got [%s], want [%s]", in, out.ptr, want);
	pk_buf_release(&out);
}

static void test_fold(void **state)
{
	(void)state;
	check_fold("учитель — учитель", "учитель-учитель");
	check_fold("Учитель-учитель", "учитель-учитель");
	check_fold("учитель – учитель", "учитель-учитель");
	check_fold("Учитель \xe2\x88\x92 Учитель", "учитель-учитель");  /* minus */
	check_fold("учитель\xe2\x80\x90учитель", "учитель-учитель");    /* U+2010 */
	check_fold("учитель -- учитель", "учитель-учитель");
	check_fold("  Студент \t\n  студент  ", "студент студент");
	check_fold("Ёлкина ЁЖ", "елкина еж");
	check_fold("\xd0\x95\xcc\x88", "е"); /* Е + diaeresis → Ё → е */
	check_fold("педагог\xc2\xa0— педагог", "педагог-педагог"); /* NBSP */
	check_fold("— x", "-x");
	check_fold("uchitel-uchitel", "uchitel-uchitel");
	check_fold("", "");
}

static void test_word_count(void **state)
{
	(void)state;
	assert_int_equal(pk_text_word_count(S("")), 0);
	assert_int_equal(pk_text_word_count(S("  один  ")), 1);
	assert_int_equal(pk_text_word_count(S("учитель — учитель")), 2);
	assert_int_equal(pk_text_word_count(S("учитель-учитель, 2024 г.")), 3);
	assert_int_equal(pk_text_word_count(S("a\xff b")), 2);
}

/* Sorts names by their sort keys and checks the order matches want. */
static void check_sorted(const pk_text_collator *c, const char *const *want, size_t n)
{
	pk_buf *keys = calloc(n, sizeof(*keys));
	size_t i;

	for (i = 0; i < n; i++) {
		pk_buf_init(&keys[i]);
		assert_int_equal(pk_text_sort_key(&keys[i], c, S(want[i])), PK_OK);
		assert_int_equal(strlen(keys[i].ptr), keys[i].len);
	}
	for (i = 0; i + 1 < n; i++) {
		if (strcmp(keys[i].ptr, keys[i + 1].ptr) >= 0)
			fail_msg("sort key of [%s] not before [%s]", want[i], want[i + 1]);
		if (pk_text_compare(c, S(want[i]), S(want[i + 1])) >= 0)
			fail_msg("[%s] does not compare before [%s]", want[i], want[i + 1]);
		if (pk_text_compare(c, S(want[i + 1]), S(want[i])) <= 0)
			fail_msg("[%s] does not compare after [%s]", want[i + 1], want[i]);
	}
	for (i = 0; i < n; i++)
		pk_buf_release(&keys[i]);
	free(keys);
}

static void test_collation_ru(void **state)
{
	/* ICU 72, locale ru: digits, then Cyrillic, then Latin; «ё» is «е»
	 * at the primary level (Ёлкина between Елизарова and Емельянова),
	 * lowercase before uppercase at the tertiary level. */
	static const char *const order[] = {
		"",           "10",         "9",          "Абрамова",   "Борисова",
		"Евдокимова", "Ежова",      "Елизарова",  "Елкина",     "ёлкина",
		"Ёлкина",     "Емельянова", "Щукина",     "Эйхман",     "Яковлева",
		"Adams",      "Smith",      "Zeta",
	};
	pk_text_collator *c = NULL;

	(void)state;
	assert_int_equal(pk_text_collator_new(&c, "ru"), PK_OK);
	check_sorted(c, order, PK_ARRAY_SIZE(order));
	assert_int_equal(pk_text_compare(c, S("Ёлкина"), S("Ёлкина")), 0);
	assert_true(pk_text_compare(c, S("Евдокимова"), S("Ёлкина")) < 0);
	assert_true(pk_text_compare(c, S("Ёлкина"), S("Емельянова")) < 0);
	/* Ill-formed UTF-8 compares without harm, consistently with keys. */
	assert_true(pk_text_compare(c, S("a\xff"), S("a\xff")) == 0);
	pk_text_collator_free(c);
	pk_text_collator_free(NULL);
}

static void test_sort_key_appends(void **state)
{
	pk_text_collator *c = NULL;
	pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT;
	char long_name[600];

	(void)state;
	assert_int_equal(pk_text_collator_new(&c, "ru"), PK_OK);
	assert_int_equal(pk_text_sort_key(&a, c, S("Иванова")), PK_OK);
	pk_buf_puts(&b, "prefix");
	assert_int_equal(pk_text_sort_key(&b, c, S("Иванова")), PK_OK);
	assert_int_equal(b.len, 6 + a.len);
	assert_memory_equal(b.ptr + 6, a.ptr, a.len);
	/* A key longer than the first guess of the buffer's room. */
	memset(long_name, 'z', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	pk_buf_clear(&a);
	assert_int_equal(pk_text_sort_key(&a, c, S(long_name)), PK_OK);
	assert_true(a.len > 600);
	assert_int_equal(strlen(a.ptr), a.len);
	pk_buf_release(&a);
	pk_buf_release(&b);
	pk_text_collator_free(c);
}

static void test_collator_unknown_locale(void **state)
{
	pk_text_collator *c = NULL;

	(void)state;
	assert_int_equal(pk_text_collator_new(&c, "xx-unknown"), PK_OK);
	assert_true(pk_text_compare(c, S("a"), S("b")) < 0);
	pk_text_collator_free(c);
}

static void test_distance(void **state)
{
	char a[300], b[300];

	(void)state;
	assert_int_equal(pk_text_distance(S(""), S("")), 0);
	assert_int_equal(pk_text_distance(S("abc"), S("")), 3);
	assert_int_equal(pk_text_distance(S("kitten"), S("sitting")), 3);
	/* Code points, not bytes: one Cyrillic letter is one edit. */
	assert_int_equal(pk_text_distance(S("учитель"), S("учитиль")), 1);
	assert_int_equal(pk_text_distance(S("ёж"), S("еж")), 1);
	assert_int_equal(pk_text_distance(S("teacher-techer"), S("teacher-teacher")), 1);
	/* Past the cap: SIZE_MAX unless equal. */
	memset(a, 'a', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[0] = 'b';
	assert_int_equal(pk_text_distance(a, sizeof(a), b, sizeof(b)), SIZE_MAX);
	assert_int_equal(pk_text_distance(a, sizeof(a), a, sizeof(a)), 0);
	assert_int_equal(pk_text_distance(a, PK_TEXT_DISTANCE_MAX, b, PK_TEXT_DISTANCE_MAX), 1);
}

static void test_suggest(void **state)
{
	static const char *const forms[] = {
		"uchitel-uchitel", "student-student", "rabotodatel-student", "педагог-педагог",
		NULL,              "teacher-teacher",
	};
	const size_t n = PK_ARRAY_SIZE(forms);

	(void)state;
	assert_string_equal(pk_text_suggest(S("учитель-учитель"), forms, n), "uchitel-uchitel");
	assert_string_equal(pk_text_suggest(S("Учитель — учитель"), forms, n), "uchitel-uchitel");
	assert_string_equal(pk_text_suggest(S("педагог — педагог"), forms, n), "педагог-педагог");
	assert_string_equal(pk_text_suggest(S("педагог-педагок"), forms, n), "педагог-педагог");
	assert_string_equal(pk_text_suggest(S("teacher-techer"), forms, n), "teacher-teacher");
	assert_string_equal(pk_text_suggest(S("studnet-student"), forms, n), "student-student");
	assert_string_equal(pk_text_suggest(S("Uchitel-Uchitel"), forms, n), "uchitel-uchitel");
	assert_null(pk_text_suggest(S("наставник-ученик"), forms, n));
	assert_null(pk_text_suggest(S("xyz"), forms, n));
	assert_null(pk_text_suggest(S(""), forms, n));
	assert_null(pk_text_suggest(S("учитель-учитель"), forms, 0));
}

static void test_suggest_short_words(void **state)
{
	static const char *const names[] = { "title", "date", "tags", "ab" };
	const size_t n = PK_ARRAY_SIZE(names);

	(void)state;
	assert_string_equal(pk_text_suggest(S("titel"), names, n), "title");
	assert_string_equal(pk_text_suggest(S("dat"), names, n), "date");
	assert_string_equal(pk_text_suggest(S("tag"), names, n), "tags");
	/* Two edits on two letters share nothing: no suggestion. */
	assert_null(pk_text_suggest(S("xy"), names, n));
	/* The nearest wins over an earlier, farther one. */
	assert_string_equal(pk_text_suggest(S("tags"), names, n), "tags");
}

static void test_plural(void **state)
{
	static const struct {
		long n;
		int want;
	} ru[] = {
		{ 0, PK_PLURAL_MANY },  { 1, PK_PLURAL_ONE },    { 2, PK_PLURAL_FEW },
		{ 4, PK_PLURAL_FEW },   { 5, PK_PLURAL_MANY },   { 11, PK_PLURAL_MANY },
		{ 12, PK_PLURAL_MANY }, { 14, PK_PLURAL_MANY },  { 21, PK_PLURAL_ONE },
		{ 22, PK_PLURAL_FEW },  { 25, PK_PLURAL_MANY },  { 101, PK_PLURAL_ONE },
		{ 111, PK_PLURAL_MANY }, { 112, PK_PLURAL_MANY }, { 122, PK_PLURAL_FEW },
		{ -1, PK_PLURAL_ONE },  { -3, PK_PLURAL_FEW },
	};
	size_t i;

	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(ru); i++) {
		if (pk_text_plural_ru(ru[i].n) != ru[i].want)
			fail_msg("plural_ru(%ld) = %d, want %d", ru[i].n, pk_text_plural_ru(ru[i].n),
				 ru[i].want);
		assert_int_equal(pk_text_plural("ru", ru[i].n), ru[i].want);
		assert_int_equal(pk_text_plural("ru-RU", ru[i].n), ru[i].want);
	}
	assert_int_equal(pk_text_plural_ru(LONG_MIN), PK_PLURAL_MANY); /* …808: no overflow */
	assert_int_equal(pk_text_plural("en", 1), PK_PLURAL_ONE);
	assert_int_equal(pk_text_plural("en", 0), PK_PLURAL_MANY);
	assert_int_equal(pk_text_plural("en", 2), PK_PLURAL_MANY);
	assert_int_equal(pk_text_plural("en", 21), PK_PLURAL_MANY);
	assert_int_equal(pk_text_plural(NULL, 1), PK_PLURAL_ONE);
	assert_int_equal(pk_text_plural("rus", 2), PK_PLURAL_MANY); /* not "ru" */
}

static void check_stem(pk_text_stemmer *s, const char *word, const char *want)
{
	pk_buf out = PK_BUF_INIT;
	assert_int_equal(pk_text_stem(&out, s, S(word)), PK_OK);
	if (strcmp(out.ptr, want) != 0)
		fail_msg("stem of [%s]: got [%s], want [%s]", word, out.ptr, want);
	pk_buf_release(&out);
}

static void test_stem(void **state)
{
	pk_text_stemmer *s = NULL;

	(void)state;
	assert_int_equal(pk_text_stemmer_new(&s, NULL), PK_OK);
	/* Snowball keeps the abstract noun apart from the agent noun. */
	check_stem(s, "наставничество", "наставничеств");
	check_stem(s, "наставничества", "наставничеств");
	check_stem(s, "наставники", "наставник");
	check_stem(s, "наставников", "наставник");
	check_stem(s, "учителя", "учител");
	check_stem(s, "учителей", "учител");
	check_stem(s, "", "");
	pk_text_stemmer_free(s);
	pk_text_stemmer_free(NULL);

	assert_int_equal(pk_text_stemmer_new(&s, "en"), PK_OK);
	check_stem(s, "mentoring", "mentor");
	pk_text_stemmer_free(s);

	assert_int_equal(pk_text_stemmer_new(&s, "klingon"), PK_ENOTFOUND);
	assert_null(s);
}

static int teardown(void **state)
{
	(void)state;
	pk_text_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slugify),
		cmocka_unit_test(test_slugify_ascii_as_generic),
		cmocka_unit_test(test_slugify_appends_and_survives_bad_utf8),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_word_count),
		cmocka_unit_test(test_collation_ru),
		cmocka_unit_test(test_sort_key_appends),
		cmocka_unit_test(test_collator_unknown_locale),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_suggest_short_words),
		cmocka_unit_test(test_plural),
		cmocka_unit_test(test_stem),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
