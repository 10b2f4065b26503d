/* The proxy benchmark's plugin: implements bench.counter/1 (from the header bindgen emits from the benchmark host's
 * IBenchCounter) and serves it through get_interface. Thread-safe: the counter is atomic. */
#include <stdatomic.h>
#include <string.h>

#include "plugboard.h"
#include "plugboard_benchmarks.h"

static _Atomic int64_t total;

/* Thread: any. Ownership: out_result written by the plugin. */
static pb_status counter_add(void *ctx, int64_t value, int64_t *out_result)
{
    (void)ctx;
    if (out_result == NULL) {
        return PB_ERR_INVALID_ARGUMENT;
    }
    *out_result = atomic_fetch_add_explicit(&total, value, memory_order_relaxed) + value;
    return PB_OK;
}

static const bench_counter_v1 counter = { sizeof(bench_counter_v1), 0, counter_add };

static const void *contract_get_interface(void *ctx, const char *id, size_t id_len)
{
    (void)ctx;
    return id_len == strlen(BENCH_COUNTER_V1_ID) && memcmp(id, BENCH_COUNTER_V1_ID, id_len) == 0 ? &counter : NULL;
}

static pb_status contract_init(void *ctx, const pb_host *host)
{
    (void)ctx;
    (void)host;
    return PB_OK;
}

static void contract_shutdown(void *ctx)
{
    (void)ctx;
}

static pb_status contract_invoke(void *ctx, void *call, const char *op, size_t op_len, const char *input, size_t input_len,
                                 void *out_ctx, pb_write_fn out_write)
{
    (void)ctx; (void)call; (void)op; (void)op_len; (void)input; (void)input_len; (void)out_ctx; (void)out_write;
    return PB_ERR_UNSUPPORTED;
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC,
    sizeof(pb_plugin),
    PLUGBOARD_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    "bench-contract", sizeof("bench-contract") - 1,
    "Bench contract", sizeof("Bench contract") - 1,
    "1.0.0", sizeof("1.0.0") - 1,
    PB_FLAG_THREAD_SAFE,
    NULL,
    contract_init,
    contract_shutdown,
    contract_get_interface,
    contract_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
{
    (void)h;
    return &descriptor;
}
