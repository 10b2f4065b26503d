/* Valgrind client requests for the benchmark harness's instruction counts (benchmarks/run.sh builds this only when
 * valgrind's headers are installed, and runs the harness under callgrind with --collect-atstart=no). Outside valgrind
 * every request is a no-op. Called from one thread at a time. */
#include <valgrind/callgrind.h>

/* Clears the counters and starts collecting. Thread: the measuring thread. */
void pb_callgrind_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_TOGGLE_COLLECT; }

/* Stops collecting and writes one dump named `name` (borrowed, NUL-terminated). Thread: the measuring thread. */
void pb_callgrind_stop(const char *name) { CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS_AT(name); }

/* 1 when running under valgrind, else 0. Thread: any. */
int pb_callgrind_running(void) { return RUNNING_ON_VALGRIND ? 1 : 0; }
