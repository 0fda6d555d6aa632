/*
 * vocab.h: controlled vocabularies: forms of mentoring, kinds of
 * mentoring and Russia's federal subjects (regions).
 *
 * The built-in lists are compiled into the binary (src/content/vocab/);
 * a bank extends or overrides them with data/<name>.yaml in the same
 * format: an entry with a known id replaces it, a new id is added.
 * Entries are found by id or by title/alias, ignoring case, «ё»/«е» and
 * the kind of spaced dash (« — », « – », « - »). A bare hyphen between
 * words is not a spaced dash: "учитель-учитель" is not «учитель — учитель»
 * but a misspelt id, reported with 'uchitel-uchitel' as the hint.
 */
#ifndef PK_CONTENT_VOCAB_H
#define PK_CONTENT_VOCAB_H

#include "core/diag.h"
#include "core/strmap.h"
#include "source/source.h"
#include "value/value.h"

typedef struct {
	const char *id;          /* "uchitel-uchitel", or a region's code "70" */
	const char *title;       /* «учитель — учитель» */
	const char *short_title; /* regions: «Томская»; others: the title */
	const pk_value *data;    /* the whole YAML entry (goal, role_models, …) */
	size_t index;            /* position in the vocabulary, for stable order */
} pk_vocab_entry;

typedef struct {
	const char *name;        /* "forms", "kinds", "regions" */
	const char *what;        /* "form", "kind", "region": for messages */
	pk_vocab_entry *items;
	size_t len, cap;
	pk_strmap by_key;        /* folded id, title or alias → entry index + 1 */
	pk_strmap by_spelling;   /* the same as spelt → what by_key gives for it */
	pk_value *docs;          /* the loaded YAML documents (owned) */
} pk_vocab;

/* Loads the built-in vocabulary name ("forms", "kinds", "regions") and,
 * if src is not NULL, the bank's data/<name>.yaml on top of it. */
int pk_vocab_load(pk_vocab *out, const char *name, const char *what, pk_source *src,
		  pk_diags *diags);
void pk_vocab_release(pk_vocab *v);
/* The entry matching s by id, title or alias; NULL if none. */
const pk_vocab_entry *pk_vocab_find(const pk_vocab *v, const char *s, size_t len);
/* The id of the entry closest to s, for «did you mean»; NULL if none is close. */
const char *pk_vocab_suggest(const pk_vocab *v, const char *s, size_t len);
/* The entry with exactly this id; NULL if none. */
const pk_vocab_entry *pk_vocab_get(const pk_vocab *v, const char *id);

/* Resolves a field's value (a string, or an integer code) to an entry.
 * An unknown value is an error at the value's position, with a «did you
 * mean» suggestion when one is close: "unknown form 'x' (did you mean 'y'?)".
 * NULL v (field absent) returns NULL silently. */
const pk_vocab_entry *pk_vocab_resolve(const pk_vocab *vocab, const pk_value *v,
				       const char *path, pk_diags *diags);

#endif
