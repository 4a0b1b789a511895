/*
 * The instance's host name, one function for every image and library
 * that names the instance (node_uname_info's nodename, the push's
 * instance label): the boot option uk.hostname=, else the host name a
 * DHCP server handed out (lwIP's glue passes option 12 on), else
 * "ukmon".  The operator's own word beats the network's.
 *
 * A host name is 1..UK_MON_HOSTNAME_MAX bytes of letters, digits, '-',
 * '.' and '_' (RFC 1123 labels, plus the underscore many fleets use); a
 * boot option breaking that is ignored with one console warning, so a
 * typo never makes an instance label that escapes differently from the
 * name an operator reads.
 */
#include <errno.h>
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

/*
 * The network's offer.  Written by lwIP's thread and read by any: a
 * reader could see a name half replaced only if a second, different
 * offer came while it read, so a new name goes to the other of two
 * buffers and the index flips after it is complete.
 */
static char offered[2][UK_MON_HOSTNAME_MAX + 1];
static int offered_cur = -1;

/* See uk/mon.h.  Returns 0 or -EINVAL. */
int uk_mon_hostname_offer(const char *name, size_t len)
{
	int next = offered_cur == 0 ? 1 : 0;
	char *b = offered[next];

	if (!name || !len || len > UK_MON_HOSTNAME_MAX)
		return -EINVAL;
	memcpy(b, name, len);
	b[len] = '\0';
	if (strlen(b) != len || !valid(b))
		return -EINVAL;
	__atomic_store_n(&offered_cur, next, __ATOMIC_RELEASE);
	return 0;
}

/* The instance's host name (see uk/mon.h). */
const char *uk_mon_hostname(void)
{
	const char *opt = uk_plat_option("uk.hostname");
	int cur = __atomic_load_n(&offered_cur, __ATOMIC_ACQUIRE);

	if (!opt && cur >= 0)
		return offered[cur];
	return _uk_mon_hostname_from(opt);
}
