/* The data templates see. Every documented key is present (null when the
 * content has no value), so strict templates can test any of them. */
#include "site/site_internal.h"
#include "site/objects.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOPOS ((pk_pos){ 0, 0 })
#define SUMMARY_CHARS 240

static void put(pk_value *map, const char *key, pk_value *v)
{
	pk_value_map_set(map, key, v ? v : pk_value_new_null(NOPOS));
}

static pk_value *str(const char *s)
{
	return s ? pk_value_new_cstr(s) : pk_value_new_null(NOPOS);
}

static pk_value *buf_value(pk_buf *b)
{
	pk_value *v = pk_value_new_string(b->ptr, b->len, NOPOS);
	pk_buf_release(b);
	return v;
}

/* A copy of a front-matter value, or null. */
static pk_value *copy(const pk_value *v)
{
	return v ? pk_value_clone(v) : pk_value_new_null(NOPOS);
}

/* A list of strings from a string or a list (results: "text" or [..]). */
static pk_value *text_list(const pk_value *v)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	if (!v)
		return list;
	if (v->type != PK_VALUE_LIST) {
		pk_buf b = PK_BUF_INIT;
		pk_value_to_text(&b, v);
		if (b.len)
			pk_value_list_push(list, buf_value(&b));
		pk_buf_release(&b);
		return list;
	}
	for (i = 0; i < v->as.list.len; i++) {
		pk_buf b = PK_BUF_INIT;
		pk_value_to_text(&b, v->as.list.items[i]);
		pk_value_list_push(list, buf_value(&b));
	}
	return list;
}

/* The items of a list of text joined into one string. */
static pk_value *joined(const pk_value *list, const char *sep)
{
	pk_buf b = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < pk_value_len(list); i++) {
		if (i)
			pk_buf_puts(&b, sep);
		pk_value_to_text(&b, pk_value_list_at(list, i));
	}
	return buf_value(&b);
}

void pk_site__add_has_flags(pk_value *map)
{
	size_t i, n = map->as.map.len;
	for (i = 0; i < n; i++) {
		const pk_map_entry *e = &map->as.map.entries[i];
		const pk_value *v = e->value;
		size_t len;
		pk_buf key = PK_BUF_INIT;
		if (v->type == PK_VALUE_LIST)
			len = v->as.list.len;
		else if (v->type == PK_VALUE_OBJECT && v->as.obj.cls->len)
			len = v->as.obj.cls->len(v->as.obj.self);
		else
			continue;
		pk_buf_put(&key, "has_", 4);
		pk_buf_put(&key, e->key, e->key_len);
		pk_value_map_set(map, key.ptr, pk_value_new_bool(len > 0, NOPOS));
		pk_buf_release(&key);
	}
}

void pk_site__href(pk_buf *out, const pk_site *site, const char *path)
{
	pk_buf_puts(out, site->cfg->base_path);
	pk_buf_puts(out, path);
}

void pk_site__permalink(pk_buf *out, const pk_site *site, const char *path)
{
	pk_buf_puts(out, site->cfg->base_url);
	pk_buf_puts(out, path);
}

pk_value *pk_site__url_value(const pk_site *site, const char *path)
{
	/* pk_site__href in one allocation: one for every card, crumb, page */
	const char *base = site->cfg->base_path;
	return pk_value_new_concat(base, strlen(base), path, strlen(path), NOPOS);
}

static const pk_value *string_value(const pk_site *site, const char *dotted)
{
	const pk_value *v = site->strings;
	while (v && *dotted) {
		const char *dot = strchr(dotted, '.');
		size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		v = pk_value_map_getn(v, dotted, n);
		dotted += n + (dot ? 1 : 0);
	}
	return v;
}

const char *pk_site__string(const pk_site *site, const char *dotted, const char *fallback)
{
	const char *s = pk_value_str(string_value(site, dotted));
	return s ? s : fallback;
}

static const char *month_name(const pk_site *site, const char *list, int month)
{
	const char *s = pk_value_str(pk_value_list_at(string_value(site, list), (size_t)month - 1));
	return s ? s : "";
}

