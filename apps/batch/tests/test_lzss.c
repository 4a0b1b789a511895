/*
 * The batch job's LZSS: a golden stream (pins the format), CRC-32's
 * check value, round trips of every kind of input (empty, one byte,
 * runs, repeats at each match length and window edge, text, random
 * bytes, all byte values), streams within lzss_bound(), -ENOSPC for a
 * short buffer, and the decompressor refusing every truncation, bad
 * header, bad offset, trailing byte, flipped byte and random garbage,
 * under ASan (exactly-sized buffers on the heap, so any stray access is
 * caught).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/test.h>

#include "../lzss.h"

static struct lzss_work work;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Compresses and decompresses in, exactly-sized buffers; 0 or -errno. */
static int round_trip(const uint8_t *in, size_t n, size_t *zlen)
{
	size_t cap = lzss_bound(n), z, back;
	uint8_t *c = malloc(cap), *d, *exact;
	int rc;

	UK_ASSERT(c);
	rc = lzss_compress(in, n, c, cap, &z, &work);
	if (rc) {
		free(c);
		return rc;
	}
	exact = malloc(z);
	memcpy(exact, c, z);
	free(c);
	d = malloc(n ? n : 1);
	rc = lzss_decompress(exact, z, d, n, &back);
	if (!rc && (back != n || memcmp(d, in, n)))
		rc = -EIO;
	free(d);
	free(exact);
	*zlen = z;
	return rc;
}

UK_TEST(lzss_golden)
{
	static const uint8_t want[] = {
		'U', 'L', 'Z', '1', 12, 0, 0, 0, 0x34, 0x2a, 0x6e, 0x5a,
		0x08, 'a', 'b', 'c', 0x02, 0x06,
	};
	uint8_t out[64];
	size_t n;

	UK_TEST_EQ(lzss_compress((const uint8_t *)"abcabcabcabc", 12, out,
				 sizeof(out), &n, &work), 0);
	UK_TEST_EQ(n, sizeof(want));
	UK_TEST_EQ(memcmp(out, want, n), 0);
}

UK_TEST(lzss_crc32)
{
	UK_TEST_EQ(lzss_crc32(0, (const uint8_t *)"123456789", 9),
		   0xCBF43926u);
	UK_TEST_EQ(lzss_crc32(0, NULL, 0), 0u);
	/* Continuing over pieces is the CRC of the whole. */
	UK_TEST_EQ(lzss_crc32(lzss_crc32(0, (const uint8_t *)"1234", 4),
			      (const uint8_t *)"56789", 5), 0xCBF43926u);
}

UK_TEST(lzss_round_trips)
{
	static uint8_t buf[200000];
	size_t z, n, i, k;

	/* Empty and one byte. */
	UK_TEST_EQ(round_trip(buf, 0, &z), 0);
	UK_TEST_EQ(z, (size_t)LZSS_HEADER);
	buf[0] = 'x';
	UK_TEST_EQ(round_trip(buf, 1, &z), 0);
	/* A run: overlapping matches of offset 1. */
	memset(buf, 'a', 100000);
	UK_TEST_EQ(round_trip(buf, 100000, &z), 0);
	UK_TEST_EXPECT(z < 100000 / 8);
	/* Patterns of each period around the match lengths and the
	 * window's edge. */
	for (k = 1; k <= 20; k++) {
		for (i = 0; i < 3000; i++)
			buf[i] = (uint8_t)('a' + i % k);
		for (n = 0; n <= 40; n++)
			UK_TEST_EQ(round_trip(buf, n, &z), 0);
		UK_TEST_EQ(round_trip(buf, 3000, &z), 0);
	}
	for (k = 4090; k <= 4100; k++) {
		for (i = 0; i < 3 * k; i++)
			buf[i] = i < k ? (uint8_t)rnd() : buf[i - k];
		UK_TEST_EQ(round_trip(buf, 3 * k, &z), 0);
	}
	/* Every byte value, and random bytes (incompressible). */
	for (i = 0; i < 256 * 8; i++)
		buf[i] = (uint8_t)i;
	UK_TEST_EQ(round_trip(buf, 256 * 8, &z), 0);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	UK_TEST_EQ(round_trip(buf, sizeof(buf), &z), 0);
	UK_TEST_EXPECT(z <= lzss_bound(sizeof(buf)));
	/* Text-like input: words from a small vocabulary. */
	for (i = 0; i < sizeof(buf);) {
		static const char *const words[] = {
			"metrics ", "store ", "push ", "the ", "unikernel ",
			"gateway ", "counter ", "of ", "a ", "instance\n",
		};
		const char *w = words[rnd() % 10];

		for (k = 0; w[k] && i < sizeof(buf); k++)
			buf[i++] = (uint8_t)w[k];
	}
	UK_TEST_EQ(round_trip(buf, sizeof(buf), &z), 0);
	uk_test_log("text-like 200000 bytes -> %zu (ratio %.2f)", z,
		    200000.0 / (double)z);
	UK_TEST_EXPECT(z < sizeof(buf) / 2);
	/* Random lengths of random mixes. */
	for (k = 0; k < 200; k++) {
		n = rnd() % 5000;
		for (i = 0; i < n; i++)
			buf[i] = (rnd() % 4) ? (uint8_t)('a' + rnd() % 3)
					     : (uint8_t)rnd();
		UK_TEST_EQ(round_trip(buf, n, &z), 0);
	}
}

