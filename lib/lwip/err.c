/*
 * The one place where lwIP's err_t becomes a negative errno.  lwIP's
 * error numbers are a fixed, documented enumeration (ERR_OK 0 down to
 * ERR_ARG -16), so the table is indexed by -err and needs no lwIP header;
 * sys_arch.c checks at build time that lwIP's enumeration still matches.
 */
#include <errno.h>

#include <uk/lwip.h>

/* Indexed by -err: ERR_OK, ERR_MEM, ERR_BUF, ... ERR_ARG. */
static const int err_errno[] = {
	0,              /* ERR_OK          0  no error */
	ENOMEM,         /* ERR_MEM        -1  out of memory */
	ENOBUFS,        /* ERR_BUF        -2  buffer error */
	ETIMEDOUT,      /* ERR_TIMEOUT    -3  timeout */
	EHOSTUNREACH,   /* ERR_RTE        -4  routing problem */
	EINPROGRESS,    /* ERR_INPROGRESS -5  operation in progress */
	EINVAL,         /* ERR_VAL        -6  illegal value */
	EWOULDBLOCK,    /* ERR_WOULDBLOCK -7  operation would block */
	EADDRINUSE,     /* ERR_USE        -8  address in use */
	EALREADY,       /* ERR_ALREADY    -9  already connecting */
	EISCONN,        /* ERR_ISCONN    -10  already connected */
	ENOTCONN,       /* ERR_CONN      -11  not connected */
	EIO,            /* ERR_IF        -12  low-level netif error */
	ECONNABORTED,   /* ERR_ABRT      -13  connection aborted */
	ECONNRESET,     /* ERR_RST       -14  connection reset */
	ENOTCONN,       /* ERR_CLSD      -15  connection closed */
	EINVAL,         /* ERR_ARG       -16  illegal argument */
};

/* Returns 0 for ERR_OK, the matching -errno, or -EIO for anything else. */
int uk_lwip_err_to_errno(int err)
{
	unsigned int i;

	if (err > 0)
		return -EIO;
	i = (unsigned int)-err;
	if (i >= sizeof(err_errno) / sizeof(err_errno[0]))
		return -EIO;
	return -err_errno[i];
}
