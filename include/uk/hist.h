/*
 * A live histogram that a producer observes into: nbuckets finite upper
 * bounds le[] (strictly increasing, at most UK_HIST_MAX_BUCKETS) and one
 * non-cumulative count per bound plus the +Inf one.  Header only, so a
 * library low in the stack (uklock's wait times) observes without linking
 * anything; the store reads a histogram through uk_store_hist_get()
 * (uk/store_publish.h), which turns it into cumulative counts.
 *
 * Observing is a bucket search and a few plain adds (single writer, as
 * uk/counter.h): a producer whose observers run in parallel serialises
 * them itself (a lock it holds anyway, or one of its own).  A reader
 * running beside the writer sees every field whole, never torn.
 */
#ifndef UK_HIST_H
#define UK_HIST_H

#include <stdint.h>

#include <uk/counter.h>

/** Most finite buckets a histogram may have (the +Inf bucket is extra). */
#define UK_HIST_MAX_BUCKETS 32

struct uk_hist {
	uint32_t nbuckets;
	const double *le;
	uint64_t bucket[UK_HIST_MAX_BUCKETS + 1]; /* not cumulative */
	uint64_t count;
	double sum;
};

/** A static initialiser over a const double array of bounds. */
#define UK_HIST_INITIALIZER(bounds) \
	{ sizeof(bounds) / sizeof((bounds)[0]), (bounds), {0}, 0, 0 }

/** Empties h and gives it the n bounds le (n <= UK_HIST_MAX_BUCKETS). */
static inline void uk_hist_init(struct uk_hist *h, const double *le,
				uint32_t n)
{
	*h = (struct uk_hist){ 0 };
	h->nbuckets = n;
	h->le = le;
}

/**
 * Records one observation v: in the first bucket whose bound is >= v
 * (+Inf above them all).  A NaN counts only in count and sum.
 */
static inline void uk_hist_observe(struct uk_hist *h, double v)
{
	uint32_t i = 0;
	double s;

	if (v == v) {
		while (i < h->nbuckets && !(v <= h->le[i]))
			i++;
		uk_counter_add(&h->bucket[i], 1);
	}
	uk_counter_add(&h->count, 1);
	__atomic_load(&h->sum, &s, __ATOMIC_RELAXED);
	s += v;
	__atomic_store(&h->sum, &s, __ATOMIC_RELAXED);
}

#endif /* UK_HIST_H */
