// glibc's backtrace(3), which Swift's Glibc module does not include: the whole call stack,
// however deep, for locating an uncaught `try` in a chapter (NotebookRuntime's ThrowSite).
#include <execinfo.h>