void pk_site__date_text(pk_buf *out, const pk_site *site, pk_date d)
{
	bool ru = !strcmp(site->cfg->language, "ru");

	/* (one per card and page: no printf) */
	if (!d.day) {
		pk_buf_puts(out, month_name(site, "date.months", d.month));
		pk_buf_putc(out, ' ');
		pk_buf_put_int(out, d.year, 0);
	} else if (ru) {
		pk_buf_put_int(out, d.day, 0);
		pk_buf_putc(out, ' ');
		pk_buf_puts(out, month_name(site, "date.months_genitive", d.month));
		pk_buf_putc(out, ' ');
		pk_buf_put_int(out, d.year, 0);
		pk_buf_puts(out, pk_site__string(site, "date.year_suffix", ""));
	} else {
		pk_buf_puts(out, month_name(site, "date.months", d.month));
		pk_buf_putc(out, ' ');
		pk_buf_put_int(out, d.day, 0);
		pk_buf_puts(out, ", ");
		pk_buf_put_int(out, d.year, 0);
	}
}

void pk_site__iso_date(pk_buf *out, pk_date d)
{
	pk_buf_put_int(out, d.year, 4);
	pk_buf_putc(out, '-');
	pk_buf_put_int(out, d.month, 2);
	pk_buf_putc(out, '-');
	pk_buf_put_int(out, d.day ? d.day : 1, 2);
}

pk_value *pk_site__date_value(const pk_site *site, pk_date d)
{
	pk_value *map;
	pk_buf b = PK_BUF_INIT;

	if (!d.year)
		return pk_value_new_null(NOPOS);
	map = pk_value_new_map(NOPOS);
	pk_site__iso_date(&b, d);
	put(map, "iso", pk_value_new_string(b.ptr, b.len, NOPOS));
	pk_buf_clear(&b); /* (one buffer for both: a date on every card) */
	pk_site__date_text(&b, site, d);
	put(map, "text", buf_value(&b));
	return map;
}

pk_value *pk_site__count_text(const pk_site *site, const char *plural_key, size_t n)
{
	pk_buf key = PK_BUF_INIT, b = PK_BUF_INIT;
	const pk_value *forms;
	const char *word;

	pk_buf_puts(&key, "plural.");
	pk_buf_puts(&key, plural_key);
	forms = string_value(site, key.ptr);
	word = pk_value_str(pk_value_list_at(forms, (size_t)pk_text_plural(site->cfg->language, (long)n)));
	pk_buf_put_uint(&b, n, 0);
	pk_buf_putc(&b, ' ');
	pk_buf_puts(&b, word ? word : "");
	pk_buf_release(&key);
	return buf_value(&b);
}

/* {id, title, url} of a vocabulary entry under folder ("forms"); regions
 * also have their code and short title. */
static pk_value *entry_map(const pk_site *site, const char *folder, const pk_vocab_entry *e)
{
	pk_value *map = pk_value_new_map(NOPOS);
	pk_buf url = PK_BUF_INIT;

	put(map, "id", str(e->id));
	put(map, "title", str(e->title));
	pk_buf_puts(&url, folder);
	pk_buf_putc(&url, '/');
	pk_buf_puts(&url, e->id);
	pk_buf_putc(&url, '/');
	put(map, "url", pk_site__url_value(site, url.ptr));
	pk_buf_release(&url);
	if (!strcmp(folder, "regions")) {
		put(map, "code", str(e->id));
		put(map, "short_title", str(e->short_title));
	}
	return map;
}

static void entry_key(pk_buf *out, const char *folder, const pk_vocab_entry *e)
{
	pk_buf_puts(out, folder);
	pk_buf_putc(out, '/');
	pk_buf_puts(out, e->id);
}

static void build_refs_of(pk_site *site, const char *folder, const pk_vocab *vocab)
{
	pk_buf key = PK_BUF_INIT;
	size_t i;

	for (i = 0; i < vocab->len; i++) {
		pk_buf_clear(&key);
		entry_key(&key, folder, &vocab->items[i]);
		pk_value_free(pk_strmap_set(&site->entry_refs, key.ptr, key.len,
					    entry_map(site, folder, &vocab->items[i])));
	}
	pk_buf_release(&key);
}

void pk_site__build_entry_refs(pk_site *site)
{
	build_refs_of(site, "forms", &site->bank->forms);
	build_refs_of(site, "kinds", &site->bank->kinds);
	build_refs_of(site, "regions", &site->bank->regions);
}

void pk_site__free_entry_refs(pk_site *site)
{
	size_t i;
	for (i = 0; i < site->entry_refs.len; i++)
		pk_value_free(site->entry_refs.entries[i].value);
	pk_strmap_release(&site->entry_refs);
}

