#define TP_ID "reload"
#define TP_VERSION "1.0.0"
#include "../common/test_plugin.h"
