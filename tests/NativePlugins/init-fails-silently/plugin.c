#define TP_ID "init-fails-silently"
#define TP_INIT_FAILS_SILENTLY 1
#include "../common/test_plugin.h"
