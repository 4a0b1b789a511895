/*
 * ukmon's host name: the default on linuxu (no boot options), and the
 * rules applied to a uk.hostname value (valid names kept, bad ones
 * replaced by the default), and a name offered by the network (DHCP):
 * used without uk.hostname (linuxu has no boot options), bad offers
 * refused, a later offer replacing an earlier one.  An offer cannot be
 * taken back, so the one case that offers also checks the default
 * before it does.
 */
#include <errno.h>
#include <string.h>

#include <uk/mon.h>
#include <uk/test.h>

#include "../mon_impl.h"

UK_TEST(hostname_default)
{
	UK_TEST_STREQ(_uk_mon_hostname_from(NULL), "ukmon");
}

UK_TEST(hostname_rules)
{
	static const char *const good[] = {
		"batch-1", "b", "node.example.org", "UK_01",
		"123456789012345678901234567890123456789012345678901234567890123",
	};
	static const char *const bad[] = {
		"", "a b", "a/b", "h\xc3\xa9", "x\"y",
		"1234567890123456789012345678901234567890123456789012345678901234",
	};
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		UK_TEST_STREQ(_uk_mon_hostname_from(good[i]), good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UK_TEST_STREQ(_uk_mon_hostname_from(bad[i]), "ukmon");
}

UK_TEST(hostname_offered_by_the_network)
{
	char big[UK_MON_HOSTNAME_MAX + 2];

	UK_TEST_STREQ(uk_mon_hostname(), "ukmon");
	memset(big, 'a', sizeof(big));
	UK_TEST_EQ(uk_mon_hostname_offer("", 0), -EINVAL);
	UK_TEST_EQ(uk_mon_hostname_offer(NULL, 3), -EINVAL);
	UK_TEST_EQ(uk_mon_hostname_offer("bad name", 8), -EINVAL);
	UK_TEST_EQ(uk_mon_hostname_offer("a\0b", 3), -EINVAL);
	UK_TEST_EQ(uk_mon_hostname_offer(big, sizeof(big)), -EINVAL);
	UK_TEST_STREQ(uk_mon_hostname(), "ukmon");
	/* Not NUL-terminated: exactly len bytes are the name. */
	UK_TEST_EQ(uk_mon_hostname_offer("dhcp-1xyz", 6), 0);
	UK_TEST_STREQ(uk_mon_hostname(), "dhcp-1");
	UK_TEST_EQ(uk_mon_hostname_offer(big, UK_MON_HOSTNAME_MAX), 0);
	UK_TEST_EQ(strlen(uk_mon_hostname()), (size_t)UK_MON_HOSTNAME_MAX);
	UK_TEST_EQ(uk_mon_hostname_offer("dhcp-2", 6), 0);
	UK_TEST_STREQ(uk_mon_hostname(), "dhcp-2");
	UK_TEST_EQ(uk_mon_hostname_offer("x y", 3), -EINVAL);
	UK_TEST_STREQ(uk_mon_hostname(), "dhcp-2");
}
