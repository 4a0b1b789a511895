/*
 * The instance's host name, one function for every image and library
 * that names the instance (the push's instance label, console lines):
 * today the boot option uk.hostname=, else "ukmon".  Other sources (the
 * host name a DHCP server hands out) are meant to be added here, behind
 * the same call, in an order this file decides.
 *
 * A host name is 1..UK_MON_HOSTNAME_MAX bytes of letters, digits, '-',
 * '.' and '_' (RFC 1123 labels, plus the underscore many fleets use); a
 * boot option breaking that is ignored with one console warning, so a
 * typo never makes an instance label that escapes differently from the
 * name an operator reads.
 */
#include <string.h>

#include <uk/mon.h>
#include <uk/plat/cmdline.h>
#include <uk/print.h>

#include "mon_impl.h"

static int valid(const char *h)
{
	size_t i;

	for (i = 0; h[i]; i++) {
		char c = h[i];

		if (i == UK_MON_HOSTNAME_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_'))
			return 0;
	}
	return i > 0;
}

/*
 * The host name given the value of uk.hostname (NULL: absent): the value
 * if it is a valid host name, else "ukmon" (a bad value is warned about
 * on the console once).
 */
const char *_uk_mon_hostname_from(const char *opt)
{
	static uint32_t warned;

	if (!opt)
		return UK_MON_HOSTNAME_DEFAULT;
	if (valid(opt))
		return opt;
	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		uk_pr_warn("ukmon: ignoring uk.hostname=%s (want 1..%d "
			   "letters, digits, '-', '.', '_'); host name %s\n",
			   opt, UK_MON_HOSTNAME_MAX, UK_MON_HOSTNAME_DEFAULT);
	return UK_MON_HOSTNAME_DEFAULT;
}

/* The instance's host name (see uk/mon.h). */
const char *uk_mon_hostname(void)
{
	return _uk_mon_hostname_from(uk_plat_option("uk.hostname"));
}
