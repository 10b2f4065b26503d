#define TP_ID "reload"
#define TP_VERSION "2.0.0"
#include "../common/test_plugin.h"
