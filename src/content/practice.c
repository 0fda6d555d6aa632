#include "content/practice.h"
#include "content/bank.h"
#include "content/schema.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const pk_field period_fields[] = {
	{ "start", PK_FIELD_MONTH, true, NULL },
	{ "end", PK_FIELD_MONTH, false, NULL },
};
static const pk_schema period_schema = { "period", period_fields, 2 };

static const pk_field stage_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "dates", PK_FIELD_TEXT, false, NULL },
	{ "text", PK_FIELD_TEXT, false, NULL },
};
static const pk_schema stage_schema = { "stage", stage_fields, 3 };

static const pk_field indicator_fields[] = {
	{ "name", PK_FIELD_TEXT, true, NULL },
	{ "formula", PK_FIELD_TEXT, false, NULL },
	{ "unit", PK_FIELD_TEXT, false, NULL },
	{ "baseline", PK_FIELD_NUMBER, false, NULL },
	{ "target", PK_FIELD_NUMBER, false, NULL },
	{ "actual", PK_FIELD_NUMBER, false, NULL },
	{ "numerator", PK_FIELD_NUMBER, false, NULL },
	{ "denominator", PK_FIELD_NUMBER, false, NULL },
};
static const pk_schema indicator_schema = { "indicator", indicator_fields,
					    PK_ARRAY_SIZE(indicator_fields) };

static const pk_field attachment_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "file", PK_FIELD_TEXT, true, NULL },
};
static const pk_schema attachment_schema = { "attachment", attachment_fields, 2 };

static const pk_field practice_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "slug", PK_FIELD_TEXT, false, NULL },
	{ "date", PK_FIELD_DATE, false, NULL }, /* required unless git knows it */
	{ "updated", PK_FIELD_DATE, false, NULL },
	{ "draft", PK_FIELD_BOOL, false, NULL },
	{ "form", PK_FIELD_TEXT, true, NULL },
	{ "role_model", PK_FIELD_TEXT, false, NULL },
	{ "kinds", PK_FIELD_LIST, false, NULL },
	{ "region", PK_FIELD_CODE, true, NULL },
	{ "municipality", PK_FIELD_TEXT, false, NULL },
	{ "organization", PK_FIELD_TEXT, true, NULL },
	{ "mentors", PK_FIELD_LIST, false, NULL },
	{ "mentees", PK_FIELD_TEXT, false, NULL },
	{ "period", PK_FIELD_MAP, false, &period_schema },
	{ "year", PK_FIELD_INT, false, NULL },
	{ "audience", PK_FIELD_TEXT, false, NULL },
	{ "goal", PK_FIELD_TEXT, true, NULL },
	{ "tasks", PK_FIELD_LIST, false, NULL },
	{ "stages", PK_FIELD_MAPS, false, &stage_schema },
	{ "resources", PK_FIELD_TEXTS, false, NULL },
	{ "results", PK_FIELD_TEXTS, true, NULL },
	{ "indicators", PK_FIELD_MAPS, false, &indicator_schema },
	{ "replicability", PK_FIELD_TEXT, false, NULL },
	{ "awards", PK_FIELD_LIST, false, NULL },
	{ "tags", PK_FIELD_LIST, false, NULL },
	{ "attachments", PK_FIELD_MAPS, false, &attachment_schema },
};
static const pk_schema practice_schema = { "practice", practice_fields,
					   PK_ARRAY_SIZE(practice_fields) };

static double number_of(const pk_value *v)
{
	return v->type == PK_VALUE_INT ? (double)v->as.i : v->as.f;
}

static const pk_value *number_field(const pk_value *map, const char *key)
{
	const pk_value *v = pk_value_map_get(map, key);
	return v && (v->type == PK_VALUE_INT || v->type == PK_VALUE_FLOAT) ? v : NULL;
}

static double ratio_of(const pk_value *indicator, double num, double den)
{
	const char *unit = pk_value_str(pk_value_map_get(indicator, "unit"));
	return unit && !strcmp(unit, "%") ? num / den * 100.0 : num / den;
}

bool pk_practice_indicator_value(const pk_value *indicator, double *out)
{
	const pk_value *actual = number_field(indicator, "actual");
	const pk_value *num = number_field(indicator, "numerator");
	const pk_value *den = number_field(indicator, "denominator");

	if (actual) {
		*out = number_of(actual);
		return true;
	}
	if (num && den && number_of(den) != 0) {
		*out = ratio_of(indicator, number_of(num), number_of(den));
		return true;
	}
	return false;
}

