/*
 * fast.h: a scanner for the plain block YAML that front matter is written
 * in, private to the yaml module.
 *
 * For that subset it gives exactly the events libyaml gives (same values,
 * styles and start marks), several times faster: block maps with plain
 * ASCII keys, block sequences (also indentless and with compact maps),
 * one-line plain, single- and double-quoted scalars, one-line flow
 * sequences of plain scalars, literal and folded block scalars. For
 * anything else it declines before the builder sees a single event, and
 * the caller runs libyaml: flow maps, anchors, aliases, tags, directives,
 * document markers, multi-line plain or quoted scalars, escapes, comments
 * after a value, tabs, CR and other breaks or control characters, and
 * every kind of error, so messages are always libyaml's.
 *
 * tests/unit/test_yaml.c parses every case both ways and compares the
 * trees and messages.
 */
#ifndef PK_YAML_FAST_H
#define PK_YAML_FAST_H

#include "core/buf.h"
#include "yaml/yaml.h"

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

typedef struct {
	yaml_event_t *items; /* scalar values point into text */
	size_t len, cap;
	pk_buf text;         /* the scalars' values, each NUL-terminated */
} pk_yaml__events;

#define PK_YAML__EVENTS_INIT { NULL, 0, 0, PK_BUF_INIT }

/* Scans text into *ev (emptied first): the events of one document, from
 * DOCUMENT_START to DOCUMENT_END. False when text is not in the subset;
 * then *ev holds nothing of use. */
bool pk_yaml__fast_scan(pk_yaml__events *ev, const char *text, size_t len);
void pk_yaml__events_release(pk_yaml__events *ev);

/* Which scanner pk_yaml__parse_by uses (yaml.c). */
typedef enum {
	PK_YAML__ANY,     /* this one when it can, else libyaml: pk_yaml_parse */
	PK_YAML__LIBYAML, /* libyaml only */
	PK_YAML__FAST,    /* this one only: PK_ENOTSUP when it declines */
} pk_yaml__scanner;

/* pk_yaml_parse with the scanner chosen, for the tests that hold the two
 * to the same results. */
int pk_yaml__parse_by(pk_value **out, const char *text, size_t len, const char *path,
		      const pk_yaml_opts *opts, pk_diags *diags, pk_yaml__scanner how);

#endif