/* A ref to the shared map of the entry (see pk_site__build_entry_refs). */
static pk_value *entry_ref(const pk_site *site, const char *folder, const pk_vocab_entry *e)
{
	pk_buf key = PK_BUF_INIT;
	const pk_value *map;

	entry_key(&key, folder, e);
	map = pk_strmap_get(&site->entry_refs, key.ptr, key.len);
	pk_buf_release(&key);
	return map ? pk_site_ref_new(map) : entry_map(site, folder, e);
}

static pk_value *region_ref(const pk_site *site, const pk_vocab_entry *e)
{
	return e ? entry_ref(site, "regions", e) : pk_value_new_null(NOPOS);
}

static pk_value *entry_refs(const pk_site *site, const char *folder, const pk_vec *entries)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < entries->len; i++)
		pk_value_list_push(list, entry_ref(site, folder, entries->items[i]));
	return list;
}

/* The first SUMMARY_CHARS characters of text, cut at a word, with "…". */
static pk_value *summary_of(const char *text)
{
	size_t i, chars = 0, cut = 0;

	/* (text may be a whole body's plain text: only its start is read) */
	for (i = 0; text[i]; i++) {
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == SUMMARY_CHARS)
			break;
		if (text[i] == ' ')
			cut = i;
	}
	if (!text[i])
		return pk_value_new_string(text, i, NOPOS);
	return pk_value_new_concat(text, cut ? cut : i, "…", strlen("…"), NOPOS);
}

static pk_value *tag_refs(const pk_site *site, const pk_practice *p)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < p->tags.len; i++) {
		const char *tag = p->tags.items[i], *slug = pk_site__tag_slug(site, tag);
		pk_value *map = pk_value_new_map(NOPOS);
		pk_buf url = PK_BUF_INIT;
		pk_buf_puts(&url, "tags/");
		PK_ASSERT(slug); /* every published practice's tags were seen when linking */
		pk_buf_puts(&url, slug);
		pk_buf_putc(&url, '/');
		put(map, "title", str(p->tags.items[i]));
		put(map, "url", pk_site__url_value(site, url.ptr));
		pk_buf_release(&url);
		pk_value_list_push(list, map);
	}
	return list;
}

static pk_value *build_card(pk_site *site, const pk_practice *p, const pk_site_practice *sp)
{
	pk_value *card = pk_value_new_map(NOPOS);
	const char *goal = pk_doc_text(&p->doc, "goal");

	put(card, "slug", str(p->doc.slug));
	put(card, "title", str(p->title));
	put(card, "url", pk_site__url_value(site, sp->url_path));
	put(card, "date", pk_site__date_value(site, p->date));
	put(card, "form", p->form ? entry_ref(site, "forms", p->form) : NULL);
	put(card, "region", region_ref(site, p->region));
	put(card, "organization", copy(pk_value_map_get(p->doc.meta, "organization")));
	put(card, "year", pk_value_new_int(p->year, NOPOS));
	put(card, "summary", summary_of(goal && *goal ? goal : sp->plain ? sp->plain : ""));
	put(card, "kinds", entry_refs(site, "kinds", &p->kinds));
	return card;
}

/* What a practice page shows of one of its mentors. */
static pk_value *mentor_ref(const pk_site *site, const pk_mentor *m)
{
	const pk_site_mentor *sm = m->site_data;
	pk_value *map = pk_value_new_map(NOPOS);
	put(map, "slug", str(m->doc.slug));
	put(map, "name", copy(pk_mentor_field(m, "name")));
	put(map, "url", pk_site__url_value(site, sm->url_path));
	put(map, "position", copy(pk_mentor_field(m, "position")));
	return map;
}

/* Refs to each mentor's shared map, made once when linking. */
static pk_value *mentor_refs(const pk_practice *p)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < p->mentors.len; i++) {
		const pk_site_mentor *sm = ((const pk_mentor *)p->mentors.items[i])->site_data;
		pk_value_list_push(list, pk_site_ref_new(sm->ref));
	}
	return list;
}

static bool month_of(const pk_value *v, pk_date *out)
{
	if (v && v->type == PK_VALUE_DATE) {
		*out = v->as.date;
		return true;
	}
	return v && v->type == PK_VALUE_STRING && pk_date_parse(v->as.str.ptr, v->as.str.len, out);
}

