#define TP_ID "crashes-in-invoke"
#define TP_CRASH_IN_INVOKE 0
#include "../common/test_plugin.h"
