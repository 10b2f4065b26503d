#define TP_ID "no-entry"
#define TP_ENTRY plugboard_entry
#include "../common/test_plugin.h"
