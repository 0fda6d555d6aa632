/*
 * test_value.c: the value tree: constructors, lists, maps (order, hashed
 * lookup, duplicates, take), clone, equality, text forms, dates, and the
 * packed form (round trip, objects refused, damaged blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "value/value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pk_pos at = { 2, 5 };

static char *text_of(const pk_value *v)
{
	pk_buf b = PK_BUF_INIT;
	pk_value_to_text(&b, v);
	return pk_buf_detach(&b);
}

static void expect_text(const pk_value *v, const char *expected)
{
	char *s = text_of(v);
	assert_string_equal(s, expected);
	free(s);
}

/* Checks the text of a new float value and frees it. */
static void expect_float_text(double f, const char *expected)
{
	pk_value *v = pk_value_new_float(f, at);
	expect_text(v, expected);
	pk_value_free(v);
}

static void test_constructors(void **state)
{
	pk_value *v;
	pk_date d = { 2024, 9, 1 };
	(void)state;

	v = pk_value_new_null(at);
	assert_int_equal(v->type, PK_VALUE_NULL);
	assert_int_equal(v->pos.line, 2);
	assert_int_equal(v->pos.col, 5);
	expect_text(v, "");
	pk_value_free(v);

	v = pk_value_new_bool(true, at);
	assert_true(v->as.b);
	expect_text(v, "true");
	pk_value_free(v);

	v = pk_value_new_int(-42, at);
	assert_int_equal(v->as.i, -42);
	expect_text(v, "-42");
	pk_value_free(v);

	v = pk_value_new_int(INT64_MIN, at);
	expect_text(v, "-9223372036854775808");
	pk_value_free(v);

	v = pk_value_new_string("a\0b", 3, at);
	assert_int_equal(v->as.str.len, 3);
	assert_int_equal(v->as.str.ptr[3], '\0');
	assert_memory_equal(v->as.str.ptr, "a\0b", 3);
	pk_value_free(v);

	v = pk_value_new_cstr("Привет");
	assert_string_equal(pk_value_str(v), "Привет");
	assert_int_equal(v->pos.line, 0);
	expect_text(v, "Привет");
	pk_value_free(v);

	v = pk_value_new_date(d, at);
	expect_text(v, "2024-09-01");
	assert_null(pk_value_str(v));
	assert_int_equal(pk_value_len(v), 0);
	pk_value_free(v);

	pk_value_free(NULL);
	assert_null(pk_value_str(NULL));
	assert_int_equal(pk_value_len(NULL), 0);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(pk_value_type_name(PK_VALUE_NULL), "null");
	assert_string_equal(pk_value_type_name(PK_VALUE_BOOL), "boolean");
	assert_string_equal(pk_value_type_name(PK_VALUE_INT), "integer");
	assert_string_equal(pk_value_type_name(PK_VALUE_FLOAT), "float");
	assert_string_equal(pk_value_type_name(PK_VALUE_STRING), "string");
	assert_string_equal(pk_value_type_name(PK_VALUE_LIST), "list");
	assert_string_equal(pk_value_type_name(PK_VALUE_MAP), "map");
	assert_string_equal(pk_value_type_name(PK_VALUE_DATE), "date");
	assert_string_equal(pk_value_type_name(PK_VALUE_OBJECT), "object");
}

static void test_list(void **state)
{
	pk_value *list = pk_value_new_list(at);
	int64_t i;
	(void)state;

	for (i = 0; i < 100; i++)
		pk_value_list_push(list, pk_value_new_int(i, at));
	assert_int_equal(pk_value_len(list), 100);
	assert_int_equal(pk_value_list_at(list, 0)->as.i, 0);
	assert_int_equal(pk_value_list_at(list, 99)->as.i, 99);
	assert_null(pk_value_list_at(list, 100));
	assert_null(pk_value_list_at(NULL, 0));
	expect_text(list, ""); /* lists have no text form */
	pk_value_free(list);
}

