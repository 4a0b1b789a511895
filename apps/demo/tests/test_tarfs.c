/*
 * Tests of the demo's initrd lookup over tar archives built in memory:
 * plain and ./-prefixed names, ustar prefixes, directories skipped,
 * corrupt checksums and sizes past the end refused.
 */
#include <stdio.h>
#include <string.h>

#include <uk/test.h>

#include "../demo.h"

static unsigned char img[8192];
static size_t used;

static void add(const char *name, const char *prefix, char type,
		const char *data)
{
	unsigned char *h = img + used;
	size_t len = data ? strlen(data) : 0;
	unsigned long sum = 0;
	int i;

	memset(h, 0, 512);
	{
	strncpy((char *)h, name, 100);
	char num[24];

	snprintf(num, sizeof(num), "%011lo", (unsigned long)len & 07777777777);
	memcpy(h + 124, num, 12);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		strncpy((char *)h + 345, prefix, 155);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf(num, sizeof(num), "%06lo", sum & 0777777);
	memcpy(h + 148, num, 7);
	}
	used += 512;
	if (len) {
		memcpy(img + used, data, len);
		used += (len + 511) / 512 * 512;
	}
}

static void build(void)
{
	memset(img, 0, sizeof(img));
	used = 0;
	add("./", NULL, '5', NULL);
	add("./index.html", NULL, '0', "<h1>hi</h1>");
	add("b.txt", "docs", '0', "bee");
	add("empty", NULL, '0', NULL);
	used += 1024; /* the two zero blocks that end an archive */
}

static int find(const char *path, const char **d, size_t *n)
{
	return demo_tar_find(img, used, path, strlen(path), d, n);
}

UK_TEST(tarfs_finds_files_by_path)
{
	const char *d;
	size_t n;

	build();
	UK_TEST_EQ(find("/index.html", &d, &n), 0);
	UK_TEST_EQ(n, 11);
	UK_TEST_EQ(memcmp(d, "<h1>hi</h1>", 11), 0);
	UK_TEST_EQ(find("/docs/b.txt", &d, &n), 0);
	UK_TEST_EQ(n, 3);
	UK_TEST_EQ(find("/empty", &d, &n), 0);
	UK_TEST_EQ(n, 0);
}

UK_TEST(tarfs_misses_and_directories)
{
	const char *d;
	size_t n;

	build();
	UK_TEST_EQ(find("/", &d, &n), -1);
	UK_TEST_EQ(find("/index", &d, &n), -1);
	UK_TEST_EQ(find("/b.txt", &d, &n), -1);
	UK_TEST_EQ(find("index.html", &d, &n), -1);
	UK_TEST_EQ(find("/nope", &d, &n), -1);
}

UK_TEST(tarfs_refuses_corrupt_archives)
{
	const char *d;
	size_t n;

	build();
	img[512 + 5] ^= 1; /* the second header's name: checksum now wrong */
	UK_TEST_EQ(find("/index.html", &d, &n), -1);
	build();
	/* Cut inside b.txt's data: its size runs past the end. */
	UK_TEST_EQ(demo_tar_find(img, 4 * 512 + 1, "/index.html", 11,
				   &d, &n), 0);
	UK_TEST_EQ(demo_tar_find(img, 4 * 512 + 1, "/docs/b.txt", 11,
				   &d, &n), -1);
	UK_TEST_EQ(demo_tar_find(img, 4 * 512 + 3, "/docs/b.txt", 11,
				   &d, &n), 0);
	memset(img, 'x', 4096);
	UK_TEST_EQ(find("/index.html", &d, &n), -1);
}