static int check_indicator(const pk_practice *p, const pk_value *ind, pk_diags *diags)
{
	const pk_value *actual = number_field(ind, "actual");
	const pk_value *num = number_field(ind, "numerator");
	const pk_value *den = number_field(ind, "denominator");
	double computed;

	if (!num != !den)
		return pk_diag_error(diags, p->doc.path, (num ? num : den)->pos,
				     "indicator needs both 'numerator' and 'denominator'");
	if (!num)
		return PK_OK;
	if (number_of(den) == 0)
		return pk_diag_error(diags, p->doc.path, den->pos, "indicator denominator is zero");
	computed = ratio_of(ind, number_of(num), number_of(den));
	if (actual && fabs(computed - number_of(actual)) > 0.5) {
		pk_buf a = PK_BUF_INIT;
		int rc;
		pk_value_to_text(&a, actual);
		rc = pk_diag_error(diags, p->doc.path, actual->pos,
				   "indicator values do not add up: actual is %s, but numerator / denominator gives %.1f",
				   a.ptr, computed);
		pk_buf_release(&a);
		return rc;
	}
	return PK_OK;
}

static int check_indicators(const pk_practice *p, pk_diags *diags)
{
	const pk_value *list = pk_value_map_get(p->doc.meta, "indicators");
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < pk_value_len(list); i++) {
		const pk_value *ind = pk_value_list_at(list, i);
		if (ind->type == PK_VALUE_MAP && check_indicator(p, ind, diags) < 0)
			rc = PK_ERROR;
	}
	return rc;
}

static int resolve_kinds(pk_practice *p, const pk_vocab *kinds, pk_diags *diags)
{
	const pk_value *list = pk_value_map_get(p->doc.meta, "kinds");
	size_t i, before = diags->errors;

	for (i = 0; i < pk_value_len(list); i++) {
		const pk_vocab_entry *e = pk_vocab_resolve(kinds, pk_value_list_at(list, i), p->doc.path, diags);
		if (e)
			pk_vec_push(&p->kinds, (void *)e);
	}
	return diags->errors > before ? PK_ERROR : PK_OK;
}

static void collect_tags(pk_practice *p)
{
	const pk_value *list = pk_value_map_get(p->doc.meta, "tags");
	size_t i;
	for (i = 0; i < pk_value_len(list); i++) {
		const char *tag = pk_value_str(pk_value_list_at(list, i));
		if (tag && *tag)
			pk_vec_push(&p->tags, (void *)tag);
	}
}

static bool date_of(const pk_value *v, pk_date *out)
{
	if (!v)
		return false;
	if (v->type == PK_VALUE_DATE) {
		*out = v->as.date;
		return true;
	}
	return v->type == PK_VALUE_STRING && pk_date_parse(v->as.str.ptr, v->as.str.len, out);
}

/* Dates from the history fill what front matter leaves out. */
static int apply_history(pk_practice *p, pk_diags *diags)
{
	pk_file_dates h = { { 0, 0, 0 }, { 0, 0, 0 }, NULL, false };
	const pk_value *date = pk_value_map_get(p->doc.meta, "date");
	const pk_bank_source *origin = p->doc.origin;

	if (origin->dates && origin->dates(&h, p->doc.rel, origin->dates_payload)) {
		p->contributors = h.contributors;
		p->uncommitted = h.uncommitted;
	}
	if (!date_of(date, &p->date))
		p->date = h.created;
	if (!date_of(pk_value_map_get(p->doc.meta, "updated"), &p->updated) &&
	    pk_date_compare(h.updated, p->date) > 0)
		p->updated = h.updated;
	if (!date && !p->date.year)
		return pk_diag_error(diags, p->doc.path, (pk_pos){ 1, 1 },
				     "missing required field 'date' in practice (it can only be left out in a git repository)");
	return PK_OK;
}

static int check_dates(pk_practice *p, const pk_date *today, pk_diags *diags)
{
	const pk_value *period = pk_value_map_get(p->doc.meta, "period");
	const pk_value *year = pk_value_map_get(p->doc.meta, "year");
	pk_date start, end;
	int rc = PK_OK;

	if (pk_value_map_get(p->doc.meta, "date") && pk_date_compare(p->date, *today) > 0)
		rc = pk_diag_error(diags, p->doc.path, pk_doc_pos(&p->doc, "date"),
				   "date '%04d-%02d-%02d' is in the future", p->date.year,
				   p->date.month, p->date.day);
	p->year = p->date.year;
	if (year && year->type == PK_VALUE_INT)
		p->year = (int)year->as.i;
	if (date_of(pk_value_map_get(period, "start"), &start)) {
		p->year = start.year;
		if (date_of(pk_value_map_get(period, "end"), &end) && pk_date_compare(end, start) < 0)
			rc = pk_diag_error(diags, p->doc.path, pk_value_map_get(period, "end")->pos,
					   "period ends before it starts");
	}
	if (p->year < 1900 || p->year > 2999)
		p->year = p->date.year;
	return rc;
}

