#define TP_ID "crashes-on-request"
#define TP_CRASH_ON_REQUEST 1
#include "../common/test_plugin.h"
