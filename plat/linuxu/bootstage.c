/*
 * The boot timeline on linuxu (uk/plat/bootstage.h): a process has no
 * boot, so stage 0 ("start") is the first stage recorded or read, and
 * times are CLOCK_MONOTONIC since then.  Nothing is printed (linuxu has
 * no boot options); the listener is told of each stage, so the
 * publishers above run in unit tests as in the VM.  Stages come from
 * several threads in the tests: a mutex guards the table (the listener
 * is called outside it).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <uk/plat/bootstage.h>

struct stage {
	char name[UK_PLAT_BOOT_STAGE_NAME_MAX + 1];
	uint64_t ns;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stage stages[UK_PLAT_BOOT_STAGES_MAX];
static unsigned int nstages, nnotified;
static uint64_t start_ns;
static uk_plat_boot_stage_fn listener;
static void *listener_arg;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Stage 0 on first use; the lock is held. */
static void start_locked(void)
{
	if (nstages)
		return;
	start_ns = now_ns();
	strcpy(stages[0].name, "start");
	stages[0].ns = 0;
	nstages = 1;
}

/* Tells the listener of the stages it has not heard of. */
static void notify_pending(void)
{
	uk_plat_boot_stage_fn fn;
	unsigned int i;
	void *arg;

	for (;;) {
		pthread_mutex_lock(&lock);
		fn = listener;
		arg = listener_arg;
		if (!fn || nnotified >= nstages) {
			pthread_mutex_unlock(&lock);
			return;
		}
		i = nnotified++;
		pthread_mutex_unlock(&lock);
		fn(i, arg);
	}
}

/* Records stage name now (once per name). */
void uk_plat_boot_stage(const char *name)
{
	uint64_t now = now_ns();
	unsigned int i;

	if (!name || !name[0])
		return;
	pthread_mutex_lock(&lock);
	start_locked();
	for (i = 0; i < nstages; i++)
		if (!strncmp(stages[i].name, name,
			     UK_PLAT_BOOT_STAGE_NAME_MAX))
			break;
	if (i < nstages || nstages == UK_PLAT_BOOT_STAGES_MAX) {
		pthread_mutex_unlock(&lock);
		return;
	}
	strncpy(stages[nstages].name, name, UK_PLAT_BOOT_STAGE_NAME_MAX);
	stages[nstages].name[UK_PLAT_BOOT_STAGE_NAME_MAX] = '\0';
	stages[nstages].ns = now > start_ns ? now - start_ns : 0;
	nstages++;
	pthread_mutex_unlock(&lock);
	notify_pending();
}

/* Stage i's name and nanoseconds since stage 0: 0 or -ENOENT. */
int uk_plat_boot_stage_get(unsigned int i, const char **name, uint64_t *ns)
{
	int rc = 0;

	pthread_mutex_lock(&lock);
	start_locked();
	if (i < nstages) {
		*name = stages[i].name;
		if (ns)
			*ns = stages[i].ns;
	} else {
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

/* Sets the listener and tells it of every stage so far. */
void uk_plat_boot_stage_listen(uk_plat_boot_stage_fn fn, void *arg)
{
	pthread_mutex_lock(&lock);
	start_locked();
	listener = fn;
	listener_arg = arg;
	nnotified = 0;
	pthread_mutex_unlock(&lock);
	notify_pending();
}
