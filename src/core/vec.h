/*
 * vec.h: a growable array of pointers. The vector owns its array, never the
 * pointed-to items; whoever filled it frees them.
 */
#ifndef PK_CORE_VEC_H
#define PK_CORE_VEC_H

#include <stddef.h>

typedef struct {
	void **items;
	size_t len, cap;
} pk_vec;

#define PK_VEC_INIT { NULL, 0, 0 }

void pk_vec_init(pk_vec *v);
/* Frees the array (not the items). */
void pk_vec_release(pk_vec *v);
void pk_vec_push(pk_vec *v, void *item);
/* Sorts with a qsort comparator over pointers to items (void *const *). */
void pk_vec_sort(pk_vec *v, int (*cmp)(const void *, const void *));

#endif
