#define TP_ID "echo-unloadable"
#define TP_FLAGS PB_FLAG_UNLOADABLE
#include "../common/test_plugin.h"
