/*
 * Test-only: what the nolibc-versus-glibc tests share: a fixed-seed
 * random generator (one stream per file) and failure reporting that
 * prints only the first few mismatches of a test.
 */
#ifndef NOLIBC_VS_GLIBC_H
#define NOLIBC_VS_GLIBC_H

#include <stdint.h>

#include <uk/test.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static inline unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define MAX_REPORTS 8

/* Counts a failure in the caller's `bad`; reports the first few. */
#define CHECK(cond, ...) do { if (!(cond)) { if (++bad <= MAX_REPORTS) \
	_uk_test_fail(__FILE__, __LINE__, __VA_ARGS__); } } while (0)

#endif
