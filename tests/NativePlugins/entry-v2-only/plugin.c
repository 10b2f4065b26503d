#define TP_ID "entry-v2-only"
#define TP_ENTRY plugboard_entry_v2
#include "../common/test_plugin.h"