/* The fields the loader keeps of a practice's front matter as a tree
 * (p->title and p->tags point into the first two; the bank — mentor
 * links, attachments, dates — and the site's cards read the rest), then
 * the ones its record keeps besides, for resolve_fields. */
static const char *const record_fields[] = {
	"title", "tags", "mentors", "attachments", "date", "updated", "period", "year",
	"goal", "organization",
	"draft", "form", "region", "kinds", "slug",
};
#define KEPT_FIELDS 10

/* The practice's own fields, from its front matter (or its record). */
static int resolve_fields(pk_practice *p, pk_bank *bank, pk_diags *diags)
{
	const pk_value *draft;
	int rc = PK_OK;

	p->title = pk_doc_text(&p->doc, "title");
	draft = pk_value_map_get(p->doc.meta, "draft");
	p->draft = draft && draft->type == PK_VALUE_BOOL && draft->as.b;
	p->form = pk_vocab_resolve(&bank->forms, pk_value_map_get(p->doc.meta, "form"), p->doc.path, diags);
	p->region = pk_vocab_resolve(&bank->regions, pk_value_map_get(p->doc.meta, "region"), p->doc.path, diags);
	if ((pk_value_map_get(p->doc.meta, "form") && !p->form) ||
	    (pk_value_map_get(p->doc.meta, "region") && !p->region))
		rc = PK_ERROR;
	if (resolve_kinds(p, &bank->kinds, diags) < 0)
		rc = PK_ERROR;
	collect_tags(p);
	return rc;
}

/* A practice loaded from its record: the checks found nothing last time,
 * and nothing they read has changed (the record's key says so). Its
 * fields are resolved again, then only the kept ones stay. */
static int load_from_record(pk_practice *p, pk_bank *bank, pk_diags *diags)
{
	int rc = resolve_fields(p, bank, diags);
	size_t i;

	for (i = KEPT_FIELDS; i < PK_ARRAY_SIZE(record_fields); i++)
		pk_value_free(pk_value_map_take(p->doc.meta, record_fields[i]));
	return rc;
}

int pk_practice_load(pk_practice *p, pk_bank *bank, const pk_bank_source *origin, const char *rel,
		const pk_slice *text, pk_diags *diags)
{
	pk_fmcache *cache = bank->opts.fm_cache;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((bank->opts.flags & PK_BANK_PACK_META) && origin->record_context)
		rc = pk_doc_load_or_record(&p->doc, origin, rel, text, cache, origin->record_context,
					   diags);
	else
		rc = pk_doc_load(&p->doc, origin, rel, text, cache, diags);
	if (rc < 0 && !p->doc.meta)
		return rc;
	if (p->doc.from_record)
		return load_from_record(p, bank, diags) < 0 ? PK_ERROR : rc;
	if (pk_schema_check(&practice_schema, p->doc.meta, p->doc.path, (pk_pos){ 1, 1 }, diags) < 0)
		rc = PK_ERROR;
	/* Each check runs whatever the others found: every problem is reported. */
	if (resolve_fields(p, bank, diags) < 0)
		rc = PK_ERROR;
	if (check_indicators(p, diags) < 0)
		rc = PK_ERROR;
	return rc;
}

int pk_practice_finish(pk_practice *p, const pk_bank *bank, pk_diags *diags)
{
	int rc = PK_OK;
	if (apply_history(p, diags) < 0)
		rc = PK_ERROR;
	if (check_dates(p, &bank->opts.today, diags) < 0)
		rc = PK_ERROR;
	return rc;
}

/* Packs the record of a practice whose load reported nothing: the next
 * build that finds the file unchanged, in the same context, loads it
 * from there without checking it again. */
static void make_record(pk_practice *p)
{
	pk_doc *doc = &p->doc;
	pk_fmcache_entry *r = &doc->record;

	if (doc->from_record || doc->packed || !doc->meta || !doc->fm_entry.cacheable ||
	    !doc->fm_entry.has_file || !doc->origin->record_context)
		return;
	pk_doc_record_key(r->key, doc->fm_entry.key, doc->origin->record_context);
	r->cacheable = pk_value_pack_fields(&r->bytes, doc->meta, record_fields,
					    PK_ARRAY_SIZE(record_fields));
}

void pk_practice_pack_meta(pk_practice *p, bool clean)
{
	if (clean)
		make_record(p);
	pk_doc_pack_meta(&p->doc, record_fields, KEPT_FIELDS);
}

void pk_practice_release(pk_practice *p)
{
	pk_doc_release(&p->doc);
	pk_vec_release(&p->kinds);
	pk_vec_release(&p->mentors);
	pk_vec_release(&p->tags);
}

void pk_practice_intern_keys(void)
{
	pk_schema_intern_keys(&practice_schema);
}
