/*
 * ukmon's host name: the default on linuxu (no boot options), and the
 * rules applied to a uk.hostname value (valid names kept, bad ones
 * replaced by the default).
 */
#include <string.h>

#include <uk/mon.h>
#include <uk/test.h>

#include "../mon_impl.h"

UK_TEST(hostname_default)
{
	UK_TEST_STREQ(uk_mon_hostname(), "ukmon");
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
