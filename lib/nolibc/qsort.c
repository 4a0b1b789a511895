/*
 * qsort and bsearch.  qsort is an introsort-like quicksort: median of
 * three pivots, recursion on the smaller side only (O(log n) stack), and
 * insertion sort for short runs; a heapsort fallback bounds the worst
 * case at O(n log n) against adversarial inputs.  Elements are swapped
 * byte-wise in chunks, so any element size works.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
	char t[64];

	while (size) {
		size_t k = size < sizeof(t) ? size : sizeof(t), i;

		for (i = 0; i < k; i++) {
			t[i] = a[i];
			a[i] = b[i];
			b[i] = t[i];
		}
		a += k;
		b += k;
		size -= k;
	}
}

static void insertion(char *base, size_t n, size_t size, cmp_fn cmp)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && cmp(base + (j - 1) * size,
					 base + j * size) > 0; j--)
			swap(base + (j - 1) * size, base + j * size, size);
}

static void sift(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (;;) {
		size_t c = 2 * root + 1;

		if (c >= n)
			return;
		if (c + 1 < n && cmp(base + c * size, base + (c + 1) * size) < 0)
			c++;
		if (cmp(base + root * size, base + c * size) >= 0)
			return;
		swap(base + root * size, base + c * size, size);
		root = c;
	}
}

static void heapsort_(char *base, size_t n, size_t size, cmp_fn cmp)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift(base, i, n, size, cmp);
	for (i = n; i-- > 1;) {
		swap(base, base + i * size, size);
		sift(base, 0, i, size, cmp);
	}
}

static void sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > 12) {
		char *lo = base, *hi = base + (n - 1) * size;
		char *mid = base + (n / 2) * size;
		size_t i, j, nl;

		if (!depth--) {
			heapsort_(base, n, size, cmp);
			return;
		}
		/* Median of three into lo; then Hoare partition around lo. */
		if (cmp(mid, lo) < 0)
			swap(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap(mid, lo, size);
		}
		swap(lo, mid, size);
		i = 0;
		j = n;
		for (;;) {
			do
				i++;
			while (i < n && cmp(base + i * size, lo) < 0);
			do
				j--;
			while (cmp(base + j * size, lo) > 0);
			if (i >= j)
				break;
			swap(base + i * size, base + j * size, size);
		}
		swap(lo, base + j * size, size);
		/* [0, j) <= pivot, j is the pivot, (j, n) >= pivot. */
		nl = j;
		if (nl < n - j - 1) {
			sort(base, nl, size, cmp, depth);
			base += (j + 1) * size;
			n = n - j - 1;
		} else {
			sort(base + (j + 1) * size, n - j - 1, size, cmp, depth);
			n = nl;
		}
	}
	insertion(base, n, size, cmp);
}

/* Sorts n elements of size bytes at base in cmp's order. */
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *))
{
	int depth = 0;
	size_t m;

	if (n < 2 || !size)
		return;
	for (m = n; m; m >>= 1)
		depth += 2;
	sort(base, n, size, cmp, depth);
}

/* The element of the sorted array equal to key, or NULL. */
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const char *b = base;

	while (n) {
		const char *mid = b + (n / 2) * size;
		int c = cmp(key, mid);

		if (!c)
			return (void *)mid;
		if (c > 0) {
			b = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}
