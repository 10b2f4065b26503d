#define TP_ID "echo-threadsafe"
#define TP_FLAGS PB_FLAG_THREAD_SAFE
#include "../common/test_plugin.h"
