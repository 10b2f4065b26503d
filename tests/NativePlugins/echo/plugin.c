#define TP_ID "echo"
#include "../common/test_plugin.h"
