#include "PodstackBuildInfo.h"

#ifndef PODSTACK_COMMIT
#define PODSTACK_COMMIT "unknown"
#endif

const char *podstack_build_commit(void) { return PODSTACK_COMMIT; }
