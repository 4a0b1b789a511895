/*
 * String and memory functions.  They are simple loops (memcpy and memset
 * move 8-byte words, memcpy's stores aligned and its loads as they come:
 * x86 loads any alignment, and under TCG a byte loop costs eight times
 * the block runs; a scrape copies its body through it into the socket's
 * and the device's buffers, at offsets that rarely agree with the
 * source's), and simple code is easy to prove against glibc (tests/).
 * gcc would turn the loops of memcpy, memset and friends back into calls
 * to themselves, so those are built without loop-pattern distribution.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
#define _NO_LOOP_CALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define _NO_LOOP_CALLS
#endif

/* Copies n bytes (no overlap); returns dst. */
_NO_LOOP_CALLS void *memcpy(void *restrict dst, const void *restrict src,
			    size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies, the stores aligned; __builtin_memcpy of 8 bytes is
	 * one load of any alignment where the CPU allows it (x86). */
	if (n >= 16) {
		while ((uintptr_t)d & 7) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			__builtin_memcpy(d, s, 8);
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* Copies n bytes, regions may overlap; returns dst. */
_NO_LOOP_CALLS void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || !n)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* dst below src, or no overlap: forwards is safe. */
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

/* Fills n bytes with (unsigned char)c; returns dst. */
_NO_LOOP_CALLS void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = 0x0101010101010101ULL * (unsigned char)c;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		__builtin_memcpy(d, &w, 8);
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Returns <0, 0, >0 comparing the first n bytes as unsigned char. */
_NO_LOOP_CALLS int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* The first byte equal to (unsigned char)c in n bytes, or NULL. */
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* The last byte equal to (unsigned char)c in n bytes, or NULL. */
void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;

	while (n--)
		if (*--p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* memcpy returning dst + n. */
void *mempcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return (char *)memcpy(dst, src, n) + n;
}

/* Length of s. */
_NO_LOOP_CALLS size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/* Length of s, at most max. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* <0, 0, >0 comparing as unsigned char. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

/* strcmp over at most n bytes. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			return 0;
	}
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* strcmp ignoring ASCII case; the result compares lower-cased bytes. */
int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

/* strcasecmp over at most n bytes. */
int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	for (; n; n--, x++, y++) {
		int cx = lower(*x), cy = lower(*y);

		if (cx != cy)
			return cx - cy;
		if (!cx)
			return 0;
	}
	return 0;
}

/* The first (unsigned char)c in s (c may be 0: the terminator), or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* The last (char)c in s (c may be 0), or NULL. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* The first occurrence of needle in hay (hay itself for ""), or NULL. */
char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return (char *)hay;
	for (; *hay; hay++)
		if (*hay == *needle && !strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

/* strstr comparing ASCII letters without case. */
char *strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (;; hay++) {
		if (!strncasecmp(hay, needle, n))
			return (char *)hay;
		if (!*hay)
			return NULL;
	}
}

/* The first occurrence of needle in hay (hay for nlen 0), or NULL. */
void *memmem(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
	const char *h = hay;
	size_t i;

	if (!nlen)
		return (void *)h;
	for (i = 0; i + nlen <= hlen; i++)
		if (h[i] == *(const char *)needle && !memcmp(h + i, needle, nlen))
			return (void *)(h + i);
	return NULL;
}

/* Copies src with its terminator; returns dst. */
char *strcpy(char *restrict dst, const char *restrict src)
{
	stpcpy(dst, src);
	return dst;
}

/* Copies src; returns a pointer to dst's new terminator. */
char *stpcpy(char *restrict dst, const char *restrict src)
{
	while ((*dst = *src)) {
		dst++;
		src++;
	}
	return dst;
}

/* Copies at most n bytes of src, zero-filling the rest of n; returns dst. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

/* Appends src to dst; returns dst. */
char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Appends at most n bytes of src and a terminator; returns dst. */
char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = 0;
	return dst;
}

/*
 * Copies src into dst of size bytes, always terminated when size > 0;
 * returns strlen(src) (truncation happened if that is >= size).
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

/* Length of the prefix of s made of bytes in accept. */
size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