static pk_value *period_value(const pk_site *site, const pk_value *period)
{
	pk_date start, end;
	pk_value *map;
	pk_buf text = PK_BUF_INIT;

	if (!month_of(pk_value_map_get(period, "start"), &start))
		return pk_value_new_null(NOPOS);
	map = pk_value_new_map(NOPOS);
	start.day = 0;
	pk_site__date_text(&text, site, start);
	put(map, "start", copy(pk_value_map_get(period, "start")));
	put(map, "end", copy(pk_value_map_get(period, "end")));
	if (month_of(pk_value_map_get(period, "end"), &end)) {
		end.day = 0;
		pk_buf_puts(&text, " — ");
		pk_site__date_text(&text, site, end);
	}
	put(map, "text", buf_value(&text));
	return map;
}

/* "75 %" or "12,5 чел.": the number with a decimal comma in Russian. */
static void number_text(pk_buf *out, const pk_site *site, double v, const char *unit)
{
	size_t start = out->len, i;
	pk_value *num = (v == floor(v) && fabs(v) < 1e15) ? pk_value_new_int((int64_t)v, NOPOS)
							   : pk_value_new_float(round(v * 10) / 10, NOPOS);
	pk_value_to_text(out, num);
	pk_value_free(num);
	if (!strcmp(site->cfg->language, "ru"))
		for (i = start; i < out->len; i++)
			if (out->ptr[i] == '.')
				out->ptr[i] = ',';
	if (unit && *unit)
		pk_buf_printf(out, "\u00a0%s", unit);
}

static const pk_value *number(const pk_value *ind, const char *key)
{
	const pk_value *v = pk_value_map_get(ind, key);
	return v && (v->type == PK_VALUE_INT || v->type == PK_VALUE_FLOAT) ? v : NULL;
}

static double num(const pk_value *v)
{
	return v->type == PK_VALUE_INT ? (double)v->as.i : v->as.f;
}

/* The inline SVG of an indicator: a track up to the scale's maximum, the
 * achieved value as a bar from the baseline, the target as a tick. */
static pk_value *indicator_bar(const pk_site *site, const pk_value *ind, double actual, bool has_actual)
{
	const pk_value *base = number(ind, "baseline"), *target = number(ind, "target");
	const char *unit = pk_value_str(pk_value_map_get(ind, "unit"));
	double max = unit && !strcmp(unit, "%") ? 100.0 : 0.0;
	double b = base ? num(base) : 0.0;
	pk_buf svg = PK_BUF_INIT, label = PK_BUF_INIT;
	const double w = 200.0;

	if (!has_actual)
		return pk_value_new_null(NOPOS);
	max = fmax(max, fmax(actual, fmax(b, target ? num(target) : 0.0)));
	if (max <= 0)
		max = 1;
	if (base) {
		pk_buf_printf(&label, "%s ", pk_site__string(site, "indicator.baseline", "baseline"));
		number_text(&label, site, b, unit);
		pk_buf_puts(&label, ", ");
	}
	pk_buf_printf(&label, "%s ", pk_site__string(site, "indicator.actual", "actual"));
	number_text(&label, site, actual, unit);
	if (target) {
		pk_buf_printf(&label, ", %s ", pk_site__string(site, "indicator.target", "target"));
		number_text(&label, site, num(target), unit);
	}
	pk_buf_puts(&svg, "<svg class=\"indicator-bar\" width=\"200\" height=\"16\" viewBox=\"0 0 200 16\" role=\"img\" aria-label=\"");
	pk_buf_put_html_escaped(&svg, label.ptr, label.len);
	pk_buf_puts(&svg, "\"><rect class=\"track\" x=\"0\" y=\"4\" width=\"200\" height=\"8\" rx=\"2\" fill=\"#e4e7eb\"/>");
	pk_buf_printf(&svg, "<rect class=\"baseline\" x=\"0\" y=\"4\" width=\"%.1f\" height=\"8\" rx=\"2\" fill=\"#9aa5b1\"/>",
		      w * fmin(b, actual) / max);
	if (actual > b)
		pk_buf_printf(&svg, "<rect class=\"gain\" x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"8\" fill=\"#1f6f43\"/>",
			      w * b / max, w * (actual - b) / max);
	if (target)
		pk_buf_printf(&svg, "<rect class=\"target\" x=\"%.1f\" y=\"0\" width=\"2\" height=\"16\" fill=\"#1d3557\"/>",
			      fmin(w - 2, w * num(target) / max));
	pk_buf_puts(&svg, "</svg>");
	pk_buf_release(&label);
	return buf_value(&svg);
}

