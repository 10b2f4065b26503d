#define TP_ID "shutdown-hangs"
/* shutdown takes 3 s: longer than the test's ShutdownTimeout. */
#define TP_SHUTDOWN_SLEEP_MS 3000
#include "../common/test_plugin.h"
