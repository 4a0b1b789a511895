/*
 * Tests of the exporter's access control primitives (access.c,
 * sha256.c), pure code driven directly: SHA-256 against the FIPS 180-2
 * examples (one block, two blocks, a million 'a' fed in uneven pieces)
 * and the padding boundaries (digests from sha256sum), base64 against
 * RFC 4648's vectors and malformed input, allow-lists (parsing,
 * matching, typos refused) and
 * basic authentication (parsing the setting, checking Authorization
 * values).  lib/ukprom/tests/access_coreutils.sh compares SHA-256 and
 * base64 with sha256sum and base64 on random inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uk/test.h>

#include "../access.h"

static const char *hex(const uint8_t d[32])
{
	static char s[65];
	int i;

	for (i = 0; i < 32; i++)
		sprintf(s + 2 * i, "%02x", d[i]);
	return s;
}

static const char *sha_hex(const char *msg, size_t n)
{
	uint8_t d[32];

	_uk_prom_sha256(msg, n, d);
	return hex(d);
}

UK_TEST(sha256_fips_examples)
{
	struct _uk_prom_sha256 c;
	static char a[1000];
	uint8_t d[32];
	size_t left, k, step = 1;

	UK_TEST_STREQ(sha_hex("abc", 3),
		      "ba7816bf8f01cfea414140de5dae2223"
		      "b00361a396177a9cb410ff61f20015ad");
	UK_TEST_STREQ(sha_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
			      "lmnomnopnopq", 56),
		      "248d6a61d20638b8e5c026930c3e6039"
		      "a33ce45964ff2167f6ecedd419db06c1");
	UK_TEST_STREQ(sha_hex("", 0),
		      "e3b0c44298fc1c149afbf4c8996fb924"
		      "27ae41e4649b934ca495991b7852b855");
	UK_TEST_STREQ(sha_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijkl"
			      "mghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
			      "rsmnopqrstnopqrstu", 112),
		      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51"
		      "afac45037afee9d1");
	/* One million 'a', in pieces of growing odd sizes. */
	memset(a, 'a', sizeof(a));
	_uk_prom_sha256_init(&c);
	for (left = 1000000; left; left -= k) {
		k = step < left ? step : left;
		if (k > sizeof(a))
			k = sizeof(a);
		_uk_prom_sha256_update(&c, a, k);
		step = step * 3 + 1;
	}
	_uk_prom_sha256_final(&c, d);
	UK_TEST_STREQ(hex(d), "cdc76e5c9914fb9281a1c7e284d73e67"
		      "f1809a48a497200e046d39ccc7112cd0");
}

/* Messages around the padding boundaries (55, 56, 63, 64 bytes): the
 * same digest whether fed whole or byte by byte. */
UK_TEST(sha256_pieces_match_whole)
{
	char msg[130];
	uint8_t whole[32], parts[32];
	struct _uk_prom_sha256 c;
	size_t n, i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)(i * 7 + 3);
	for (n = 0; n <= sizeof(msg); n++) {
		_uk_prom_sha256(msg, n, whole);
		_uk_prom_sha256_init(&c);
		for (i = 0; i < n; i++)
			_uk_prom_sha256_update(&c, msg + i, 1);
		_uk_prom_sha256_final(&c, parts);
		UK_TEST_ASSERT(!memcmp(whole, parts, 32));
	}
	/* 55 and 56 bytes straddle the one-block padding limit. */
	memset(msg, 'a', sizeof(msg));
	UK_TEST_STREQ(sha_hex(msg, 55), "9f4390f8d30c2dd92ec9f095b65e2b9a"
		      "e9b0a925a5258e241c9f1e910f734318");
	UK_TEST_STREQ(sha_hex(msg, 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		      "590ce20f1bde7090ef7970686ec6738a");
}

static int b64(const char *s, char *out, size_t cap)
{
	int n = _uk_prom_b64_decode(s, strlen(s), (uint8_t *)out, cap);

	if (n >= 0)
		out[n] = '\0';
	return n;
}

