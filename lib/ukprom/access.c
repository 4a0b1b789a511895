/*
 * The exporter's access control (see access.h for the rules): base64
 * decoding, the source-address allow-list (parsed once when the server
 * starts, matched for each accepted connection before anything is read
 * from it) and the basic-authentication check of a request's
 * Authorization value.  The check never exits early on a mismatch: the
 * user is compared over the configured user's length and the password's
 * digest over all 32 bytes, with the differences ORed together, so its
 * time does not tell how much of a guess was right.
 */
#include <errno.h>
#include <string.h>

#include "access.h"

/* ---- base64 ------------------------------------------------------------ */

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* See access.h.  Returns the decoded length or -EINVAL. */
int _uk_prom_b64_decode(const char *src, size_t len, uint8_t *dst,
			size_t cap)
{
	size_t i, o = 0, pad = 0, last;
	uint32_t q;
	int v, j;

	if (len % 4)
		return -EINVAL;
	if (len && src[len - 1] == '=')
		pad = len >= 2 && src[len - 2] == '=' ? 2 : 1;
	if ((len / 4) * 3 - pad > cap)
		return -EINVAL;
	for (i = 0; i < len; i += 4) {
		last = i + 4 == len ? pad : 0;
		q = 0;
		for (j = 0; j < 4; j++) {
			if (j >= 4 - (int)last) {
				q <<= 6;
				continue;
			}
			v = b64_val((unsigned char)src[i + j]);
			if (v < 0)
				return -EINVAL;
			q = q << 6 | (uint32_t)v;
		}
		/* Bits below the last decoded byte must be zero. */
		if ((last == 1 && (q & 0xff)) || (last == 2 && (q & 0xffff)))
			return -EINVAL;
		dst[o++] = (uint8_t)(q >> 16);
		if (last < 2)
			dst[o++] = (uint8_t)(q >> 8);
		if (last < 1)
			dst[o++] = (uint8_t)q;
	}
	return (int)o;
}

/* ---- allow-list ---------------------------------------------------- */

/* Parses a decimal of 1..3 digits (no leading zero) up to max at *p. */
static int dec(const char **p, unsigned int max, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0, n = 0;

	while (*s >= '0' && *s <= '9' && n < 4) {
		v = v * 10 + (unsigned int)(*s - '0');
		s++;
		n++;
	}
	if (!n || n > 3 || v > max || (n > 1 && **p == '0'))
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int one_cidr(const char **p, uint32_t *net, uint32_t *mask)
{
	unsigned int i, oct, bits = 32;
	uint32_t ip = 0;

	for (i = 0; i < 4; i++) {
		if (i && *(*p)++ != '.')
			return -EINVAL;
		if (dec(p, 255, &oct))
			return -EINVAL;
		ip = ip << 8 | oct;
	}
	if (**p == '/') {
		(*p)++;
		if (dec(p, 32, &bits))
			return -EINVAL;
	}
	*mask = bits ? ~(uint32_t)0 << (32 - bits) : 0;
	if (ip & ~*mask)
		return -EINVAL;
	*net = ip;
	return 0;
}

/* See access.h.  Returns 0 or -EINVAL. */
int _uk_prom_allow_parse(const char *s, struct _uk_prom_allow *a)
{
	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return 0;
	for (;;) {
		if (a->n == _UK_PROM_ALLOW_MAX ||
		    one_cidr(&s, &a->e[a->n].net, &a->e[a->n].mask))
			goto bad;
		a->n++;
		if (!*s)
			return 0;
		if (*s++ != ',')
			goto bad;
	}
bad:
	memset(a, 0, sizeof(*a));
	return -EINVAL;
}

/* See access.h.  Returns 1 (allowed) or 0. */
int _uk_prom_allow_match(const struct _uk_prom_allow *a, uint32_t ip)
{
	uint32_t i;

	if (!a->n)
		return 1;
	for (i = 0; i < a->n; i++)
		if ((ip & a->e[i].mask) == a->e[i].net)
			return 1;
	return 0;
}

/* ---- basic authentication ------------------------------------------ */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* See access.h.  Returns 0 or -EINVAL. */
int _uk_prom_auth_parse(const char *s, struct _uk_prom_auth *a)
{
	const char *colon;
	size_t ul, i;
	int hi, lo;

	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return 0;
	colon = strchr(s, ':');
	if (!colon)
		return -EINVAL;
	ul = (size_t)(colon - s);
	if (!ul || ul >= _UK_PROM_USER_MAX || strlen(colon + 1) != 64)
		return -EINVAL;
	for (i = 0; i < ul; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -EINVAL;
	for (i = 0; i < 32; i++) {
		hi = hexval((unsigned char)colon[1 + 2 * i]);
		lo = hexval((unsigned char)colon[2 + 2 * i]);
		if (hi < 0 || lo < 0) {
			memset(a, 0, sizeof(*a));
			return -EINVAL;
		}
		a->pass_sha[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(a->user, s, ul);
	a->user_len = (uint8_t)ul;
	a->on = 1;
	return 0;
}

static int lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* See access.h.  Returns 1 (pass) or 0 (401). */
int _uk_prom_auth_check(const struct _uk_prom_auth *a, const char *v,
			size_t len)
{
	uint8_t cred[(_UK_PROM_AUTHZ_MAX / 4) * 3], sha[32], diff = 0;
	const uint8_t *pass;
	size_t i, p = 5, ulen, plen;
	int n;

	if (!a->on)
		return 1;
	if (!v || len > _UK_PROM_AUTHZ_MAX || len < 6)
		return 0;
	for (i = 0; i < 5; i++)
		if (lower((unsigned char)v[i]) != "basic"[i])
			return 0;
	if (v[p] != ' ')
		return 0;
	while (p < len && v[p] == ' ')
		p++;
	n = _uk_prom_b64_decode(v + p, len - p, cred, sizeof(cred));
	if (n < 0)
		return 0;
	for (ulen = 0; ulen < (size_t)n && cred[ulen] != ':'; ulen++)
		;
	if (ulen == (size_t)n)
		return 0;
	pass = cred + ulen + 1;
	plen = (size_t)n - ulen - 1;
	_uk_prom_sha256(pass, plen, sha);
	diff |= (uint8_t)(ulen != a->user_len);
	for (i = 0; i < a->user_len; i++)
		diff |= (uint8_t)a->user[i] ^ (i < ulen ? cred[i] : 0);
	for (i = 0; i < 32; i++)
		diff |= sha[i] ^ a->pass_sha[i];
	return diff == 0;
}
