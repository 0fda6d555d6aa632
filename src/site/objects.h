/*
 * objects.h: host objects that let templates see values owned elsewhere
 * without copying them (see PK_VALUE_OBJECT in value.h).
 *
 * - A scope maps names to borrowed values and falls back to a borrowed
 *   map: the root of every page's data ({site, t, page, practice, …}) and
 *   the per-page view of `site` (its own menu, the rest shared).
 * - An overlay shows an owned map over a borrowed one; a ref shows a
 *   borrowed map.
 * - A refs list is a list of borrowed values: the cards of a list page
 *   point at cards owned by the practices.
 * Both own only their own bookkeeping; freeing the value frees that.
 * Each describes what it shows to pk_value_fingerprint (value.h).
 */
#ifndef PK_SITE_OBJECTS_H
#define PK_SITE_OBJECTS_H

#include "core/vec.h"
#include "value/value.h"

/* A new scope over fallback (may be NULL). Add names with
 * pk_site_scope_set (borrowed) or pk_site_scope_own (owned); a name is
 * not copied: it must live as long as the scope (a string literal). */
pk_value *pk_site_scope_new(const pk_value *fallback);
void pk_site_scope_set(pk_value *scope, const char *name, const pk_value *value);
/* Like set, but the scope frees value with itself. */
void pk_site_scope_own(pk_value *scope, const char *name, pk_value *value);

/* A map seen through another: names of top (owned, a map) first, then
 * those of under (borrowed). A practice page's data is its card (shared by
 * every list) under the fields only the page shows, without copying the
 * card. */
pk_value *pk_site_overlay_new(pk_value *top, const pk_value *under);
/* The owned map of an overlay, to add to it after it was made. */
pk_value *pk_site_overlay_top(pk_value *overlay);

/* A borrowed map seen as a value of its own: many owners may hold a ref
 * to one map (every card of a form holds the form's {id, title, url}). */
pk_value *pk_site_ref_new(const pk_value *map);

/* A new list object over borrowed items (the vector is copied). */
pk_value *pk_site_refs_new(const pk_vec *items);
/* A new list object over items[first..first+n) of a vector. */
pk_value *pk_site_refs_slice(const pk_vec *items, size_t first, size_t n);

#endif