/* Length of the prefix of s made of bytes not in reject. */
size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

/* The first byte of s that is in accept, or NULL. */
char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

/*
 * Splits s into tokens separated by bytes of delim; *save keeps the
 * position between calls (s NULL continues).  Returns a token or NULL.
 */
char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict save)
{
	char *end;

	if (!s)
		s = *save;
	s += strspn(s, delim);
	if (!*s) {
		*save = s;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = 0;
	*save = end;
	return s;
}

/*
 * Returns *sp and cuts it at the first byte of delim, setting *sp past
 * the cut (NULL when there was none).  Returns NULL once *sp is NULL.
 */
char *strsep(char **restrict sp, const char *restrict delim)
{
	char *s = *sp, *e;

	if (!s)
		return NULL;
	e = s + strcspn(s, delim);
	if (*e) {
		*e = 0;
		*sp = e + 1;
	} else {
		*sp = NULL;
	}
	return s;
}

/* A malloc()ed copy of s, or NULL. */
char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}

/* A malloc()ed copy of at most n bytes of s, terminated, or NULL. */
char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

static const struct {
	int num;
	const char *text;
} errtext[] = {
	{ 0, "Success" },
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ ESRCH, "No such process" },
	{ EINTR, "Interrupted system call" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ EBADF, "Bad file descriptor" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ ENFILE, "Too many open files in system" },
	{ EMFILE, "Too many open files" },
	{ ENOTTY, "Inappropriate ioctl for device" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ ESPIPE, "Illegal seek" },
	{ EROFS, "Read-only file system" },
	{ EPIPE, "Broken pipe" },
	{ EDOM, "Numerical argument out of domain" },
	{ ERANGE, "Numerical result out of range" },
	{ EDEADLK, "Resource deadlock avoided" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOSYS, "Function not implemented" },
	{ ENOTEMPTY, "Directory not empty" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ ENODATA, "No data available" },
	{ ETIME, "Timer expired" },
	{ EPROTO, "Protocol error" },
	{ EBADMSG, "Bad message" },
	{ EOVERFLOW, "Value too large for defined data type" },
	{ EILSEQ, "Invalid or incomplete multibyte or wide character" },
	{ ENOTSOCK, "Socket operation on non-socket" },
	{ EDESTADDRREQ, "Destination address required" },
	{ EMSGSIZE, "Message too long" },
	{ EPROTOTYPE, "Protocol wrong type for socket" },
	{ ENOPROTOOPT, "Protocol not available" },
	{ EPROTONOSUPPORT, "Protocol not supported" },
	{ EOPNOTSUPP, "Operation not supported" },
	{ EAFNOSUPPORT, "Address family not supported by protocol" },
	{ EADDRINUSE, "Address already in use" },
	{ EADDRNOTAVAIL, "Cannot assign requested address" },
	{ ENETDOWN, "Network is down" },
	{ ENETUNREACH, "Network is unreachable" },
	{ ENETRESET, "Network dropped connection on reset" },
	{ ECONNABORTED, "Software caused connection abort" },
	{ ECONNRESET, "Connection reset by peer" },
	{ ENOBUFS, "No buffer space available" },
	{ EISCONN, "Transport endpoint is already connected" },
	{ ENOTCONN, "Transport endpoint is not connected" },
	{ ESHUTDOWN, "Cannot send after transport endpoint shutdown" },
	{ ETIMEDOUT, "Connection timed out" },
	{ ECONNREFUSED, "Connection refused" },
	{ EHOSTDOWN, "Host is down" },
	{ EHOSTUNREACH, "No route to host" },
	{ EALREADY, "Operation already in progress" },
	{ EINPROGRESS, "Operation now in progress" },
	{ ECANCELED, "Operation canceled" },
};

/* Constant text for errnum; "Unknown error" if nolibc has none. */
char *strerror(int errnum)
{
	size_t i;

	for (i = 0; i < sizeof(errtext) / sizeof(errtext[0]); i++)
		if (errtext[i].num == errnum)
			return (char *)errtext[i].text;
	return (char *)"Unknown error";
}