UK_TEST(base64_rfc4648_vectors)
{
	static const char *const v[][2] = {
		{ "", "" }, { "Zg==", "f" }, { "Zm8=", "fo" },
		{ "Zm9v", "foo" }, { "Zm9vYg==", "foob" },
		{ "Zm9vYmE=", "fooba" }, { "Zm9vYmFy", "foobar" },
		{ "dXNlcjpwYXNz", "user:pass" },
		{ "Pz8/Pj4+", "?\?\?>>>" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		UK_TEST_EQ(b64(v[i][0], out, sizeof(out) - 1),
			   (int)strlen(v[i][1]));
		UK_TEST_STREQ(out, v[i][1]);
	}
}

UK_TEST(base64_malformed)
{
	static const char *const bad[] = {
		"Zg", "Zg=", "Zm9", "Z===", "====", "Zg==Zg==", "Zm=v",
		"Zm9v\n", " Zm9v", "Zm9v Zm9v", "Zm-v", "Zm_v", "Zh==",
		"Zm9=", "Zm9vYmE", "=Zm9",
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (b64(bad[i], out, sizeof(out) - 1) != -EINVAL)
			uk_test_log("accepted \"%s\"\n", bad[i]);
		UK_TEST_EQ(b64(bad[i], out, sizeof(out) - 1), -EINVAL);
	}
	/* A result larger than the room is refused. */
	UK_TEST_EQ(b64("Zm9vYmFy", out, 5), -EINVAL);
	UK_TEST_EQ(b64("Zm9vYmFy", out, 6), 6);
}

static uint32_t ip(unsigned int a, unsigned int b, unsigned int c,
		   unsigned int d)
{
	return (uint32_t)a << 24 | b << 16 | c << 8 | d;
}

UK_TEST(allow_parse_and_match)
{
	struct _uk_prom_allow a;

	UK_TEST_EQ(_uk_prom_allow_parse(NULL, &a), 0);
	UK_TEST_EQ(a.n, 0);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(1, 2, 3, 4)));
	UK_TEST_EQ(_uk_prom_allow_parse("", &a), 0);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(1, 2, 3, 4)));

	UK_TEST_EQ(_uk_prom_allow_parse("10.0.2.2", &a), 0);
	UK_TEST_EQ(a.n, 1);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(10, 0, 2, 2)));
	UK_TEST_EXPECT(!_uk_prom_allow_match(&a, ip(10, 0, 2, 3)));

	UK_TEST_EQ(_uk_prom_allow_parse("127.0.0.0/8,192.168.1.0/24,"
					"10.0.2.2/32,0.0.0.0/0", &a), 0);
	UK_TEST_EQ(a.n, 4);
	UK_TEST_EQ(_uk_prom_allow_parse("127.0.0.0/8,192.168.1.128/25",
					&a), 0);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(127, 255, 0, 1)));
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(192, 168, 1, 200)));
	UK_TEST_EXPECT(!_uk_prom_allow_match(&a, ip(192, 168, 1, 127)));
	UK_TEST_EXPECT(!_uk_prom_allow_match(&a, ip(128, 0, 0, 1)));
	UK_TEST_EXPECT(!_uk_prom_allow_match(&a, ip(126, 255, 255, 255)));
	UK_TEST_EQ(_uk_prom_allow_parse("0.0.0.0/0", &a), 0);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(255, 255, 255, 255)));
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, 0));
	UK_TEST_EQ(_uk_prom_allow_parse("255.255.255.255/32", &a), 0);
	UK_TEST_EXPECT(_uk_prom_allow_match(&a, ip(255, 255, 255, 255)));
	UK_TEST_EXPECT(!_uk_prom_allow_match(&a, ip(255, 255, 255, 254)));
}

UK_TEST(allow_refuses_typos)
{
	static const char *const bad[] = {
		"10.0.0.1/8",      /* host bits set */
		"10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "10.0.0.0.0",
		"256.0.0.0", "10.0.0.0/08", "010.0.0.0", "1.2.3.4,",
		",1.2.3.4", "1.2.3.4,,5.6.7.8", "1.2.3.4 ", " 1.2.3.4",
		"1.2.3.4/24/1", "a.b.c.d", "1.2.3.-4", "1.2.3.4/-1",
		"1234.1.1.1", "::1",
		"1.0.0.0,2.0.0.0,3.0.0.0,4.0.0.0,5.0.0.0,6.0.0.0,7.0.0.0,"
		"8.0.0.0,9.0.0.0,10.0.0.0,11.0.0.0,12.0.0.0,13.0.0.0,14.0.0.0,"
		"15.0.0.0,16.0.0.0,17.0.0.0",  /* 17 entries */
	};
	struct _uk_prom_allow a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (_uk_prom_allow_parse(bad[i], &a) != -EINVAL)
			uk_test_log("accepted \"%s\"\n", bad[i]);
		UK_TEST_EQ(_uk_prom_allow_parse(bad[i], &a), -EINVAL);
		/* A refused list is empty, never half-filled. */
		UK_TEST_EQ(a.n, 0);
	}
}

/* 64 hex digits: the shape of a setting's digest. */
#define HEX64 "c4bb0a8c3a0d6f18d8f0c74e8a5f7a2a5a3a1ae6d7ab4e7cbb5de9c3f9e1ba04"

static char cfg[128];

/* "user:<sha256 of pass>" */
static const char *setting(const char *user, const char *pass)
{
	uint8_t d[32];

	_uk_prom_sha256(pass, strlen(pass), d);
	snprintf(cfg, sizeof(cfg), "%s:%s", user, hex(d));
	return cfg;
}

static int check(const struct _uk_prom_auth *a, const char *v)
{
	return _uk_prom_auth_check(a, v, v ? strlen(v) : 0);
}

