/*
 * The benchmark's native plugin (ABI 1). "ping" writes "pong": the cost of reaching the plugin. "callback" calls the
 * host interface "bench.host/1" (one function, int32 echo(int32)) as many times as the little-endian int32 input
 * says, and writes the sum: the cost of a call back into the host. Thread-safe, so the host does not serialize.
 */
#include "plugboard.h"
#include <string.h>

typedef struct bench_host_v1 {
    int32_t (*echo)(int32_t x);
} bench_host_v1;

static const bench_host_v1 *bench_host;

static pb_status bench_init(void *ctx, const pb_host *host)
{
    (void)ctx;
    bench_host = (const bench_host_v1 *)host->get_interface(host->host_ctx, "bench.host/1", 12);
    return PB_OK;
}

static void bench_shutdown(void *ctx)
{
    (void)ctx;
}

static pb_status bench_invoke(void *ctx, void *call_ctx, const char *op, size_t op_len, const char *input, size_t input_len,
                              void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    (void)call_ctx;
    if (op_len == 4 && memcmp(op, "ping", 4) == 0) {
        return out_write(out_ctx, "pong", 4);
    }
    if (op_len == 8 && memcmp(op, "callback", 8) == 0 && input_len == 4 && bench_host != NULL) {
        int32_t count;
        int32_t sum = 0;
        memcpy(&count, input, 4);
        for (int32_t i = 0; i < count; i++) {
            sum += bench_host->echo(i);
        }
        return out_write(out_ctx, (const char *)&sum, 4);
    }
    return PB_ERR_UNSUPPORTED;
}

static const pb_plugin bench_descriptor = {
    PLUGBOARD_PLUGIN_MAGIC,
    (uint32_t)sizeof(pb_plugin),
    PLUGBOARD_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    "bench-native", 12,
    "bench-native", 12,
    "1.0.0", 5,
    PB_FLAG_THREAD_SAFE,
    NULL,
    bench_init,
    bench_shutdown,
    NULL,
    bench_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host)
{
    (void)host;
    return &bench_descriptor;
}