static void test_map_order_and_duplicates(void **state)
{
	pk_value *map = pk_value_new_map(at);
	pk_value *extra = pk_value_new_int(3, at);
	pk_pos kpos = { 7, 1 };
	const pk_map_entry *e;
	(void)state;

	assert_int_equal(pk_value_map_add(map, "zeta", 4, kpos, pk_value_new_int(1, at)), PK_OK);
	assert_int_equal(pk_value_map_add(map, "alpha", 5, at, pk_value_new_int(2, at)), PK_OK);
	assert_int_equal(pk_value_map_add(map, "mid", 3, at, pk_value_new_cstr("m")), PK_OK);
	/* insertion order, not sorted */
	assert_string_equal(map->as.map.entries[0].key, "zeta");
	assert_string_equal(map->as.map.entries[1].key, "alpha");
	assert_string_equal(map->as.map.entries[2].key, "mid");
	/* a duplicate is refused and the caller keeps its value */
	assert_int_equal(pk_value_map_add(map, "alpha", 5, at, extra), PK_EEXISTS);
	assert_int_equal(pk_value_len(map), 3);
	assert_int_equal(pk_value_map_get(map, "alpha")->as.i, 2);
	pk_value_free(extra);

	e = pk_value_map_entry(map, "zeta", 4);
	assert_non_null(e);
	assert_int_equal(e->key_pos.line, 7);
	assert_null(pk_value_map_entry(map, "zet", 3));
	assert_null(pk_value_map_get(map, "nope"));
	assert_null(pk_value_map_get(NULL, "x"));
	assert_null(pk_value_map_get(pk_value_list_at(map, 0), "x"));

	/* set replaces in place, keeping the order */
	pk_value_map_set(map, "alpha", pk_value_new_cstr("new"));
	assert_string_equal(pk_value_str(pk_value_map_get(map, "alpha")), "new");
	assert_string_equal(map->as.map.entries[1].key, "alpha");
	pk_value_map_set(map, "last", pk_value_new_null(at));
	assert_string_equal(map->as.map.entries[3].key, "last");
	pk_value_free(map);
}

static void test_map_hashed(void **state)
{
	pk_value *map = pk_value_new_map(at);
	pk_value *v;
	char key[32];
	int i;
	(void)state;

	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		assert_int_equal(pk_value_map_add(map, key, strlen(key), at, pk_value_new_int(i, at)),
				 PK_OK);
		if (i == 7)
			assert_null(map->as.map.index); /* still small */
	}
	assert_non_null(map->as.map.index);
	assert_int_equal(pk_value_len(map), 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		v = pk_value_map_get(map, key);
		assert_non_null(v);
		assert_int_equal(v->as.i, i);
		assert_int_equal(pk_value_map_add(map, key, strlen(key), at, NULL), PK_EEXISTS);
	}
	assert_null(pk_value_map_get(map, "key1000"));
	assert_string_equal(map->as.map.entries[500].key, "key500");

	/* take keeps the rest findable and in order */
	v = pk_value_map_take(map, "key10");
	assert_int_equal(v->as.i, 10);
	pk_value_free(v);
	assert_null(pk_value_map_take(map, "key10"));
	assert_int_equal(pk_value_len(map), 999);
	assert_null(pk_value_map_get(map, "key10"));
	assert_int_equal(pk_value_map_get(map, "key11")->as.i, 11);
	assert_int_equal(pk_value_map_get(map, "key999")->as.i, 999);
	assert_string_equal(map->as.map.entries[10].key, "key11");
	pk_value_free(map);
}

/* A shrunk list or map holds exactly its items and keeps working. */
static void test_shrink(void **state)
{
	pk_value *list = pk_value_new_list(at), *map = pk_value_new_map(at), *empty = pk_value_new_map(at);
	char key[32];
	int i;
	(void)state;

	for (i = 0; i < 3; i++)
		pk_value_list_push(list, pk_value_new_int(i, at));
	for (i = 0; i < 12; i++) { /* past the linear size: hashed */
		snprintf(key, sizeof(key), "k%d", i);
		pk_value_map_add(map, key, strlen(key), at, pk_value_new_int(i, at));
	}
	pk_value_shrink(list);
	pk_value_shrink(map);
	pk_value_shrink(empty);
	assert_int_equal(list->as.list.cap, 3);
	assert_int_equal(map->as.map.cap, 12);
	assert_int_equal(empty->as.map.cap, 0);
	assert_null(empty->as.map.entries);
	assert_int_equal(pk_value_list_at(list, 2)->as.i, 2);
	assert_int_equal(pk_value_map_get(map, "k11")->as.i, 11);
	assert_null(pk_value_map_get(map, "k12"));
	pk_value_list_push(list, pk_value_new_int(3, at)); /* grows again */
	pk_value_map_set(map, "k12", pk_value_new_int(12, at));
	pk_value_map_set(empty, "a", pk_value_new_int(1, at));
	assert_int_equal(pk_value_list_at(list, 3)->as.i, 3);
	assert_int_equal(pk_value_map_get(map, "k12")->as.i, 12);
	assert_int_equal(pk_value_map_get(map, "k0")->as.i, 0);
	assert_int_equal(pk_value_map_get(empty, "a")->as.i, 1);
	pk_value_free(list);
	pk_value_free(map);
	pk_value_free(empty);
}

/* Interned keys are shared, not copied, and never freed by a map; other
 * keys still are copied. Lookups with a precomputed hash agree. */