static pk_value *indicator_value(const pk_site *site, const pk_value *ind)
{
	pk_value *map = pk_value_new_map(NOPOS);
	const char *unit = pk_value_str(pk_value_map_get(ind, "unit"));
	static const char *const keys[] = { "name", "formula", "unit", "baseline", "target" };
	pk_buf text = PK_BUF_INIT;
	double actual = 0;
	bool has = pk_practice_indicator_value(ind, &actual);
	size_t i;

	for (i = 0; i < PK_ARRAY_SIZE(keys); i++)
		put(map, keys[i], copy(pk_value_map_get(ind, keys[i])));
	if (has) {
		put(map, "actual", pk_value_new_float(round(actual * 10) / 10, NOPOS));
		number_text(&text, site, actual, unit);
		put(map, "value_text", buf_value(&text));
	} else {
		put(map, "actual", NULL);
		put(map, "value_text", NULL);
	}
	put(map, "bar", indicator_bar(site, ind, actual, has));
	pk_buf_release(&text);
	return map;
}

static pk_value *indicators_value(const pk_site *site, const pk_value *list)
{
	pk_value *out = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < pk_value_len(list); i++)
		pk_value_list_push(out, indicator_value(site, pk_value_list_at(list, i)));
	return out;
}

static pk_value *stages_value(const pk_value *list)
{
	pk_value *out = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < pk_value_len(list); i++) {
		const pk_value *s = pk_value_list_at(list, i);
		pk_value *map = pk_value_new_map(NOPOS);
		put(map, "title", copy(pk_value_map_get(s, "title")));
		put(map, "dates", copy(pk_value_map_get(s, "dates")));
		put(map, "text", copy(pk_value_map_get(s, "text")));
		pk_value_list_push(out, map);
	}
	return out;
}

static const char *extension_of(const char *file, char ext[8])
{
	const char *dot = strrchr(file, '.');
	size_t i;
	if (!dot || strchr(dot, '/') || strlen(dot + 1) >= 8)
		return NULL;
	for (i = 0; dot[1 + i]; i++)
		ext[i] = (char)(dot[1 + i] >= 'a' && dot[1 + i] <= 'z' ? dot[1 + i] - 32 : dot[1 + i]);
	ext[i] = '\0';
	return ext;
}

static void size_text(pk_buf *out, const pk_site *site, size_t bytes)
{
	bool ru = !strcmp(site->cfg->language, "ru");
	if (bytes < 1024)
		pk_buf_printf(out, "%zu %s", bytes, ru ? "Б" : "B");
	else if (bytes < 1024 * 1024)
		pk_buf_printf(out, "%zu %s", (bytes + 512) / 1024, ru ? "КБ" : "KB");
	else
		pk_buf_printf(out, "%.1f %s", (double)bytes / (1024.0 * 1024.0), ru ? "МБ" : "MB");
	if (ru) {
		char *dot = strchr(out->ptr, '.');
		if (dot)
			*dot = ',';
	}
}

static pk_value *attachment_value(pk_site *site, const pk_practice *p, const pk_value *att)
{
	const char *file = pk_value_str(pk_value_map_get(att, "file"));
	pk_value *map = pk_value_new_map(NOPOS);
	pk_buf rel = PK_BUF_INIT, data = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_buf path = PK_BUF_INIT;
	bool published;
	char ext[8];

	put(map, "title", copy(pk_value_map_get(att, "title")));
	pk_buf_printf(&rel, "content/%s", file ? file : "");
	published = file && pk_site__publish(&path, site, p->doc.origin, rel.ptr) == PK_OK;
	put(map, "url", published ? pk_site__url_value(site, path.ptr) : NULL);
	put(map, "ext", str(file ? extension_of(file, ext) : NULL));
	pk_buf_release(&path);
	if (published && pk_source_read(p->doc.origin->src, &data, rel.ptr, NULL) == PK_OK) {
		size_text(&text, site, data.len);
		put(map, "size_text", buf_value(&text));
	} else {
		put(map, "size_text", NULL);
	}
	pk_buf_release(&rel);
	pk_buf_release(&data);
	pk_buf_release(&text);
	return map;
}

static pk_value *attachments_value(pk_site *site, const pk_practice *p, const pk_value *list)
{
	pk_value *out = pk_value_new_list(NOPOS);
	size_t i;
	for (i = 0; i < pk_value_len(list); i++)
		pk_value_list_push(out, attachment_value(site, p, pk_value_list_at(list, i)));
	return out;
}

