/*
 * common.h: definitions every module shares: error codes, assertions,
 * and the small slice type for zero-copy views into source text.
 *
 * Invariants: error codes are negative ints, 0 is success (STYLE.md §7).
 * PK_ASSERT guards programmer errors only; user input never reaches it.
 */
#ifndef PK_CORE_COMMON_H
#define PK_CORE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes returned by fallible functions. */
enum {
	PK_OK = 0,
	PK_ERROR = -1,      /* generic failure, details in the diagnostics */
	PK_ENOTFOUND = -3,  /* the thing asked for does not exist */
	PK_EEXISTS = -4,    /* the thing to add is already there */
	PK_ELIMIT = -5,     /* a safety limit (depth, size, expansion) hit */
	PK_EIO = -6,        /* an operating system call failed */
	PK_ENOTSUP = -7,    /* the thing asked cannot do what was asked */
};

/* A borrowed view of bytes; not NUL-terminated in general. */
typedef struct {
	const char *p;
	size_t len;
} pk_slice;

#define PK_SLICE(s) ((pk_slice){ (s), sizeof(s) - 1 })

/* Line and column of a place in a source file, both 1-based; 0 = unknown. */
typedef struct {
	int line;
	int col;
} pk_pos;

#define PK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PK_NORETURN __attribute__((noreturn))
#else
#define PK_PRINTF(f, a)
#define PK_NORETURN
#endif

/* Prints file:line and the message, then aborts. For bugs only. */
PK_NORETURN void pk__bug(const char *file, int line, const char *msg);

#define PK_BUG(msg) pk__bug(__FILE__, __LINE__, (msg))
#define PK_ASSERT(cond) \
	((cond) ? (void)0 : pk__bug(__FILE__, __LINE__, "assertion failed: " #cond))

/* True when the slice equals the NUL-terminated string s. */
bool pk_slice_eq(pk_slice a, const char *s);

#endif
