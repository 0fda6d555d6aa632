#include "core/vec.h"
#include "core/xalloc.h"

#include <stdlib.h>

void pk_vec_init(pk_vec *v)
{
	v->items = NULL;
	v->len = v->cap = 0;
}

void pk_vec_release(pk_vec *v)
{
	free(v->items);
	pk_vec_init(v);
}

void pk_vec_push(pk_vec *v, void *item)
{
	PK_GROW(v->items, v->cap, v->len + 1);
	v->items[v->len++] = item;
}

void pk_vec_sort(pk_vec *v, int (*cmp)(const void *, const void *))
{
	if (v->len > 1)
		qsort(v->items, v->len, sizeof(void *), cmp);
}