static void test_interned_keys(void **state)
{
	static const char title[] = "title", date[] = "date";
	static const char *const keys[] = { title, date, title };
	pk_value *m = pk_value_new_map(at), *c;
	(void)state;

	pk_value_intern_keys(keys, 3);
	pk_value_intern_keys(keys, 2); /* again: nothing changes */
	assert_int_equal(pk_value_map_add(m, "title", 5, at, pk_value_new_cstr("T")), PK_OK);
	assert_int_equal(pk_value_map_add(m, "other", 5, at, pk_value_new_cstr("O")), PK_OK);
	pk_value_map_set(m, "date", pk_value_new_cstr("D"));
	assert_ptr_equal(m->as.map.entries[0].key, title);
	assert_ptr_equal(m->as.map.entries[2].key, date);
	assert_ptr_not_equal(m->as.map.entries[1].key, title);
	/* a key with a NUL after an interned prefix is its own key */
	assert_int_equal(pk_value_map_add(m, "title\0x", 7, at, pk_value_new_cstr("N")), PK_OK);
	assert_ptr_not_equal(m->as.map.entries[3].key, title);
	assert_int_equal(m->as.map.entries[3].key_len, 7);
	assert_string_equal(m->as.map.entries[1].key, "other");
	assert_string_equal(pk_value_str(pk_value_map_geth(m, "title", 5,
							   pk_value_key_hash("title", 5))), "T");
	assert_null(pk_value_map_geth(m, "titl", 4, pk_value_key_hash("titl", 4)));
	c = pk_value_clone(m);
	assert_ptr_equal(c->as.map.entries[0].key, title);
	assert_true(pk_value_equal(m, c));
	pk_value_free(pk_value_map_take(c, "title"));
	assert_null(pk_value_map_get(c, "title"));
	pk_value_free(c);
	pk_value_free(m); /* an interned key freed here would crash under ASan */
}

static void test_map_take_small(void **state)
{
	pk_value *map = pk_value_new_map(at);
	pk_value *v;
	(void)state;

	pk_value_map_set(map, "a", pk_value_new_int(1, at));
	pk_value_map_set(map, "b", pk_value_new_int(2, at));
	pk_value_map_set(map, "c", pk_value_new_int(3, at));
	v = pk_value_map_take(map, "a");
	assert_int_equal(v->as.i, 1);
	pk_value_free(v);
	assert_string_equal(map->as.map.entries[0].key, "b");
	assert_string_equal(map->as.map.entries[1].key, "c");
	assert_null(pk_value_map_take(map, "zz"));
	assert_null(pk_value_map_take(NULL, "a"));
	pk_value_free(map);
}

static pk_value *sample_tree(void)
{
	pk_value *root = pk_value_new_map(at), *list = pk_value_new_list(at);
	pk_value *inner = pk_value_new_map(at);
	pk_date d = { 2023, 9, 0 };

	pk_value_list_push(list, pk_value_new_cstr("a"));
	pk_value_list_push(list, pk_value_new_float(1.5, at));
	pk_value_map_set(inner, "start", pk_value_new_date(d, at));
	pk_value_list_push(list, inner);
	pk_value_map_set(root, "list", list);
	pk_value_map_set(root, "flag", pk_value_new_bool(false, at));
	pk_value_map_set(root, "none", pk_value_new_null(at));
	return root;
}

static void test_clone_and_equal(void **state)
{
	pk_value *a = sample_tree(), *b, *c;
	(void)state;

	b = pk_value_clone(a);
	assert_true(pk_value_equal(a, b));
	assert_true(pk_value_equal(b, a));
	assert_true(pk_value_map_get(a, "list") != pk_value_map_get(b, "list"));
	assert_int_equal(pk_value_map_get(b, "list")->pos.line, 2); /* positions kept */

	/* a change deep inside breaks equality; the original is untouched */
	pk_value_map_set(pk_value_list_at(pk_value_map_get(b, "list"), 2), "start",
			 pk_value_new_cstr("2023-09"));
	assert_false(pk_value_equal(a, b));
	assert_int_equal(
		pk_value_map_get(pk_value_list_at(pk_value_map_get(a, "list"), 2), "start")->type,
		PK_VALUE_DATE);

	/* maps compare regardless of order; positions are ignored */
	c = pk_value_new_map(at);
	pk_value_map_set(c, "none", pk_value_new_null(at));
	pk_value_map_set(c, "flag", pk_value_new_bool(false, at));
	pk_value_map_set(c, "list", pk_value_clone(pk_value_map_get(a, "list")));
	pk_value_map_get(c, "flag")->pos.line = 99;
	assert_true(pk_value_equal(a, c));
	pk_value_map_set(c, "extra", pk_value_new_null(at));
	assert_false(pk_value_equal(a, c));

	pk_value_free(a);
	pk_value_free(b);
	pk_value_free(c);
}

static void test_equal_scalars(void **state)
{
	pk_value *i1 = pk_value_new_int(1, at), *f1 = pk_value_new_float(1.0, at);
	pk_value *s1 = pk_value_new_cstr("1"), *s2 = pk_value_new_string("1", 1, at);
	pk_value *n = pk_value_new_null(at), *n2 = pk_value_new_null(at);
	(void)state;

	assert_false(pk_value_equal(i1, f1)); /* types differ */
	assert_false(pk_value_equal(i1, s1));
	assert_true(pk_value_equal(s1, s2));
	assert_true(pk_value_equal(n, n2));
	pk_value_free(i1);
	pk_value_free(f1);
	pk_value_free(s1);
	pk_value_free(s2);
	pk_value_free(n);
	pk_value_free(n2);
}

