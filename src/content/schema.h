/*
 * schema.h: declarative checks of front-matter maps. A schema lists the
 * fields a map may have, their types and whether they are required; one
 * call reports every problem of a map (and of nested maps) as diagnostics:
 * missing required fields and wrong types are errors, unknown fields are
 * warnings with a «did you mean» suggestion.
 */
#ifndef PK_CONTENT_SCHEMA_H
#define PK_CONTENT_SCHEMA_H

#include "core/diag.h"
#include "value/value.h"

typedef enum {
	PK_FIELD_TEXT,      /* a string (numbers are accepted as text) */
	PK_FIELD_TEXTS,     /* a string or a list of strings */
	PK_FIELD_LIST,      /* a list of strings */
	PK_FIELD_DATE,      /* a full date: 2024-09-01 */
	PK_FIELD_MONTH,     /* a month or a date: 2024-09 or 2024-09-01 */
	PK_FIELD_INT,       /* an integer */
	PK_FIELD_NUMBER,    /* an integer or a float */
	PK_FIELD_BOOL,      /* true or false */
	PK_FIELD_CODE,      /* a string or an integer (a region code: "70" or 70) */
	PK_FIELD_MAP,       /* a map checked against sub */
	PK_FIELD_MAPS,      /* a list of maps, each checked against sub */
	PK_FIELD_ANY,       /* anything; checked elsewhere */
} pk_field_type;

typedef struct pk_schema pk_schema;

typedef struct {
	const char *name;
	pk_field_type type;
	bool required;
	const pk_schema *sub; /* for PK_FIELD_MAP and PK_FIELD_MAPS */
} pk_field;

struct pk_schema {
	const char *what;     /* "practice", "indicator": used in messages */
	const pk_field *fields;
	size_t len;
};

/*
 * Checks map against schema. missing_pos is where to report missing
 * required fields of the top-level map (e.g. the front matter's first
 * line). Returns 0 when there is no error (warnings allowed), PK_ERROR
 * otherwise.
 */
int pk_schema_check(const pk_schema *schema, const pk_value *map, const char *path,
		    pk_pos missing_pos, pk_diags *diags);

/* Lets value maps share the field names of schema and of its sub-schemas
 * (see pk_value_intern_keys): call before documents are parsed. */
void pk_schema_intern_keys(const pk_schema *schema);

/* The text of a PK_FIELD_TEXT or PK_FIELD_CODE value (numbers printed),
 * appended to out; false if v is not such a scalar. */
bool pk_schema_text(pk_buf *out, const pk_value *v);

#endif
