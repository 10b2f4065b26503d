#define TP_ID "init-hangs-too"
/* A second plugin whose init takes 3 s, so a test can show that hung inits are waited for at once, not one by one. */
#define TP_INIT_SLEEP_MS 3000
#include "../common/test_plugin.h"