static void test_float_text(void **state)
{
	(void)state;
	expect_float_text(1.21, "1.21");
	expect_float_text(3.0, "3");
	expect_float_text(1e100, "1e+100");
	expect_float_text(0.1, "0.1");
	expect_float_text(-2.5, "-2.5");
	expect_float_text(1.0 / 3.0, "0.3333333333333333");
	expect_float_text(1000.0, "1000");
	expect_float_text(150.0, "150");
	expect_float_text(75.5, "75.5");
	expect_float_text(1e15, "1000000000000000");
	expect_float_text(1e16, "1e+16");
	expect_float_text(0.0001, "0.0001");
	expect_float_text(0.00001, "1e-05");
	expect_float_text(INFINITY, ".inf");
	expect_float_text(-INFINITY, "-.inf");
	expect_float_text(NAN, ".nan");
}

/* Every float's text reads back as the same float. */
static void test_float_round_trip(void **state)
{
	static const double samples[] = { 0.1, 2.0 / 3.0, 123456.789, 1e-300, 5e-324,
					  1.7976931348623157e308, 12345678901234567.0, 4.35 };
	size_t i;
	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(samples); i++) {
		pk_value *v = pk_value_new_float(samples[i], at);
		char *s = text_of(v);
		assert_true(strtod(s, NULL) == samples[i]);
		free(s);
		pk_value_free(v);
	}
}

static void test_dates(void **state)
{
	pk_date d;
	pk_date month = { 2024, 9, 0 }, first = { 2024, 9, 1 }, last = { 2024, 8, 31 };
	pk_value *v;
	(void)state;

	assert_true(pk_date_parse("2024-09-01", 10, &d));
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 9);
	assert_int_equal(d.day, 1);
	assert_true(pk_date_parse("2024-09", 7, &d));
	assert_int_equal(d.day, 0);
	v = pk_value_new_date(d, at);
	expect_text(v, "2024-09");
	pk_value_free(v);

	assert_true(pk_date_parse("2024-02-29", 10, &d)); /* leap year */
	assert_false(pk_date_parse("2023-02-29", 10, &d));
	assert_true(pk_date_parse("2000-02-29", 10, &d));  /* divisible by 400 */
	assert_false(pk_date_parse("1900-02-29", 10, &d)); /* by 100 only */
	assert_true(pk_date_parse("2024-12-31", 10, &d));
	assert_false(pk_date_parse("2024-04-31", 10, &d));
	assert_false(pk_date_parse("2024-13-01", 10, &d));
	assert_false(pk_date_parse("2024-00", 7, &d));
	assert_false(pk_date_parse("2024-09-00", 10, &d));
	assert_false(pk_date_parse("2024-9-01", 9, &d));
	assert_false(pk_date_parse("2024/09/01", 10, &d));
	assert_false(pk_date_parse("2024-09-0a", 10, &d));
	assert_false(pk_date_parse("2024-09-01T", 11, &d));
	assert_false(pk_date_parse("+024-09-01", 10, &d));
	assert_false(pk_date_parse("", 0, &d));

	assert_true(pk_date_compare(month, first) < 0); /* a month sorts before its days */
	assert_true(pk_date_compare(first, month) > 0);
	assert_true(pk_date_compare(last, month) < 0);
	assert_true(pk_date_compare(first, first) == 0);
}

static int obj_freed;
static void obj_free(void *self)
{
	(void)self;
	obj_freed++;
}

static void test_object_clone(void **state)
{
	static const pk_value_class cls = { "thing", NULL, NULL, NULL, NULL, NULL, NULL, obj_free };
	int self = 0;
	pk_value *o = pk_value_new_object(&cls, &self), *c;
	(void)state;

	c = pk_value_clone(o);
	assert_true(pk_value_equal(o, c)); /* same object */
	pk_value_free(c);
	assert_int_equal(obj_freed, 0); /* the copy does not own it */
	pk_value_free(o);
	assert_int_equal(obj_freed, 1);
}

/* ---- packing ---------------------------------------------------------- */

/* Equal, and every value and key at the same place. */
static void assert_same_tree(const pk_value *a, const pk_value *b)
{
	size_t i;
	assert_true(pk_value_equal(a, b));
	assert_int_equal(a->pos.line, b->pos.line);
	assert_int_equal(a->pos.col, b->pos.col);
	if (a->type == PK_VALUE_LIST)
		for (i = 0; i < a->as.list.len; i++)
			assert_same_tree(a->as.list.items[i], b->as.list.items[i]);
	if (a->type == PK_VALUE_MAP)
		for (i = 0; i < a->as.map.len; i++) {
			const pk_map_entry *x = &a->as.map.entries[i], *y = &b->as.map.entries[i];
			assert_int_equal(x->key_len, y->key_len);
			assert_memory_equal(x->key, y->key, x->key_len);
			assert_int_equal(x->key_pos.line, y->key_pos.line);
			assert_int_equal(x->key_pos.col, y->key_pos.col);
			assert_same_tree(x->value, y->value);
		}
}

