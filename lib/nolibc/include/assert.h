/*
 * assert() for code written against the C library.  In a kernel a failed
 * assertion is a broken invariant, so it is never compiled out: NDEBUG is
 * deliberately ignored, and a failure panics through ukdebug.
 * Deliberately without an include guard, as C requires.
 */
#undef assert

#ifdef __cplusplus
extern "C" {
#endif
__attribute__((noreturn, format(printf, 3, 4)))
void _uk_panic(const char *file, int line, const char *fmt, ...);
#ifdef __cplusplus
}
#endif

#define assert(x) ((void)(__builtin_expect(!!(x), 1) ? 0 : \
	(_uk_panic(__FILE__, __LINE__, "assertion failed: %s", #x), 0)))

#ifndef static_assert
#define static_assert _Static_assert
#endif
