#define TP_ID "abi-major-2"
#define TP_ABI_MAJOR 2
#include "../common/test_plugin.h"
