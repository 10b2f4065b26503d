#define TP_ID "init-hangs"
/* init takes 3 s: longer than the test's InitTimeout, short enough that the abandoned thread ends. */
#define TP_INIT_SLEEP_MS 3000
#include "../common/test_plugin.h"
