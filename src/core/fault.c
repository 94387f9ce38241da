/*
 * fault: the test build's fault points (fault.h). A release build
 * compiles this file to nothing but a declaration.
 */
#include "fault.h"

#ifdef GG_TEST_BUILD
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gg_fault_point(const char *name)
{
	const char *want = getenv("GUANGGU_FAULT");

	if (want != NULL && name != NULL && strcmp(want, name) == 0)
		kill(getpid(), SIGKILL);
}
#else
typedef int gg_fault_unused; /* ISO C wants a declaration in every translation unit */
#endif
