// The commit podstack was built from, stamped in by the build scripts (scripts/install.sh,
// scripts/package-deb.sh) with -Xcc -DPODSTACK_COMMIT='"<commit>"'. A C define is the one way a build
// command can hand a string to the code: Swift's own -D defines carry no value.
#ifndef PODSTACK_BUILD_INFO_H
#define PODSTACK_BUILD_INFO_H

/// The commit of this build, or "unknown" for a plain `swift build` that was given none.
const char *podstack_build_commit(void);

#endif