static void put_fields(pk_value *map, const pk_value *meta, const char *const *keys, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		put(map, keys[i], copy(pk_value_map_get(meta, keys[i])));
}

/* Who changed the file in git: shown only when site.yaml asks, since the
 * names are personal data. */
static pk_value *contributors_value(const pk_site *site, const pk_practice *p)
{
	pk_value *list = pk_value_new_list(NOPOS);
	size_t i;
	if (!site->cfg->show_contributors || !p->contributors)
		return list;
	for (i = 0; i < p->contributors->len; i++)
		pk_value_list_push(list, str(p->contributors->items[i]));
	return list;
}

pk_value *pk_site__annotation(const pk_site *site, const char *rel)
{
	const pk_value *a = pk_value_map_get(site->opts->annotations, rel);
	return a ? pk_value_clone(a) : pk_value_new_null(NOPOS);
}

void pk_site__build_card(pk_site *site, pk_practice *p)
{
	pk_site_practice *sp = p->site_data;
	sp->card = build_card(site, p, sp);
	pk_site__add_has_flags(sp->card);
}

static pk_value *neighbour(const pk_site *site, size_t i)
{
	const pk_practice *p;
	pk_value *map;
	if (i >= site->practices.len)
		return NULL;
	p = site->practices.items[i];
	map = pk_value_new_map(NOPOS);
	put(map, "title", str(p->title));
	put(map, "url", pk_site__url_value(site, ((pk_site_practice *)p->site_data)->url_path));
	return map;
}

pk_value *pk_site__practice_full(pk_site *site, pk_practice *p, const pk_value *meta,
				 const char *content_html)
{
	static const char *const plain[] = {
		"role_model", "municipality", "mentees", "audience", "goal", "replicability",
	};
	pk_site_practice *sp = p->site_data;
	pk_value *full;
	const pk_value *res;

	full = pk_value_new_map(NOPOS); /* over the card: see the end */
	put(full, "updated", pk_site__date_value(site, p->updated));
	put_fields(full, meta, plain, PK_ARRAY_SIZE(plain));
	put(full, "mentors", mentor_refs(p));
	put(full, "period", period_value(site, pk_value_map_get(meta, "period")));
	put(full, "tasks", text_list(pk_value_map_get(meta, "tasks")));
	put(full, "stages", stages_value(pk_value_map_get(meta, "stages")));
	res = pk_value_map_get(meta, "resources");
	put(full, "resources", res && res->type == PK_VALUE_LIST ? joined(res, "; ") : copy(res));
	put(full, "results", text_list(pk_value_map_get(meta, "results")));
	put(full, "indicators", indicators_value(site, pk_value_map_get(meta, "indicators")));
	put(full, "awards", text_list(pk_value_map_get(meta, "awards")));
	put(full, "tags", tag_refs(site, p));
	put(full, "attachments", attachments_value(site, p, pk_value_map_get(meta, "attachments")));
	put(full, "contributors", contributors_value(site, p));
	put(full, "review", pk_site__annotation(site, p->doc.rel));
	put(full, "content", str(content_html));
	/* prev is the older practice, next the newer one. */
	put(full, "prev", neighbour(site, sp->order + 1));
	put(full, "next", sp->order > 0 ? neighbour(site, sp->order - 1) : NULL);
	pk_site__add_has_flags(full);
	return pk_site_overlay_new(full, sp->card);
}

/* Attachments are files of their own: their sizes and whether they
 * publish are read when the data is made. */
static bool has_attachments(const pk_practice *p)
{
	const pk_value *defaults = p->doc.origin ? p->doc.origin->defaults : NULL;
	return pk_value_len(pk_value_map_get(p->doc.meta, "attachments")) > 0 ||
	       pk_value_map_get(defaults, "attachments") != NULL;
}

/* The neighbour at site order i by its card (which has its title and
 * URL), for the stand-in. */
static pk_value *neighbour_card(const pk_site *site, size_t i)
{
	if (i >= site->practices.len)
		return NULL;
	return pk_site_ref_new(((pk_site_practice *)((pk_practice *)site->practices.items[i])->site_data)->card);
}

