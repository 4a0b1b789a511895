/*
 * uksched cases that need a Linux process (fork): a program whose threads
 * all block with no deadline is a deadlock on linuxu, where no interrupt
 * can ever wake anyone, and the idle thread ends it as a crash instead of
 * hanging.
 */
#include <sys/wait.h>
#include <unistd.h>

#include <uk/plat/lifecycle.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/wait.h>

UK_TEST(sched_linuxu_deadlock_crashes)
{
	static uint32_t word;
	int status = 0;
	pid_t pid = fork();

	UK_TEST_ASSERT(pid >= 0);
	if (pid == 0) {
		close(2); /* the expected message */
		uk_wait_on(&word, 0, 0);
		_exit(0);
	}
	UK_TEST_EQ(waitpid(pid, &status, 0), pid);
	UK_TEST_ASSERT(WIFEXITED(status));
	UK_TEST_EQ(WEXITSTATUS(status), UK_PLAT_CRASH_STATUS);
}
