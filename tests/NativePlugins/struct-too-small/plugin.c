#define TP_ID "struct-too-small"
#define TP_STRUCT_SIZE 40
#include "../common/test_plugin.h"