pk_value *pk_site__practice_inputs(pk_site *site, pk_practice *p)
{
	const pk_doc *doc = &p->doc;
	const pk_value *defaults = doc->origin ? doc->origin->defaults : NULL;
	pk_site_practice *sp = p->site_data;
	pk_value *in;
	pk_buf text = PK_BUF_INIT;

	if ((!doc->fm_entry.key[0] && !doc->fm_entry.key[1]) || site->opts->annotations ||
	    has_attachments(p))
		return NULL;
	in = pk_value_new_map(NOPOS);
	/* "source\nFMKEY\nBODYLEN BODYHASH\nUPDATED", without printf (a page
	 * each); the date as its three numbers, a day 00 kept (a key, not
	 * the ISO date pk_site__iso_date shows) */
	pk_buf_puts(&text, doc->origin ? doc->origin->name : "");
	pk_buf_putc(&text, '\n');
	pk_buf_put_hex64(&text, doc->fm_entry.key[0]);
	pk_buf_put_hex64(&text, doc->fm_entry.key[1]);
	pk_buf_putc(&text, '\n');
	pk_buf_put_uint(&text, doc->body_len, 0);
	pk_buf_putc(&text, ' ');
	pk_buf_put_hex64(&text, doc->body_hash);
	pk_buf_putc(&text, '\n');
	pk_buf_put_int(&text, p->updated.year, 4);
	pk_buf_putc(&text, '-');
	pk_buf_put_int(&text, p->updated.month, 2);
	pk_buf_putc(&text, '-');
	pk_buf_put_int(&text, p->updated.day, 2);
	/* the front matter's hash covers the tags too: what the page shows
	 * of them, their names and slugs, follows from the names alone (a
	 * slug is pk_text_slugify of the name, whatever other tags exist) */
	put(in, "file", buf_value(&text));
	put(in, "defaults", defaults ? pk_site_ref_new(defaults) : NULL);
	put(in, "card", pk_site_ref_new(sp->card));
	put(in, "mentors", mentor_refs(p));
	put(in, "contributors", contributors_value(site, p));
	put(in, "prev", neighbour_card(site, sp->order + 1));
	put(in, "next", sp->order > 0 ? neighbour_card(site, sp->order - 1) : NULL);
	return in;
}

void pk_site__build_mentor_value(pk_site *site, pk_mentor *m)
{
	static const char *const plain[] = {
		"name", "position", "organization", "category", "experience",
	};
	pk_site_mentor *sm = m->site_data;
	pk_value *v = pk_value_new_map(NOPOS);
	const pk_value *exp = pk_mentor_field(m, "experience");
	const pk_value *photo = pk_mentor_field(m, "photo");
	size_t i;

	sm->ref = mentor_ref(site, m);
	put(v, "slug", str(m->doc.slug));
	put(v, "url", pk_site__url_value(site, sm->url_path));
	for (i = 0; i < PK_ARRAY_SIZE(plain); i++)
		put(v, plain[i], copy(pk_mentor_field(m, plain[i])));
	put(v, "region", pk_mentor_consents(m, "region") ? region_ref(site, m->region) : NULL);
	put(v, "subjects", pk_mentor_consents(m, "subjects") ? text_list(pk_mentor_field(m, "subjects")) : NULL);
	put(v, "awards", pk_mentor_consents(m, "awards") ? text_list(pk_mentor_field(m, "awards")) : NULL);
	put(v, "forms", pk_mentor_consents(m, "forms") ? entry_refs(site, "forms", &m->forms) : NULL);
	put(v, "experience_text", exp && exp->type == PK_VALUE_INT
				  ? pk_site__count_text(site, "years", (size_t)(exp->as.i < 0 ? 0 : exp->as.i))
				  : NULL);
	put(v, "photo_url", NULL);
	if (photo && photo->type == PK_VALUE_STRING) {
		pk_buf rel = PK_BUF_INIT, path = PK_BUF_INIT;
		pk_buf_printf(&rel, "content/%s", photo->as.str.ptr);
		if (pk_site__publish(&path, site, m->doc.origin, rel.ptr) == PK_OK)
			put(v, "photo_url", pk_site__url_value(site, path.ptr));
		pk_buf_release(&rel);
		pk_buf_release(&path);
	}
	put(v, "bio", str(sm->bio_html));
	put(v, "review", pk_site__annotation(site, m->doc.rel));
	sm->value = v;
}

static int compare_site_order(const void *a, const void *b)
{
	const pk_site_practice *x = (*(pk_practice *const *)a)->site_data;
	const pk_site_practice *y = (*(pk_practice *const *)b)->site_data;
	return x->order < y->order ? -1 : x->order > y->order;
}

