#include "content/schema.h"
#include "text/text.h"

#include <string.h>

static bool is_text(const pk_value *v)
{
	return v->type == PK_VALUE_STRING || v->type == PK_VALUE_INT || v->type == PK_VALUE_FLOAT;
}

static bool is_string_list(const pk_value *v)
{
	size_t i;
	if (v->type != PK_VALUE_LIST)
		return false;
	for (i = 0; i < v->as.list.len; i++)
		if (!is_text(v->as.list.items[i]))
			return false;
	return true;
}

static bool is_full_date(const pk_value *v)
{
	pk_date d;
	if (v->type == PK_VALUE_DATE)
		return v->as.date.day != 0;
	return v->type == PK_VALUE_STRING && pk_date_parse(v->as.str.ptr, v->as.str.len, &d) &&
	       d.day != 0;
}

static bool is_month(const pk_value *v)
{
	pk_date d;
	return v->type == PK_VALUE_DATE ||
	       (v->type == PK_VALUE_STRING && pk_date_parse(v->as.str.ptr, v->as.str.len, &d));
}

static const char *expected_name(pk_field_type type)
{
	switch (type) {
	case PK_FIELD_TEXT: return "text";
	case PK_FIELD_TEXTS: return "text or a list of text";
	case PK_FIELD_LIST: return "a list of text";
	case PK_FIELD_DATE: return "a date like 2024-09-01";
	case PK_FIELD_MONTH: return "a month like 2024-09";
	case PK_FIELD_INT: return "a whole number";
	case PK_FIELD_NUMBER: return "a number";
	case PK_FIELD_BOOL: return "true or false";
	case PK_FIELD_CODE: return "a code or a name";
	case PK_FIELD_MAP: return "a map of fields";
	case PK_FIELD_MAPS: return "a list of maps";
	case PK_FIELD_ANY: return "anything";
	}
	return "?";
}

static bool type_ok(pk_field_type type, const pk_value *v)
{
	switch (type) {
	case PK_FIELD_TEXT: return is_text(v);
	case PK_FIELD_TEXTS: return is_text(v) || is_string_list(v);
	case PK_FIELD_LIST: return is_string_list(v);
	case PK_FIELD_DATE: return is_full_date(v);
	case PK_FIELD_MONTH: return is_month(v);
	case PK_FIELD_INT: return v->type == PK_VALUE_INT;
	case PK_FIELD_NUMBER: return v->type == PK_VALUE_INT || v->type == PK_VALUE_FLOAT;
	case PK_FIELD_BOOL: return v->type == PK_VALUE_BOOL;
	case PK_FIELD_CODE: return v->type == PK_VALUE_STRING || v->type == PK_VALUE_INT;
	case PK_FIELD_MAP: return v->type == PK_VALUE_MAP;
	case PK_FIELD_MAPS: return v->type == PK_VALUE_LIST;
	case PK_FIELD_ANY: return true;
	}
	return false;
}

/* A value's description in messages: its type, or the text of a scalar. */
static void describe(pk_buf *out, const pk_value *v)
{
	if (v->type == PK_VALUE_STRING || v->type == PK_VALUE_INT || v->type == PK_VALUE_DATE) {
		pk_buf_puts(out, "'");
		pk_value_to_text(out, v);
		pk_buf_puts(out, "'");
	} else {
		pk_buf_puts(out, pk_value_type_name(v->type));
	}
}

static const pk_field *find_field(const pk_schema *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->len; i++)
		if (!strcmp(s->fields[i].name, name))
			return &s->fields[i];
	return NULL;
}

static void warn_unknown(const pk_schema *s, const pk_map_entry *e, const char *path,
			 pk_diags *diags)
{
	const char *names[64];
	const char *best;
	size_t i, n = s->len < 64 ? s->len : 64;

	for (i = 0; i < n; i++)
		names[i] = s->fields[i].name;
	best = pk_text_suggest(e->key, e->key_len, names, n);
	if (best)
		pk_diag_warning(diags, path, e->key_pos, "unknown field '%s' in %s (did you mean '%s'?)",
				e->key, s->what, best);
	else
		pk_diag_warning(diags, path, e->key_pos, "unknown field '%s' in %s", e->key, s->what);
}

static int check_map(const pk_schema *s, const pk_value *map, const char *path,
		     pk_pos missing_pos, int depth, pk_diags *diags);

static int check_nested(const pk_field *f, const pk_value *v, const char *path, int depth,
			pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	if (f->type == PK_FIELD_MAP)
		return check_map(f->sub, v, path, v->pos, depth + 1, diags);
	for (i = 0; i < v->as.list.len; i++) {
		const pk_value *item = v->as.list.items[i];
		if (item->type != PK_VALUE_MAP) {
			pk_buf got = PK_BUF_INIT;
			describe(&got, item);
			rc = pk_diag_error(diags, path, item->pos, "each item of '%s' must be a %s with fields, not %s",
					   f->name, f->sub->what, got.ptr);
			pk_buf_release(&got);
		} else if (check_map(f->sub, item, path, item->pos, depth + 1, diags) < 0) {
			rc = PK_ERROR;
		}
	}
	return rc;
}

static int check_entry(const pk_schema *s, const pk_map_entry *e, const char *path, int depth,
		       pk_diags *diags)
{
	const pk_field *f = find_field(s, e->key);
	pk_buf got = PK_BUF_INIT;
	int rc = PK_OK;

	if (!f) {
		warn_unknown(s, e, path, diags);
		return PK_OK;
	}
	if (e->value->type == PK_VALUE_NULL && !f->required)
		return PK_OK;
	if (!type_ok(f->type, e->value)) {
		describe(&got, e->value);
		rc = pk_diag_error(diags, path, e->value->pos, "field '%s' must be %s, not %s", f->name,
				   expected_name(f->type), got.ptr);
		pk_buf_release(&got);
		return rc;
	}
	if (f->sub && depth < 8)
		rc = check_nested(f, e->value, path, depth, diags);
	return rc;
}

static int check_map(const pk_schema *s, const pk_value *map, const char *path,
		     pk_pos missing_pos, int depth, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < s->len; i++) {
		const pk_value *v = pk_value_map_get(map, s->fields[i].name);
		if (s->fields[i].required && (!v || v->type == PK_VALUE_NULL ||
					      (v->type == PK_VALUE_STRING && v->as.str.len == 0)))
			rc = pk_diag_error(diags, path, missing_pos, "missing required field '%s' in %s",
					   s->fields[i].name, s->what);
	}
	for (i = 0; i < map->as.map.len; i++)
		if (check_entry(s, &map->as.map.entries[i], path, depth, diags) < 0)
			rc = PK_ERROR;
	return rc;
}

int pk_schema_check(const pk_schema *schema, const pk_value *map, const char *path,
		    pk_pos missing_pos, pk_diags *diags)
{
	return check_map(schema, map, path, missing_pos, 0, diags);
}

bool pk_schema_text(pk_buf *out, const pk_value *v)
{
	if (!v || !(is_text(v) || v->type == PK_VALUE_DATE))
		return false;
	pk_value_to_text(out, v);
	return true;
}

void pk_schema_intern_keys(const pk_schema *schema)
{
	size_t i;

	for (i = 0; i < schema->len; i++) {
		const pk_field *f = &schema->fields[i];
		pk_value_intern_keys(&f->name, 1);
		if (f->sub)
			pk_schema_intern_keys(f->sub);
	}
}
