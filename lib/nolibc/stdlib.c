/*
 * The malloc family over ukalloc's default allocator, and the small
 * process-level functions (abort, exit, abs, rand) of stdlib.h.
 */
#include <errno.h>
#include <stdlib.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/plat/lifecycle.h>

/* size bytes from the default allocator, or NULL with errno ENOMEM. */
void *malloc(size_t size)
{
	void *p = uk_malloc(uk_alloc_get_default(), size);

	if (!p)
		errno = ENOMEM;
	return p;
}

/* Zeroed n * size bytes, or NULL (overflow or exhaustion: ENOMEM). */
void *calloc(size_t n, size_t size)
{
	void *p = uk_calloc(uk_alloc_get_default(), n, size);

	if (!p)
		errno = ENOMEM;
	return p;
}

/*
 * Resizes p (NULL: malloc).  Returns the new block, or NULL with errno
 * ENOMEM and p untouched.
 */
void *realloc(void *p, size_t size)
{
	void *q = uk_realloc(uk_alloc_get_default(), p, size);

	if (!q && size)
		errno = ENOMEM;
	return q;
}

/* Gives p (may be NULL) back to the default allocator. */
void free(void *p)
{
	if (p)
		uk_free(uk_alloc_get_default(), p);
}

/* See stdlib.h: 0, EINVAL or ENOMEM. */
int posix_memalign(void **out, size_t align, size_t size)
{
	return -uk_posix_memalign(uk_alloc_get_default(), out, align, size);
}

/*
 * C11: align must be a power of two.  Returns the block, or NULL with
 * errno EINVAL or ENOMEM.
 */
void *aligned_alloc(size_t align, size_t size)
{
	void *p = NULL;
	int rc;

	if (align < sizeof(void *))
		align = sizeof(void *);
	rc = uk_posix_memalign(uk_alloc_get_default(), &p, align, size);
	if (rc) {
		errno = -rc;
		return NULL;
	}
	return p;
}

/* |x|; undefined for the most negative value, as in C. */
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

static unsigned long long rand_state = 1;

/* Seeds rand(). */
void srand(unsigned int seed)
{
	rand_state = seed;
}

/* The next value in 0..RAND_MAX of a 64-bit LCG (its high bits). */
int rand(void)
{
	rand_state = rand_state * 6364136223846793005ULL +
		1442695040888963407ULL;
	return (int)(rand_state >> 33);
}

/* Panics: the kernel has no signals to deliver SIGABRT with. */
void abort(void)
{
	uk_panic("abort() called");
}

/* Ends the instance with status (no atexit handlers in a unikernel). */
void exit(int status)
{
	uk_plat_exit(status);
}