UK_TEST(auth_parse)
{
	struct _uk_prom_auth a;
	char upper[128];
	size_t i;

	UK_TEST_EQ(_uk_prom_auth_parse(NULL, &a), 0);
	UK_TEST_EQ(a.on, 0);
	UK_TEST_EQ(_uk_prom_auth_parse("", &a), 0);
	UK_TEST_EQ(a.on, 0);
	UK_TEST_EQ(_uk_prom_auth_parse(setting("prom", "s3cret"), &a), 0);
	UK_TEST_EQ(a.on, 1);
	UK_TEST_EQ(a.user_len, 4);
	UK_TEST_EXPECT(!memcmp(a.user, "prom", 4));
	/* Upper-case hex reads the same. */
	strcpy(upper, setting("prom", "s3cret"));
	for (i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	UK_TEST_EQ(_uk_prom_auth_parse(upper, &a), 0);
	UK_TEST_EXPECT(check(&a, "Basic cHJvbTpzM2NyZXQ="));

	UK_TEST_EQ(_uk_prom_auth_parse("prom", &a), -EINVAL);
	UK_TEST_EQ(a.on, 0);
	UK_TEST_EQ(_uk_prom_auth_parse("prom:", &a), -EINVAL);
	UK_TEST_EQ(_uk_prom_auth_parse("prom:abcd", &a), -EINVAL);
	UK_TEST_EQ(_uk_prom_auth_parse(":" HEX64, &a), -EINVAL);
	UK_TEST_EQ(_uk_prom_auth_parse("prom:" HEX64 "0", &a), -EINVAL);
	UK_TEST_EQ(_uk_prom_auth_parse("prom:g" HEX64 + 1, &a), -EINVAL);
	UK_TEST_EQ(_uk_prom_auth_parse("pr\tom:" HEX64, &a), -EINVAL);
	UK_TEST_EQ(a.on, 0);
	/* The first ':' ends the user, as in the header: no ':' in it. */
	UK_TEST_EQ(_uk_prom_auth_parse("a:b:" HEX64, &a), -EINVAL);
}

UK_TEST(auth_check)
{
	struct _uk_prom_auth a, off;

	UK_TEST_EQ(_uk_prom_auth_parse(NULL, &off), 0);
	UK_TEST_EXPECT(check(&off, NULL));
	UK_TEST_EXPECT(check(&off, "garbage"));

	UK_TEST_EQ(_uk_prom_auth_parse(setting("prom", "s3cret"), &a), 0);
	/* prom:s3cret */
	UK_TEST_EXPECT(check(&a, "Basic cHJvbTpzM2NyZXQ="));
	UK_TEST_EXPECT(check(&a, "basic cHJvbTpzM2NyZXQ="));
	UK_TEST_EXPECT(check(&a, "BASIC   cHJvbTpzM2NyZXQ="));
	UK_TEST_EXPECT(!check(&a, NULL));
	UK_TEST_EXPECT(!check(&a, ""));
	UK_TEST_EXPECT(!check(&a, "Basic"));
	UK_TEST_EXPECT(!check(&a, "Basic "));
	UK_TEST_EXPECT(!check(&a, "Basiccm9vdDpzM2NyZXQ="));
	UK_TEST_EXPECT(!check(&a, "Bearer cHJvbTpzM2NyZXQ="));
	UK_TEST_EXPECT(!check(&a, "Basic\tcHJvbTpzM2NyZXQ="));
	/* prom:s3cres, prom:s3cret2, prom:, Prom:s3cret, pro:s3cret,
	 * promm:s3cret, prom (no colon), :s3cret */
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbTpzM2NyZXM="));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbTpzM2NyZXQy"));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbTo="));
	UK_TEST_EXPECT(!check(&a, "Basic UHJvbTpzM2NyZXQ="));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvOnMzY3JldA=="));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbW06czNjcmV0"));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbQ=="));
	UK_TEST_EXPECT(!check(&a, "Basic OnMzY3JldA=="));
	/* Malformed base64 of the right credentials. */
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbTpzM2NyZXQ"));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbTpzM2NyZXQ=x"));

	/* The password may hold ':' and any byte; the user ends at the
	 * first ':'.  "prom:a:b" */
	UK_TEST_EQ(_uk_prom_auth_parse(setting("prom", "a:b"), &a), 0);
	UK_TEST_EXPECT(check(&a, "Basic cHJvbTphOmI="));
	/* An empty password is a password. */
	UK_TEST_EQ(_uk_prom_auth_parse(setting("prom", ""), &a), 0);
	UK_TEST_EXPECT(check(&a, "Basic cHJvbTo="));
	UK_TEST_EXPECT(!check(&a, "Basic cHJvbQ=="));
}

/* Values longer than any credentials the check decodes are refused
 * without reading past them. */
UK_TEST(auth_check_long_values)
{
	static char v[_UK_PROM_AUTHZ_MAX + 16];
	struct _uk_prom_auth a;
	size_t n;

	UK_TEST_EQ(_uk_prom_auth_parse(setting("u", "p"), &a), 0);
	memcpy(v, "Basic ", 6);
	for (n = 6; n < sizeof(v) - 1; n++)
		v[n] = 'A';
	v[n] = '\0';
	for (n = 6; n < sizeof(v); n += 4)
		UK_TEST_EXPECT(!_uk_prom_auth_check(&a, v, n));
}
