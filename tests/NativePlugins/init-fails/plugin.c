#define TP_ID "init-fails"
#define TP_INIT_FAILS_WITH_MESSAGE 1
#include "../common/test_plugin.h"
