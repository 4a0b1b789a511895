/*
 * libFuzzer target for the exporter's request-head parser and for what
 * the server does with a head's Authorization value.  Besides surviving
 * any input under ASan/UBSan, the parser must keep its contract: a
 * verdict is one of complete / need more / a 400, 414 or 431 error; a
 * complete head lies inside the input and the limit, its pointers point
 * into it, and the same head cut one byte short is "need more"; the
 * percent-decoder never grows its input.  The Authorization value of a
 * complete head goes through the basic-auth check (which may accept it
 * only if it carries exactly the configured credentials, as base64 that
 * re-encodes to itself), and the input as a whole through the base64
 * decoder (never more than 3 bytes out per 4 in) and the allow-list
 * parser (a list it accepts holds 1 to 16 entries and matches every
 * address of its first network).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../access.h"
#include "../http.h"

/* "fz:" and the SHA-256 of "pw". */
static const char auth_cfg[] = "fz:30c952fab122c3f9759f02a6d95c3758"
	"b246b4fee239957b2d4fee46e26170c4";

/* Whether v[0..n) is exactly "Basic" SP+ base64("fz:pw") in any case
 * of "Basic": the only value the check may pass. */
static int is_good(const char *v, size_t n)
{
	static const char b64[] = "Zno6cHc=";
	size_t i = 5;

	if (n < 7 || strncasecmp(v, "basic", 5) || v[5] != ' ')
		return 0;
	while (i < n && v[i] == ' ')
		i++;
	return n - i == sizeof(b64) - 1 && !memcmp(v + i, b64, n - i);
}

static void fuzz_access(const char *buf, size_t size,
			const struct uk_prom_http_req *req)
{
	static struct _uk_prom_auth auth;
	struct _uk_prom_allow allow;
	uint8_t out[256];
	char *s;
	int n;

	if (!auth.on && _uk_prom_auth_parse(auth_cfg, &auth))
		abort();
	if (req && req->authz &&
	    _uk_prom_auth_check(&auth, req->authz, req->authz_len) !=
	    is_good(req->authz, req->authz_len))
		abort();
	n = _uk_prom_b64_decode(buf, size, out, sizeof(out));
	if (n != -EINVAL && (n < 0 || (size_t)n > sizeof(out) ||
			     (size_t)n > size / 4 * 3))
		abort();
	s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, buf, size);
	s[size] = '\0';
	if (!_uk_prom_allow_parse(s, &allow) && *s) {
		if (!allow.n || allow.n > _UK_PROM_ALLOW_MAX ||
		    (allow.e[0].net & ~allow.e[0].mask) ||
		    !_uk_prom_allow_match(&allow, allow.e[0].net) ||
		    !_uk_prom_allow_match(&allow, allow.e[0].net |
					  ~allow.e[0].mask))
			abort();
	}
	free(s);
}

static void check_inside(const char *buf, size_t len, const char *p,
			 uint32_t n)
{
	if (p && (p < buf || p + n > buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uk_prom_http_req req, again;
	const char *buf = (const char *)data;
	char *copy;
	int r, d;

	r = uk_prom_http_parse(buf, size, &req);
	fuzz_access(buf, size, r == 1 ? &req : NULL);
	if (r == -EINVAL) {
		if (req.status != 400 && req.status != 414 &&
		    req.status != 431)
			abort();
		return 0;
	}
	if (r == 0)
		return 0;
	if (r != 1 || !req.head_len || req.head_len > size ||
	    req.head_len > UK_PROM_HTTP_HEAD_MAX)
		abort();
	check_inside(buf, size, req.mname, req.mname_len);
	check_inside(buf, size, req.target, req.target_len);
	check_inside(buf, size, req.accept, req.accept_len);
	check_inside(buf, size, req.authz, req.authz_len);
	/* The path lies in the target, or is the constant "/" that an
	 * absolute-form target without a path stands for. */
	if (!req.path)
		abort();
	if (req.path >= buf && req.path < buf + size)
		check_inside(req.target, req.target_len, req.path,
			     req.path_len);
	else if (req.path_len != 1 || req.path[0] != '/')
		abort();
	if (!req.target_len || req.target_len > UK_PROM_HTTP_TARGET_MAX)
		abort();
	if (req.minor >= 1 && !req.has_host)
		abort();
	if (uk_prom_http_parse(buf, req.head_len, &again) != 1 ||
	    again.head_len != req.head_len)
		abort();
	if (uk_prom_http_parse(buf, req.head_len - 1, &again) != 0)
		abort();

	copy = malloc(req.target_len + 1);
	if (!copy)
		return 0;
	memcpy(copy, req.target, req.target_len);
	d = uk_prom_http_pct_decode(copy, req.target_len, copy);
	if (d != -EINVAL && (d < 0 || (uint32_t)d > req.target_len ||
			     (size_t)d != strlen(copy)))
		abort();
	free(copy);
	return 0;
}