UK_TEST(lzss_short_output)
{
	static uint8_t in[5000], out[6000];
	size_t z, full, cap;
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i % 7 ? 'q' : rnd());
	UK_TEST_EQ(lzss_compress(in, sizeof(in), out, sizeof(out), &full,
				 &work), 0);
	for (cap = 0; cap < full; cap++)
		UK_TEST_EQ(lzss_compress(in, sizeof(in), out, cap, &z, &work),
			   -ENOSPC);
	UK_TEST_EQ(lzss_decompress(out, full, in, sizeof(in) - 1, &z),
		   -ENOSPC);
}

/*
 * Decompresses a copy of s[0..n) into an exactly-sized buffer.  Returns
 * the result, or -EIO when a stream is accepted but its output differs
 * from orig (when given).
 */
static int unpack_as(const uint8_t *s, size_t n, size_t cap,
		     const uint8_t *orig)
{
	uint8_t *copy = malloc(n ? n : 1), *out = malloc(cap ? cap : 1);
	size_t len;
	int rc;

	memcpy(copy, s, n);
	rc = lzss_decompress(copy, n, out, cap, &len);
	if (!rc && orig && (len != cap || memcmp(out, orig, len)))
		rc = -EIO;
	free(copy);
	free(out);
	return rc;
}

static int unpack(const uint8_t *s, size_t n, size_t cap)
{
	return unpack_as(s, n, cap, NULL);
}

UK_TEST(lzss_refuses_bad_streams)
{
	static uint8_t in[3000], z[4000], bad[4000];
	size_t n, i, len;
	unsigned int k;
	int rc;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)("abcdefgh"[rnd() % 8]);
	UK_TEST_EQ(lzss_compress(in, sizeof(in), z, sizeof(z), &n, &work), 0);
	UK_TEST_EQ(unpack(z, n, sizeof(in)), 0);
	/* Every truncation. */
	for (i = 0; i < n; i++)
		UK_TEST_EXPECT(unpack(z, i, sizeof(in)) < 0);
	/* A trailing byte, a bad magic. */
	memcpy(bad, z, n);
	bad[n] = 0;
	UK_TEST_EQ(unpack(bad, n + 1, sizeof(in)), -EINVAL);
	bad[0] = 'X';
	UK_TEST_EQ(unpack(bad, n, sizeof(in)), -EINVAL);
	UK_TEST_EQ(lzss_original_len(bad, n, &len), -EINVAL);
	/* A match before the start: "ULZ1", length 3, flags 1, offset 1. */
	{
		static const uint8_t early[] = {
			'U', 'L', 'Z', '1', 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
		};
		UK_TEST_EQ(unpack(early, sizeof(early), 3), -EINVAL);
	}
	/* A match running past the declared length. */
	{
		static const uint8_t past[] = {
			'U', 'L', 'Z', '1', 4, 0, 0, 0, 0, 0, 0, 0, 2, 'a',
			0, 15,
		};
		UK_TEST_EQ(unpack(past, sizeof(past), 4), -EINVAL);
	}
	/* A flipped CRC. */
	memcpy(bad, z, n);
	bad[9] ^= 1;
	UK_TEST_EQ(unpack(bad, n, sizeof(in)), -EBADMSG);
	/* Every single flipped bit of the body: refused or a CRC error,
	 * never a crash or an accepted wrong output (a flipped offset may
	 * point at the same bytes: the right output, rightly accepted). */
	for (i = LZSS_HEADER; i < n; i++)
		for (k = 0; k < 8; k++) {
			memcpy(bad, z, n);
			bad[i] ^= (uint8_t)(1u << k);
			rc = unpack_as(bad, n, sizeof(in), in);
			UK_TEST_EXPECT(rc == -EINVAL || rc == -EBADMSG ||
				       rc == 0);
		}
	/* Random garbage after a valid header. */
	for (k = 0; k < 2000; k++) {
		len = 12 + rnd() % 200;
		memcpy(bad, z, 12);
		for (i = 12; i < len; i++)
			bad[i] = (uint8_t)rnd();
		rc = unpack(bad, len, sizeof(in));
		UK_TEST_EXPECT(rc == -EINVAL || rc == -EBADMSG);
	}
}
