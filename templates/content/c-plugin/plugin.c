/*
 * hello-c: a native Plugboard plugin in C (ABI v1, see plugboard.h and docs/native-abi.md).
 *
 * Operations: "echo" returns its input, "ping" returns "pong". Add yours in hello_invoke.
 * Rules: strings are UTF-8 (pointer, length) pairs, inputs are borrowed for the call, output goes through the
 * host's sink (out_write), and nothing may unwind out of these functions.
 */
#include <string.h>

#include "plugboard.h"
//-:cnd:noEmit
#ifdef PLUGIN_HOST_API_HEADER
/* The host API's bindings from its package (the Makefile sets this): its tables, shared structs, ids and layout hashes.
 * Implement a contract by filling its table and returning it from a get_interface in the descriptor below. */
#include PLUGIN_HOST_API_HEADER
#endif
//+:cnd:noEmit

#define PLUGIN_ID "hello-c"
#define PLUGIN_NAME "hello-c"
#define PLUGIN_VERSION "1.0.0"
#define LEN(literal) (sizeof(literal) - 1)

static const pb_host *host;

static pb_status hello_init(void *plugin_ctx, const pb_host *h)
{
    static const char ready[] = "hello-c ready";
    (void)plugin_ctx;
    host = h;
    return h->log(h->host_ctx, PB_LOG_INFO, ready, LEN(ready));
}

static void hello_shutdown(void *plugin_ctx)
{
    (void)plugin_ctx;
    host = NULL;
}

static int is_op(const char *op, size_t op_len, const char *name)
{
    return op_len == strlen(name) && memcmp(op, name, op_len) == 0;
}

static pb_status hello_invoke(void *plugin_ctx, void *call_ctx, const char *op, size_t op_len, const char *input,
                              size_t input_len, void *out_ctx, pb_write_fn out_write)
{
    (void)plugin_ctx;
    (void)call_ctx;
    if (is_op(op, op_len, "echo")) {
        return out_write(out_ctx, input, input_len);
    }
    if (is_op(op, op_len, "ping")) {
        return out_write(out_ctx, "pong", 4);
    }
    {
        static const char unknown[] = "unknown operation";
        host->set_error(host->host_ctx, PB_ERR_UNSUPPORTED, unknown, LEN(unknown));
    }
    return PB_ERR_UNSUPPORTED;
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC, sizeof(pb_plugin), PLUGBOARD_ABI_MAJOR, PLUGBOARD_ABI_MINOR,
    PLUGIN_ID, LEN(PLUGIN_ID), PLUGIN_NAME, LEN(PLUGIN_NAME), PLUGIN_VERSION, LEN(PLUGIN_VERSION),
    PB_FLAG_THREAD_SAFE | PB_FLAG_UNLOADABLE, /* no state, nothing left behind after shutdown */
    NULL, hello_init, hello_shutdown, NULL, hello_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
{
    (void)h;
    return &descriptor;
}
