/*
 * practice.h: a practice case (content/practices/<slug>.md): its front
 * matter checked against the practice schema and its vocabulary values
 * resolved. References to mentors are resolved later by the bank.
 */
#ifndef PK_CONTENT_PRACTICE_H
#define PK_CONTENT_PRACTICE_H

#include "content/doc.h"
#include "content/vocab.h"
#include "core/vec.h"

typedef struct pk_bank pk_bank;

typedef struct {
	pk_doc doc;
	const char *title;
	pk_date date;                   /* publication: 'date', else the history's */
	pk_date updated;                /* 'updated', else the history's; year 0 if none */
	const pk_vec *contributors;     /* from the history, or NULL */
	bool uncommitted;               /* the file has changes not yet committed */
	bool draft;
	const pk_vocab_entry *form;
	const pk_vocab_entry *region;
	pk_vec kinds;                   /* const pk_vocab_entry * */
	pk_vec mentors;                 /* pk_mentor *, set by the bank */
	pk_vec tags;                    /* const char *, borrowed from meta */
	int year;                       /* period start, 'year', or the date's */
	void *site_data;                /* owned by the site while it builds */
} pk_practice;

/* Lets parsed practices share their field names (before any is loaded). */
void pk_practice_intern_keys(void);
/* Reads (from text, or from origin's source when text is NULL), checks
 * and resolves one practice; every problem is reported. (A file found as
 * the last build read it, whose record that build kept, is loaded from
 * the record instead: see pk_practice_pack_meta.) Returns PK_ERROR
 * when the file has errors (the practice is still filled as far as
 * possible, so later checks can go on). Safe on worker threads. Dates are
 * set by pk_practice_finish. */
int pk_practice_load(pk_practice *out, pk_bank *bank, const pk_bank_source *origin, const char *rel,
		const pk_slice *text, pk_diags *diags);
/* Dates from the history and the date checks; on the loading thread,
 * since the history may read the source. */
int pk_practice_finish(pk_practice *p, const pk_bank *bank, pk_diags *diags);
void pk_practice_release(pk_practice *p);
/* Packs the front matter (pk_doc_pack_meta) right after loading, keeping
 * as a tree the fields that the practice points into and that the bank
 * and the site's cards read; the page's worker unpacks the rest. clean:
 * the load reported nothing, so with a cache the practice also gets its
 * record (doc.h), which spares the next build its checks. */
void pk_practice_pack_meta(pk_practice *p, bool clean);
/* Computes an indicator's actual value: 'actual', or numerator /
 * denominator (× 100 when unit is "%"). Returns false when neither. */
bool pk_practice_indicator_value(const pk_value *indicator, double *out);

#endif
