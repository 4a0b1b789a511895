/*
 * Broken invariants crash loudly: UK_ASSERT() is never compiled out, and
 * uk_panic() prints its message (and, on kvm, a backtrace) on the console
 * before ending the instance with UK_PLAT_CRASH_STATUS.
 */
#ifndef UK_ASSERT_H
#define UK_ASSERT_H

__attribute__((noreturn, format(printf, 3, 4)))
void _uk_panic(const char *file, int line, const char *fmt, ...);

#define uk_panic(...) _uk_panic(__FILE__, __LINE__, __VA_ARGS__)

#define UK_ASSERT(x) do { if (__builtin_expect(!(x), 0)) \
	_uk_panic(__FILE__, __LINE__, "assertion failed: %s", #x); } while (0)

/*
 * Hook for platforms that can print more on a panic (a backtrace on kvm).
 * Weak: the default does nothing.
 */
void uk_plat_panic_extra(void);

#endif
