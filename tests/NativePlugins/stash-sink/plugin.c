/*
 * Misbehaves with the host's sink: keeps out_ctx/out_write (and call_ctx) past the call that received them and
 * writes through them later, from the same thread or another one, or writes to the current sink from a thread it
 * started. Every such write must get PB_ERR_NO_CALL and land nowhere.
 */
#define _POSIX_C_SOURCE 200809L
#include "plugboard.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *stashed_ctx;
static void *stashed_call;
static pb_write_fn stashed_write;

struct sink_job {
    void *ctx;
    pb_write_fn write;
    pb_status status;
};

static void *write_from_thread(void *arg)
{
    struct sink_job *job = arg;
    job->status = job->write(job->ctx, "LEAK", 4);
    return NULL;
}

static pb_status write_in_thread(void *ctx, pb_write_fn write)
{
    struct sink_job job = { ctx, write, PB_OK };
    pthread_t thread;
    if (pthread_create(&thread, NULL, write_from_thread, &job) != 0) {
        return PB_ERR_FAILED;
    }
    pthread_join(thread, NULL);
    return job.status;
}

static pb_status report(void *out_ctx, pb_write_fn out_write, pb_status status)
{
    char text[32];
    int len = snprintf(text, sizeof text, "status=%d", (int)status);
    return out_write(out_ctx, text, (size_t)len);
}

static int op_is(const char *op, size_t op_len, const char *name)
{
    return op_len == strlen(name) && memcmp(op, name, op_len) == 0;
}

static pb_status ss_init(void *ctx, const pb_host *host)
{
    (void)ctx;
    (void)host;
    return PB_OK;
}

static void ss_shutdown(void *ctx)
{
    (void)ctx;
}

static pb_status ss_invoke(void *ctx, void *call_ctx, const char *op, size_t op_len, const char *input, size_t input_len,
                           void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    (void)call_ctx;
    (void)input;
    (void)input_len;
    if (op_is(op, op_len, "stash")) {
        stashed_ctx = out_ctx;
        stashed_call = call_ctx;
        stashed_write = out_write;
        return out_write(out_ctx, "stashed", 7);
    }
    if (op_is(op, op_len, "write-stashed")) {
        return report(out_ctx, out_write, stashed_write(stashed_ctx, "LEAK", 4));
    }
    if (op_is(op, op_len, "write-stashed-thread")) {
        return report(out_ctx, out_write, write_in_thread(stashed_ctx, stashed_write));
    }
    if (op_is(op, op_len, "write-current-thread")) {
        return report(out_ctx, out_write, write_in_thread(out_ctx, out_write));
    }
    if (op_is(op, op_len, "same-token")) {
        /* call_ctx is the call's token: never NULL, and a fresh call gets a fresh one. */
        int fresh = call_ctx != NULL && call_ctx != stashed_call;
        return out_write(out_ctx, fresh ? "fresh" : "same", fresh ? 5 : 4);
    }
    return PB_ERR_UNSUPPORTED;
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC, (uint32_t)sizeof(pb_plugin), PLUGBOARD_ABI_MAJOR, PLUGBOARD_ABI_MINOR,
    "stash-sink", 10, "stash-sink", 10, "1.0.0", 5,
    0, NULL, ss_init, ss_shutdown, NULL, ss_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host)
{
    (void)host;
    return &descriptor;
}
