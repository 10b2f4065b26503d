#define TP_ID "bad-magic"
#define TP_MAGIC 0xDEADBEEFu
#include "../common/test_plugin.h"
