/*
 * Debian's diod, the real 9P2000.L server the host tests run against:
 * started on a socket pair, exporting a fresh temporary folder, and
 * stopped (its folder removed) at the end.  Shared by uk9p's client test
 * and 9pfs's file-system test.
 */
#ifndef DIOD_H
#define DIOD_H

#include <sys/types.h>

struct diod {
	pid_t pid;            /* 0: not started */
	int sock;             /* our end of the socket pair, or -1 */
	char base[64];        /* the temporary folder */
	char dir[96];         /* base/export, the exported folder */
};

/*
 * Makes a temporary folder named name-XXXXXX, in /dev/shm when prefer_shm
 * and that is a tmpfs, else in /tmp, and starts diod exporting its
 * "export" folder over a socket pair (our end in d->sock).  Returns 0, or
 * -1 (d is then still safe to give diod_stop()).
 */
int diod_start(struct diod *d, const char *name, int prefer_shm);

/* Closes the socket (which ends diod; a stuck one is killed), waits for
 * diod and removes the temporary folder.  Safe on a half-started d. */
void diod_stop(struct diod *d);

#endif