/* A tree with a value of every type that front matter has. */
static pk_value *every_type_tree(void)
{
	pk_value *root = pk_value_new_map((pk_pos){ 1, 1 });
	pk_value *list = pk_value_new_list((pk_pos){ 3, 4 });
	pk_value *inner = pk_value_new_map((pk_pos){ 4, 6 });
	pk_date month = { 2024, 9, 0 }, day = { 1999, 12, 31 };

	pk_value_map_add(root, "title", 5, (pk_pos){ 2, 1 },
			 pk_value_new_cstr("Школа молодого педагога «Агрошкола»"));
	pk_value_map_add(root, "nul\0key", 7, (pk_pos){ 2, 9 }, pk_value_new_string("a\0b", 3, (pk_pos){ 2, 20 }));
	pk_value_map_add(root, "empty", 5, (pk_pos){ 3, 1 }, pk_value_new_string("", 0, (pk_pos){ 3, 8 }));
	pk_value_map_add(root, "draft", 5, (pk_pos){ 5, 1 }, pk_value_new_bool(true, (pk_pos){ 5, 8 }));
	pk_value_map_add(root, "none", 4, (pk_pos){ 6, 1 }, pk_value_new_null((pk_pos){ 6, 7 }));
	pk_value_map_add(root, "min", 3, (pk_pos){ 7, 1 }, pk_value_new_int(INT64_MIN, (pk_pos){ 7, 6 }));
	pk_value_map_add(root, "max", 3, (pk_pos){ 8, 1 }, pk_value_new_int(INT64_MAX, (pk_pos){ 8, 6 }));
	pk_value_map_add(root, "share", 5, (pk_pos){ 9, 1 }, pk_value_new_float(-0.125, (pk_pos){ 9, 8 }));
	pk_value_map_add(root, "big", 3, (pk_pos){ 10, 1 }, pk_value_new_float(1e300, (pk_pos){ 10, 6 }));
	pk_value_map_add(root, "since", 5, (pk_pos){ 11, 1 }, pk_value_new_date(month, (pk_pos){ 11, 8 }));
	pk_value_map_add(root, "date", 4, (pk_pos){ 12, 1 }, pk_value_new_date(day, (pk_pos){ 12, 7 }));
	pk_value_map_add(inner, "deep", 4, (pk_pos){ 4, 8 }, pk_value_new_list((pk_pos){ 4, 14 }));
	pk_value_map_add(inner, "far", 3, (pk_pos){ 2000000, 70000 },
			 pk_value_new_int(-1, (pk_pos){ 2000000, 70005 }));
	pk_value_list_push(list, pk_value_new_cstr("first"));
	pk_value_list_push(list, inner);
	pk_value_list_push(list, pk_value_new_map((pk_pos){ 5, 6 }));
	pk_value_map_add(root, "stages", 6, (pk_pos){ 3, 1 }, list);
	return root;
}

static void test_pack_round_trip(void **state)
{
	pk_value *tree = every_type_tree(), *back;
	pk_buf packed = PK_BUF_INIT;
	(void)state;

	pk_buf_puts(&packed, "prefix");
	assert_true(pk_value_pack(&packed, tree));
	back = pk_value_unpack(packed.ptr + 6, packed.len - 6);
	assert_non_null(back);
	assert_same_tree(tree, back);
	assert_string_equal(pk_value_str(pk_value_map_get(back, "title")),
			    "Школа молодого педагога «Агрошкола»");
	pk_value_free(back);
	pk_value_free(tree);
	pk_buf_release(&packed);
}

static void test_pack_big_map(void **state)
{
	pk_value *map = pk_value_new_map(at), *back;
	pk_buf packed = PK_BUF_INIT;
	char key[16];
	int i;
	(void)state;

	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		pk_value_map_add(map, key, strlen(key), at, pk_value_new_int(i, at));
	}
	assert_true(pk_value_pack(&packed, map));
	assert_non_null(back = pk_value_unpack(packed.ptr, packed.len));
	assert_int_equal(pk_value_len(back), 200);
	assert_int_equal(pk_value_map_get(back, "k137")->as.i, 137); /* the index works */
	assert_null(pk_value_map_get(back, "k200"));
	pk_value_free(back);
	pk_value_free(map);
	pk_buf_release(&packed);
}

/* Only the fields asked for, in the order asked, positions kept: what
 * the subset map made by moving those entries would pack to. */
