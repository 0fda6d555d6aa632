/*
 * arena.h: a bump allocator for objects that live as long as a build
 * (page records, URLs, strings), freed together in one call.
 *
 * With PRAKTIKA_ARENA_MALLOC set in the environment at pk_arena_init time,
 * every allocation is a separate malloc so ASan and valgrind see each object.
 */
#ifndef PK_CORE_ARENA_H
#define PK_CORE_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pk_arena_block pk_arena_block;

typedef struct {
	pk_arena_block *head;
	bool debug_malloc;
} pk_arena;

void pk_arena_init(pk_arena *a);
/* Frees everything allocated from the arena. */
void pk_arena_release(pk_arena *a);
/* size bytes aligned for any type; zeroed. Never NULL. */
void *pk_arena_alloc(pk_arena *a, size_t size);
/* Copies len bytes of s and a NUL into the arena. */
char *pk_arena_strndup(pk_arena *a, const char *s, size_t len);
char *pk_arena_strdup(pk_arena *a, const char *s);

#endif
