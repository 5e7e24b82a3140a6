// The commit podstack was built from. scripts/build-release.sh writes it into podstack_commit.h in a
// directory of its own and adds that directory to the include path (-Xcc -I), which stays the same from
// commit to commit: a new commit then recompiles BuildInfo.c alone. Swift's -D defines carry no value.
#ifndef PODSTACK_BUILD_INFO_H
#define PODSTACK_BUILD_INFO_H

/// The commit of this build, or "unknown" for a plain `swift build`, which has no podstack_commit.h.
const char *podstack_build_commit(void);

#endif
