#define TP_ID "bad-utf8-name"
#define TP_NAME "bad\xff\xfename"
#include "../common/test_plugin.h"
