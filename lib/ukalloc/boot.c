/*
 * ukalloc's boot option: ukalloc.fail_every=N makes every Nth allocation
 * of the default allocator fail, to show how an image copes with memory
 * exhaustion under load (the demo's exhaustion test).  The failing
 * wrapper is static, wraps whatever the default is when armed, and stays
 * the default for good: blocks allocated before it are freed through it
 * into the allocator underneath.  An image arms it where it wants the
 * failures to begin (the demo: once its components are up).
 */
#include <errno.h>
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/plat/cmdline.h>
#include <uk/print.h>

static struct uk_alloc_failing boot_failing;
static int armed;

/* Parses a decimal number >= 1 without sign or trailing text. */
static int parse_every(const char *v, uint64_t *out)
{
	uint64_t n = 0;

	if (!*v)
		return -EINVAL;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	if (!n)
		return -EINVAL;
	*out = n;
	return 0;
}

/* See uk/alloc.h.  Returns 0, -EINVAL or -EALREADY. */
int uk_alloc_failing_boot(uint64_t *every)
{
	const char *v = uk_plat_option("ukalloc.fail_every");
	uint64_t n;

	*every = 0;
	if (!v)
		return 0;
	if (parse_every(v, &n)) {
		uk_pr_err("ukalloc: bad ukalloc.fail_every=%s (want N >= 1)\n",
			  v);
		return -EINVAL;
	}
	if (__atomic_exchange_n(&armed, 1, __ATOMIC_ACQ_REL))
		return -EALREADY;
	uk_alloc_failing_init(&boot_failing, uk_alloc_get_default(), 0, 0);
	uk_alloc_failing_set_every(&boot_failing, n);
	uk_alloc_set_default(&boot_failing.a);
	uk_pr_warn("ukalloc: one allocation in %llu fails from now on "
		   "(ukalloc.fail_every)\n", (unsigned long long)n);
	*every = n;
	return 0;
}