static void test_pack_fields(void **state)
{
	static const char *const keys[] = { "stages", "missing", "title", "date" };
	pk_value *tree = every_type_tree(), *subset = pk_value_new_map(tree->pos), *back;
	pk_buf packed = PK_BUF_INIT, expected = PK_BUF_INIT;
	size_t i;
	(void)state;

	assert_true(pk_value_pack_fields(&packed, tree, keys, PK_ARRAY_SIZE(keys)));
	for (i = 0; i < PK_ARRAY_SIZE(keys); i++) {
		const pk_map_entry *e = pk_value_map_entry(tree, keys[i], strlen(keys[i]));
		if (e)
			pk_value_map_add(subset, e->key, e->key_len, e->key_pos,
					 pk_value_clone(e->value));
	}
	assert_true(pk_value_pack(&expected, subset));
	assert_int_equal(packed.len, expected.len);
	assert_memory_equal(packed.ptr, expected.ptr, packed.len);
	back = pk_value_unpack(packed.ptr, packed.len);
	assert_non_null(back);
	assert_same_tree(subset, back);
	assert_int_equal(pk_value_len(back), 3);
	assert_string_equal(back->as.map.entries[0].key, "stages");
	assert_false(pk_value_pack_fields(&packed, pk_value_list_at(pk_value_map_get(tree, "stages"), 0),
					  keys, 1)); /* not a map */
	pk_value_free(back);
	pk_value_free(subset);
	pk_value_free(tree);
	pk_buf_release(&packed);
	pk_buf_release(&expected);
}

