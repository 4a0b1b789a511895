/*
 * The exporter's access control (private to the exporter; pure code, no
 * I/O, no allocation, so unit tests and the fuzzer drive it directly):
 *
 * - a source-address allow-list, parsed from "CIDR[,CIDR...]" (IPv4,
 *   "a.b.c.d/n" or a bare "a.b.c.d" for /32; at most
 *   _UK_PROM_ALLOW_MAX entries; an empty list allows everyone);
 * - HTTP basic authentication (RFC 7617) against one user, configured
 *   as "user:sha256hex" (the SHA-256 of the password, 64 hex digits), so
 *   the password itself is never on the command line.  A request's
 *   Authorization value is "Basic" (any case), spaces, then the base64
 *   of "user:password"; the user must match exactly and the password's
 *   SHA-256 must equal the configured one, both compared in constant
 *   time (the time taken depends on the lengths only).
 *
 * SHA-256 (FIPS 180-4) and base64 (RFC 4648, the standard alphabet with
 * padding) are written here rather than borrowed, and tested against the
 * standard's vectors and against coreutils.
 */
#ifndef UK_PROM_ACCESS_H
#define UK_PROM_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#define _UK_PROM_ALLOW_MAX 16
#define _UK_PROM_USER_MAX 64
/* Longest Authorization value looked at: base64 of a user and a
 * password of up to 255 bytes, with the scheme. */
#define _UK_PROM_AUTHZ_MAX 448

/* ---- SHA-256 (sha256.c) ------------------------------------------- */

struct _uk_prom_sha256 {
	uint32_t h[8];
	uint64_t len;           /* bytes hashed so far */
	uint8_t buf[64];
	uint32_t nbuf;
};

void _uk_prom_sha256_init(struct _uk_prom_sha256 *c);
void _uk_prom_sha256_update(struct _uk_prom_sha256 *c, const void *p,
			    size_t n);
void _uk_prom_sha256_final(struct _uk_prom_sha256 *c, uint8_t out[32]);
/* The digest of p[0..n) in one call. */
void _uk_prom_sha256(const void *p, size_t n, uint8_t out[32]);

/* ---- base64 --------------------------------------------------------- */

/*
 * Decodes src[0..len) (standard alphabet, '=' padding required, no
 * whitespace) into dst, which holds cap bytes.  Returns the decoded
 * length, or -EINVAL for malformed input (a bad character, a length
 * that is not a multiple of 4, padding anywhere but at the end, or
 * non-zero bits in the padding) or when the result exceeds cap.
 */
int _uk_prom_b64_decode(const char *src, size_t len, uint8_t *dst,
			size_t cap);

/* ---- allow-list ------------------------------------------------------ */

struct _uk_prom_allow {
	uint32_t n;             /* 0: everyone is allowed */
	struct {
		uint32_t net;   /* host byte order, host bits zero */
		uint32_t mask;
	} e[_UK_PROM_ALLOW_MAX];
};

/*
 * Parses "CIDR[,CIDR...]" into *a (NULL or "" gives the empty list).  A
 * network with host bits set ("10.0.0.1/8") is refused, as a likely
 * typo.  Returns 0, or -EINVAL (then *a is the empty list).
 */
int _uk_prom_allow_parse(const char *s, struct _uk_prom_allow *a);
/* Whether the IPv4 address ip (host byte order) may connect. */
int _uk_prom_allow_match(const struct _uk_prom_allow *a, uint32_t ip);

/* ---- basic authentication ------------------------------------------ */

struct _uk_prom_auth {
	uint8_t on;
	uint8_t user_len;
	char user[_UK_PROM_USER_MAX];
	uint8_t pass_sha[32];
};

/*
 * Parses "user:sha256hex" into *a (NULL or "" turns authentication
 * off).  The user is 1 to _UK_PROM_USER_MAX - 1 bytes without ':' or
 * control bytes; the digest is 64 hex digits in either case.  Returns
 * 0, or -EINVAL (then authentication is off).
 */
int _uk_prom_auth_parse(const char *s, struct _uk_prom_auth *a);
/*
 * Checks an Authorization field value (v[0..len), or NULL when the
 * request had none) against *a.  Returns 1 when the request may pass
 * (also whenever authentication is off), 0 when it must get 401.
 */
int _uk_prom_auth_check(const struct _uk_prom_auth *a, const char *v,
			size_t len);

#endif /* UK_PROM_ACCESS_H */
