/*
 * mentor.h: a mentor profile (content/mentors/<slug>.md) and the consent
 * rules of 152-ФЗ.
 *
 * A profile is published only when it has a valid consent block, is not
 * withdrawn, and the consent lists 'name'. Even then only the fields the
 * consent lists may appear anywhere in the output: every reader of a
 * mentor's data goes through pk_mentor_field(), which returns NULL for a
 * field without consent.
 */
#ifndef PK_CONTENT_MENTOR_H
#define PK_CONTENT_MENTOR_H

#include "content/doc.h"
#include "content/vocab.h"
#include "core/vec.h"

typedef struct pk_bank pk_bank;

typedef struct {
	pk_doc doc;
	const char *name;         /* ФИО as written (for messages) */
	bool published;           /* consent valid, not withdrawn, name consented */
	const pk_value *publish;  /* consent.publish list */
	const pk_vocab_entry *region;
	pk_vec forms;             /* const pk_vocab_entry * */
	pk_vec practices;         /* published pk_practice * they took part in */
	void *site_data;          /* owned by the site while it builds */
} pk_mentor;

/* Lets parsed mentor profiles share their field names (before any is loaded). */
void pk_mentor_intern_keys(void);
int pk_mentor_load(pk_mentor *out, pk_bank *bank, const pk_bank_source *origin, const char *rel,
		const pk_slice *text, pk_diags *diags);
void pk_mentor_release(pk_mentor *m);
/* True when the mentor is published and consented to publish field. */
bool pk_mentor_consents(const pk_mentor *m, const char *field);
/* The front-matter value of field when consented, else NULL. The body is
 * consented as "bio". */
const pk_value *pk_mentor_field(const pk_mentor *m, const char *field);
/* Surname first, for sorting «Наши наставники»: "Иванова Анна Петровна"
 * is already in that order; the name is used as written. */
const char *pk_mentor_sort_name(const pk_mentor *m);

#endif