static void test_pack_refuses_objects(void **state)
{
	static const pk_value_class cls = { "thing", NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	int self = 0;
	pk_value *list = pk_value_new_list(at);
	pk_buf packed = PK_BUF_INIT;
	(void)state;

	pk_value_list_push(list, pk_value_new_cstr("ok"));
	pk_value_list_push(list, pk_value_new_object(&cls, &self));
	pk_buf_puts(&packed, "kept");
	assert_false(pk_value_pack(&packed, list));
	assert_int_equal(packed.len, 4);
	assert_memory_equal(packed.ptr, "kept", 4);
	pk_value_free(list);
	pk_buf_release(&packed);
}

/* A cut or damaged block is never trusted and never read past its end
 * (the ASan run checks the reads and that nothing leaks). */
static void test_unpack_damaged(void **state)
{
	pk_value *tree = every_type_tree(), *back;
	pk_buf packed = PK_BUF_INIT, copy = PK_BUF_INIT;
	size_t i;
	int bit;
	(void)state;

	assert_true(pk_value_pack(&packed, tree));
	for (i = 0; i < packed.len; i++) {
		char *cut = malloc(i ? i : 1); /* exactly i bytes, for ASan */
		memcpy(cut, packed.ptr, i);
		assert_null(pk_value_unpack(cut, i));
		free(cut);
	}
	pk_buf_put(&copy, packed.ptr, packed.len);
	pk_buf_putc(&copy, 0);
	assert_null(pk_value_unpack(copy.ptr, copy.len)); /* a byte too many */
	for (i = 0; i < packed.len; i++)
		for (bit = 0; bit < 8; bit++) {
			pk_buf_clear(&copy);
			pk_buf_put(&copy, packed.ptr, packed.len);
			copy.ptr[i] = (char)(copy.ptr[i] ^ (1 << bit));
			pk_value_free(pk_value_unpack(copy.ptr, copy.len)); /* NULL or a tree */
		}
	back = pk_value_unpack(packed.ptr, packed.len);
	assert_same_tree(tree, back);
	pk_value_free(back);
	pk_value_free(tree);
	pk_buf_release(&packed);
	pk_buf_release(&copy);
}

/* ---- fingerprints ----------------------------------------------------- */

static pk_value *fp_tree(const char *title, pk_pos pos)
{
	pk_value *m = pk_value_new_map(pos), *l = pk_value_new_list(pos);
	pk_date d = { 2024, 9, 1 };
	pk_value_list_push(l, pk_value_new_int(42, pos));
	pk_value_list_push(l, pk_value_new_float(1.5, pos));
	pk_value_list_push(l, pk_value_new_date(d, pos));
	pk_value_list_push(l, pk_value_new_bool(true, pos));
	pk_value_list_push(l, pk_value_new_null(pos));
	pk_value_map_set(m, "title", pk_value_new_cstr(title));
	pk_value_map_set(m, "items", l);
	return m;
}

static void fp_of(pk_buf *out, const pk_value *v, const pk_value_fp_memo *memo)
{
	pk_value_fp fp = { out, NULL, 0, memo, 0 };
	pk_buf_clear(out);
	assert_true(pk_value_fingerprint(&fp, v));
}

/* Equal trees (wherever they were written) have one fingerprint; any
 * difference a template could show gives another. */
static void test_fingerprint_content(void **state)
{
	pk_value *a = fp_tree("Наставник", (pk_pos){ 1, 1 });
	pk_value *b = fp_tree("Наставник", (pk_pos){ 7, 3 });
	pk_value *c = fp_tree("Наставники", (pk_pos){ 1, 1 });
	pk_value *d = fp_tree("Наставник", (pk_pos){ 1, 1 });
	pk_value *e = pk_value_new_map((pk_pos){ 0, 0 }), *f = pk_value_new_map((pk_pos){ 0, 0 });
	pk_buf fa = PK_BUF_INIT, fb = PK_BUF_INIT;
	(void)state;

	fp_of(&fa, a, NULL);
	fp_of(&fb, b, NULL);
	assert_true(fa.len == fb.len && !memcmp(fa.ptr, fb.ptr, fa.len));
	fp_of(&fb, c, NULL);
	assert_false(fa.len == fb.len && !memcmp(fa.ptr, fb.ptr, fa.len));
	pk_value_list_at(pk_value_map_get(d, "items"), 0)->as.i = 43;
	fp_of(&fb, d, NULL);
	assert_false(fa.len == fb.len && !memcmp(fa.ptr, fb.ptr, fa.len));
	/* the same bytes split differently between key and value */
	pk_value_map_set(e, "ab", pk_value_new_cstr("c"));
	pk_value_map_set(f, "a", pk_value_new_cstr("bc"));
	fp_of(&fa, e, NULL);
	fp_of(&fb, f, NULL);
	assert_false(fa.len == fb.len && !memcmp(fa.ptr, fb.ptr, fa.len));
	pk_buf_release(&fa);
	pk_buf_release(&fb);
	pk_value_free(a);
	pk_value_free(b);
	pk_value_free(c);
	pk_value_free(d);
	pk_value_free(e);
	pk_value_free(f);
}

/* An object without a fingerprint callback makes the tree have none; a
 * shared value is written as its index, not its content. */
static void test_fingerprint_objects_and_shared(void **state)
{
	static const pk_value_class cls = { "thing", NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	int self = 0;
	pk_value *list = pk_value_new_list((pk_pos){ 0, 0 });
	pk_value *site1 = fp_tree("Сайт", (pk_pos){ 0, 0 });
	pk_value *site2 = fp_tree("Другой сайт", (pk_pos){ 0, 0 });
	pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT;
	const pk_value *shared1[] = { site1 }, *shared2[] = { site2 };
	pk_value_fp fp1 = { &a, shared1, 1, NULL, 0 }, fp2 = { &b, shared2, 1, NULL, 0 };
	(void)state;

	assert_true(pk_value_fp_borrowed(&fp1, site1));
	assert_true(pk_value_fp_borrowed(&fp2, site2));
	assert_true(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len)); /* both "shared #0" */
	pk_buf_clear(&a);
	pk_buf_clear(&b);
	assert_true(pk_value_fingerprint(&fp1, site1)); /* a tree's own: by content */
	assert_true(pk_value_fingerprint(&fp2, site2));
	assert_false(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	pk_value_list_push(list, pk_value_new_object(&cls, &self));
	pk_buf_clear(&a);
	assert_false(pk_value_fingerprint(&fp1, list));
	pk_buf_release(&a);
	pk_buf_release(&b);
	pk_value_free(list);
	pk_value_free(site1);
	pk_value_free(site2);
}

/* A host object showing a borrowed value, as the site's refs do. */
static bool borrow_fingerprint(void *self, pk_value_fp *fp)
{
	return pk_value_fp_borrowed(fp, self);
}

static pk_value *borrow(const pk_value *v)
{
	static const pk_value_class cls = { "borrow", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					    borrow_fingerprint };
	return pk_value_new_object(&cls, (void *)v);
}

/* A remembered value that an object borrows stands as its digest: trees
 * holding equal values at different addresses still have one
 * fingerprint, and a different remembered value gives another. */
static void test_fingerprint_memo(void **state)
{
	pk_value *card1 = fp_tree("Карточка", (pk_pos){ 0, 0 });
	pk_value *card2 = fp_tree("Карточка", (pk_pos){ 5, 5 });
	pk_value *card3 = fp_tree("Другая", (pk_pos){ 0, 0 });
	pk_value *page1 = pk_value_new_map((pk_pos){ 0, 0 }), *page2 = pk_value_new_map((pk_pos){ 0, 0 });
	pk_value_fp ctx = { NULL, NULL, 0, NULL, 0 };
	pk_value_fp_memo *m1 = pk_value_fp_memo_new(), *m2 = pk_value_fp_memo_new();
	pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT, plain = PK_BUF_INIT;
	(void)state;

	pk_value_map_set(page1, "card", borrow(card1));
	pk_value_map_set(page2, "card", borrow(card2));
	assert_true(pk_value_fp_memo_add(m1, &ctx, card1));
	assert_true(pk_value_fp_memo_add(m1, &ctx, card1)); /* once is enough */
	assert_true(pk_value_fp_memo_add(m2, &ctx, card2));
	fp_of(&a, page1, m1);
	fp_of(&b, page2, m2);
	assert_true(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	fp_of(&plain, page1, NULL);
	assert_true(a.len < plain.len);
	pk_value_fp_memo_free(m2);
	m2 = pk_value_fp_memo_new();
	pk_value_map_set(page2, "card", borrow(card3));
	assert_true(pk_value_fp_memo_add(m2, &ctx, card3));
	fp_of(&b, page2, m2);
	assert_false(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	pk_value_fp_memo_free(m1);
	pk_value_fp_memo_free(m2);
	pk_buf_release(&a);
	pk_buf_release(&b);
	pk_buf_release(&plain);
	pk_value_free(page1);
	pk_value_free(page2);
	pk_value_free(card1);
	pk_value_free(card2);
	pk_value_free(card3);
}

/* Fingerprint of a page borrowing every value of vals, with memo m. */
static void fp_of_borrows(pk_buf *out, pk_value **vals, size_t n, const pk_value_fp_memo *m)
{
	pk_value *page = pk_value_new_list((pk_pos){ 0, 0 });
	size_t i;
	for (i = 0; i < n; i++)
		pk_value_list_push(page, borrow(vals[i]));
	fp_of(out, page, m);
	pk_value_free(page);
}

/* Values added in one go give the digests one by one would, on any
 * number of threads; each is described with the memo as it was before,
 * so a value holding another of the same group is described in full. */
static void test_fingerprint_memo_add_all(void **state)
{
	enum { N = 300 };
	pk_value *cards[N + 1], *holder;
	pk_value_fp ctx = { NULL, NULL, 0, NULL, 0 };
	pk_value_fp_memo *one = pk_value_fp_memo_new(), *serial = pk_value_fp_memo_new(),
			 *four = pk_value_fp_memo_new(), *apart = pk_value_fp_memo_new();
	pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT, c = PK_BUF_INIT;
	char title[32];
	size_t i;
	(void)state;

	for (i = 0; i < N; i++) {
		snprintf(title, sizeof(title), "Карточка %zu", i);
		cards[i] = fp_tree(title, (pk_pos){ 0, 0 });
	}
	cards[N] = cards[7]; /* the same value twice */
	pk_value_fp_memo_add_all(one, &ctx, (const pk_value *const *)cards, N + 1, 1);
	pk_value_fp_memo_add_all(four, &ctx, (const pk_value *const *)cards, N + 1, 4);
	for (i = 0; i < N; i++)
		assert_true(pk_value_fp_memo_add(serial, &ctx, cards[i]));
	fp_of_borrows(&a, cards, N, one);
	fp_of_borrows(&b, cards, N, four);
	fp_of_borrows(&c, cards, N, serial);
	assert_true(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	assert_true(a.len == c.len && !memcmp(a.ptr, c.ptr, a.len));

	holder = pk_value_new_list((pk_pos){ 0, 0 });
	pk_value_list_push(holder, borrow(cards[0]));
	pk_value_free(cards[1]);
	cards[1] = holder; /* [cards[0], holder] in one go */
	pk_value_fp_memo_free(one);
	one = pk_value_fp_memo_new();
	pk_value_fp_memo_add_all(one, &ctx, (const pk_value *const *)cards, 2, 4);
	pk_value_fp_memo_add_all(apart, &ctx, (const pk_value *const *)cards, 1, 4);
	pk_value_fp_memo_add_all(apart, &ctx, (const pk_value *const *)&holder, 1, 4);
	fp_of_borrows(&a, &holder, 1, one);
	fp_of_borrows(&b, &holder, 1, apart);
	assert_false(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));

	pk_value_fp_memo_free(one);
	pk_value_fp_memo_free(four);
	pk_value_fp_memo_free(serial);
	pk_value_fp_memo_free(apart);
	pk_buf_release(&a);
	pk_buf_release(&b);
	pk_buf_release(&c);
	for (i = 0; i < N; i++)
		pk_value_free(cards[i]); /* cards[1]: the holder */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constructors),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_map_order_and_duplicates),
		cmocka_unit_test(test_map_hashed),
		cmocka_unit_test(test_map_take_small),
		cmocka_unit_test(test_interned_keys),
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_clone_and_equal),
		cmocka_unit_test(test_equal_scalars),
		cmocka_unit_test(test_float_text),
		cmocka_unit_test(test_float_round_trip),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_object_clone),
		cmocka_unit_test(test_pack_round_trip),
		cmocka_unit_test(test_pack_big_map),
		cmocka_unit_test(test_pack_refuses_objects),
		cmocka_unit_test(test_pack_fields),
		cmocka_unit_test(test_unpack_damaged),
		cmocka_unit_test(test_fingerprint_content),
		cmocka_unit_test(test_fingerprint_objects_and_shared),
		cmocka_unit_test(test_fingerprint_memo),
		cmocka_unit_test(test_fingerprint_memo_add_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
