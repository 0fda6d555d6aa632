/*
 * scalar.h: typing of YAML scalars by the YAML 1.2 core schema, private to
 * the yaml module.
 *
 * Invariants: the recognisers take a length-counted string (NUL bytes are
 * just bytes that match nothing) and never allocate except for the value
 * they return; they match the whole string, never a prefix.
 */
#ifndef PK_YAML_SCALAR_H
#define PK_YAML_SCALAR_H

#include "core/common.h"
#include "value/value.h"

#include <stdbool.h>
#include <stdint.h>

/* True for ~, null, Null, NULL and the empty string. */
bool pk_yaml__is_null(const char *s, size_t len);
/* true/True/TRUE/false/False/FALSE; returns false for anything else. */
bool pk_yaml__parse_bool(const char *s, size_t len, bool *out);
/* Decimal with an optional sign, 0o octal, 0x hexadecimal. Returns PK_OK,
 * PK_ENOTFOUND when s is not written as an integer, or PK_ERROR when it is
 * one but does not fit in int64 (then *out is unchanged). */
int pk_yaml__parse_int(const char *s, size_t len, int64_t *out);
/* 1.5, .5, 1e3, -2.5E-3, 7, .inf, -.Inf, .nan ...; false if s is not a
 * float of the core schema. Independent of the C locale. */
bool pk_yaml__parse_float(const char *s, size_t len, double *out);

/*
 * Types a plain scalar: null, bool, int, float, then YYYY-MM-DD / YYYY-MM
 * dates, else a string. Sets *out to a new value at pos. Returns PK_OK, or
 * PK_ERROR for an integer out of range (then *out is a string holding s).
 */
int pk_yaml__resolve_plain(pk_value **out, const char *s, size_t len, pk_pos pos);

#endif
