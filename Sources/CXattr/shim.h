// getxattr(2), for the POSIX ACLs of device nodes (PodstackHost.PosixACL): Glibc does not export it to Swift.
#include <sys/xattr.h>
