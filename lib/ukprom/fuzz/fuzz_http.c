/*
 * libFuzzer target for the exporter's request-head parser.  Besides
 * surviving any input under ASan/UBSan, the parser must keep its
 * contract: a verdict is one of complete / need more / a 400, 414 or 431
 * error; a complete head lies inside the input and the limit, its
 * pointers point into it, and the same head cut one byte short is "need
 * more"; the percent-decoder never grows its input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../http.h"

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
