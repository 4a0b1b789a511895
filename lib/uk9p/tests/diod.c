/*
 * Starting and stopping diod for the host tests (see diod.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diod.h"

#define TMPFS_MAGIC_ 0x01021994

/* Makes d->base: 0 or -1. */
static int make_base(struct diod *d, const char *name, int prefer_shm)
{
	struct statfs sf;

	if (prefer_shm && !statfs("/dev/shm", &sf) &&
	    sf.f_type == TMPFS_MAGIC_) {
		snprintf(d->base, sizeof(d->base), "/dev/shm/%s-XXXXXX", name);
		if (mkdtemp(d->base))
			return 0;
	}
	snprintf(d->base, sizeof(d->base), "/tmp/%s-XXXXXX", name);
	if (mkdtemp(d->base))
		return 0;
	d->base[0] = '\0';
	return -1;
}

/* The child: diod on fd, from inside the temporary folder. */
static void exec_diod(struct diod *d, int fd, const char *log)
{
	/* diod sometimes crashes as its socket closes under it at the
	 * end; its core (hundreds of MB) must not land in the tree: no
	 * core by default, and a relative core pattern puts one in the
	 * temporary folder, removed at exit.  (A hard limit of 0 makes
	 * diod refuse the session.) */
	struct rlimit core;
	char fdarg[16];

	if (!getrlimit(RLIMIT_CORE, &core)) {
		core.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &core);
	}
	if (chdir(d->base))
		_exit(126);
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	execlp("diod", "diod", "-f", "-n", "-N", "-c", "/dev/null", "-L",
	       log, "-r", fdarg, "-w", fdarg, "-e", d->dir, (char *)NULL);
	execl("/usr/sbin/diod", "diod", "-f", "-n", "-N", "-c", "/dev/null",
	      "-L", log, "-r", fdarg, "-w", fdarg, "-e", d->dir, (char *)NULL);
	_exit(127);
}

/* See diod.h. */
int diod_start(struct diod *d, const char *name, int prefer_shm)
{
	char log[128];
	int sv[2];

	d->pid = 0;
	d->sock = -1;
	if (make_base(d, name, prefer_shm))
		return -1;
	snprintf(d->dir, sizeof(d->dir), "%s/export", d->base);
	snprintf(log, sizeof(log), "%s/diod.log", d->base);
	if (mkdir(d->dir, 0755) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	d->pid = fork();
	if (d->pid == 0)
		exec_diod(d, dup(sv[1]) /* without CLOEXEC */, log);
	close(sv[1]);
	if (d->pid < 0) {
		close(sv[0]);
		return -1;
	}
	d->sock = sv[0];
	return 0;
}

/* See diod.h. */
void diod_stop(struct diod *d)
{
	char cmd[128];

	if (d->sock >= 0)
		close(d->sock);
	d->sock = -1;
	if (d->pid > 0) {
		int st;

		if (waitpid(d->pid, &st, WNOHANG) == 0) {
			usleep(200000);
			if (waitpid(d->pid, &st, WNOHANG) == 0) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &st, 0);
			}
		}
	}
	d->pid = 0;
	if (d->base[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->base);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", d->base);
		d->base[0] = '\0';
	}
}
