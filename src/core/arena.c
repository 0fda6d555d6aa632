#include "core/arena.h"
#include "core/xalloc.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct pk_arena_block {
	pk_arena_block *next;
	size_t used, cap;
	alignas(max_align_t) char data[];
};

void pk_arena_init(pk_arena *a)
{
	a->head = NULL;
	a->debug_malloc = getenv("PRAKTIKA_ARENA_MALLOC") != NULL;
}

void pk_arena_release(pk_arena *a)
{
	pk_arena_block *b = a->head;
	while (b) {
		pk_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

static pk_arena_block *new_block(pk_arena *a, size_t cap)
{
	pk_arena_block *b = pk_xmalloc(pk_size_add(sizeof(*b), cap));
	b->used = 0;
	b->cap = cap;
	b->next = a->head;
	a->head = b;
	return b;
}

void *pk_arena_alloc(pk_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t rounded = pk_size_add(size, align - 1) & ~(align - 1);
	pk_arena_block *b = a->head;
	void *p;

	if (a->debug_malloc || rounded > BLOCK_SIZE / 4) {
		/* Big or debug objects get a block of their own, behind the head. */
		pk_arena_block *head = a->head;
		b = new_block(a, rounded);
		b->used = rounded;
		p = b->data;
		if (head) { /* keep the partly used block at the head */
			a->head = head;
			b->next = head->next;
			head->next = b;
		}
	} else {
		if (!b || b->cap - b->used < rounded)
			b = new_block(a, BLOCK_SIZE);
		p = b->data + b->used;
		b->used += rounded;
	}
	memset(p, 0, size);
	return p;
}

char *pk_arena_strndup(pk_arena *a, const char *s, size_t len)
{
	char *p = pk_arena_alloc(a, pk_size_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *pk_arena_strdup(pk_arena *a, const char *s)
{
	return pk_arena_strndup(a, s, strlen(s));
}
