/*
 * Private to push.c and its tests: the pure parts of a push's set-up
 * (the URL, the Pushgateway path and its grouping key), exposed so that
 * test_push.c can pin them with goldens.  Errors are 0 or a negative
 * errno; *why then says what is wrong, in words.
 */
#ifndef UK_PROM_PUSH_IMPL_H
#define UK_PROM_PUSH_IMPL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Splits url ("[http://]HOST:PORT/PATH") into addr (16 bytes: an IPv4
 * address as text, checked later by the socket layer), port (1..65535)
 * and *path (inside url, starting with '/').  Returns 0 or -EINVAL.
 */
int _uk_prom_push_parse_url(const char *url, char *addr, uint16_t *port,
			    const char **path, const char **why);
/*
 * Checks a Pushgateway path, "/metrics/job/<job>" then label/value
 * pairs, visible ASCII.  Returns 1 when a pair sets the instance label,
 * 0 when none does, -EINVAL when malformed.
 */
int _uk_prom_push_check_path(const char *path, const char **why);
/*
 * Appends "/<name>/<value>" to the string in out (size bytes), the value
 * percent-escaped (bytes other than A-Z a-z 0-9 - . _ ~), or, when it is
 * empty or holds a '/', as "/<name>@base64/<base64url>" ("=" for the
 * empty value).  Returns 0 or -ENAMETOOLONG (out then holds a partial
 * string).
 */
int _uk_prom_push_add_label(char *out, size_t size, const char *name,
			    const char *value);
/*
 * The request target: path, checked, plus the instance label unless
 * path sets one or instance is NULL.  Returns 0, -EINVAL or
 * -ENAMETOOLONG.
 */
int _uk_prom_push_target(const char *path, const char *instance, char *out,
			 size_t size, const char **why);

#endif /* UK_PROM_PUSH_IMPL_H */
