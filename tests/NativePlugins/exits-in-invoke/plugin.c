#define TP_ID "exits-in-invoke"
#define TP_EXIT_IN_INVOKE 0
#include "../common/test_plugin.h"