void pk_site__finish_mentor_value(pk_site *site, pk_mentor *m)
{
	pk_site_mentor *sm = m->site_data;
	pk_vec cards = PK_VEC_INIT;
	size_t i;

	/* m->practices lists them in load order; the site shows its own order. */
	pk_vec_sort(&m->practices, compare_site_order);
	for (i = 0; i < m->practices.len; i++)
		pk_vec_push(&cards, ((pk_site_practice *)((pk_practice *)m->practices.items[i])->site_data)->card);
	put(sm->value, "practices_count", pk_value_new_int((int64_t)cards.len, NOPOS));
	put(sm->value, "practices_count_text", pk_site__count_text(site, "practices", cards.len));
	pk_value_map_set(sm->value, "practices", pk_site_refs_new(&cards));
	pk_site__add_has_flags(sm->value);
	pk_vec_release(&cards);
}

void pk_site__build_term_value(pk_site *site, pk_site_term *term)
{
	pk_value *v = pk_value_new_map(NOPOS);
	const pk_value *data = term->entry ? term->entry->data : NULL;

	put(v, "id", str(term->id));
	put(v, "title", str(term->title));
	put(v, "url", pk_site__url_value(site, term->url_path));
	put(v, "count", pk_value_new_int((int64_t)term->practices.len, NOPOS));
	put(v, "count_text", pk_site__count_text(site, "practices", term->practices.len));
	put(v, "goal", copy(pk_value_map_get(data, "goal")));
	put(v, "role_models", data ? text_list(pk_value_map_get(data, "role_models")) : NULL);
	put(v, "description", copy(pk_value_map_get(data, "description")));
	put(v, "code", term->entry && pk_value_map_get(data, "code") ? str(term->id) : NULL);
	put(v, "short_title", term->entry ? str(term->entry->short_title) : NULL);
	pk_site__add_has_flags(v);
	term->value = v;
}

static pk_value *publisher_value(const pk_site *site)
{
	const pk_value *pub = site->cfg->publisher;
	pk_value *map;
	if (!pub)
		return pk_value_new_null(NOPOS);
	map = pk_value_new_map(NOPOS);
	put(map, "name", copy(pk_value_map_get(pub, "name")));
	put(map, "url", copy(pk_value_map_get(pub, "url")));
	return map;
}

/* site.urls: the fixed sections of every bank. */
static pk_value *urls_value(const pk_site *site)
{
	static const char *const sections[][2] = {
		{ "home", "" }, { "practices", "practices/" }, { "forms", "forms/" },
		{ "kinds", "kinds/" }, { "regions", "regions/" }, { "years", "years/" },
		{ "tags", "tags/" }, { "mentors", "mentors/" }, { "feed", "atom.xml" },
		{ "sitemap", "sitemap.xml" },
	};
	pk_value *map = pk_value_new_map(NOPOS);
	size_t i;
	for (i = 0; i < PK_ARRAY_SIZE(sections); i++)
		put(map, sections[i][0], pk_site__url_value(site, sections[i][1]));
	return map;
}

static int latest_year(const pk_site *site)
{
	return site->practices.len ? ((pk_practice *)site->practices.items[0])->date.year : 0;
}

pk_value *pk_site__build_site_value(pk_site *site)
{
	const pk_config *cfg = site->cfg;
	pk_value *v = pk_value_new_map(NOPOS);
	const pk_vocab_entry *region =
		cfg->region ? pk_vocab_find(&site->bank->regions, cfg->region, strlen(cfg->region)) : NULL;

	put(v, "title", str(cfg->title));
	put(v, "description", str(cfg->description));
	put(v, "language", str(cfg->language));
	put(v, "base_url", str(cfg->base_url));
	put(v, "base_path", str(cfg->base_path));
	put(v, "publisher", publisher_value(site));
	put(v, "region", region_ref(site, region));
	put(v, "feed_url", pk_site__url_value(site, "atom.xml"));
	put(v, "sitemap_url", pk_site__url_value(site, "sitemap.xml"));
	put(v, "generator", str(site->opts->generator));
	put(v, "copyright_year", latest_year(site) ? pk_value_new_int(latest_year(site), NOPOS) : NULL);
	put(v, "stylesheets", pk_value_new_list(NOPOS));
	put(v, "print_stylesheet", NULL);
	put(v, "urls", urls_value(site));
	return v;
}
