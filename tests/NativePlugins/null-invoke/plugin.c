#define TP_ID "null-invoke"
#define TP_NULL_INVOKE 1
#include "../common/test_plugin.h"
