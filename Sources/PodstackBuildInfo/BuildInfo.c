#include "PodstackBuildInfo.h"

#if __has_include(<podstack_commit.h>)
#include <podstack_commit.h>
#endif
#ifndef PODSTACK_COMMIT
#define PODSTACK_COMMIT "unknown"
#endif

const char *podstack_build_commit(void) { return PODSTACK_COMMIT; }
