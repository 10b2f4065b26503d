/*
 * A configurable ABI-1 test plugin. Each folder under tests/NativePlugins defines a few TP_* macros to break
 * exactly one rule, then includes this file. The default (no macros) is a well-behaved "echo" plugin.
 */
#define _POSIX_C_SOURCE 200809L
#include "plugboard.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(TP_CRASH_ON_REQUEST)
#include <unistd.h>
#endif

#ifndef TP_ID
#error "define TP_ID to the plugin id"
#endif
#ifndef TP_NAME
#define TP_NAME TP_ID
#endif
#ifndef TP_NAME_LEN
#define TP_NAME_LEN (sizeof(TP_NAME) - 1)
#endif
#ifndef TP_MAGIC
#define TP_MAGIC PLUGBOARD_PLUGIN_MAGIC
#endif
#ifndef TP_ABI_MAJOR
#define TP_ABI_MAJOR PLUGBOARD_ABI_MAJOR
#endif
#ifndef TP_STRUCT_SIZE
#define TP_STRUCT_SIZE sizeof(pb_plugin)
#endif
#ifndef TP_FLAGS
#define TP_FLAGS 0
#endif
#ifndef TP_ENTRY
#define TP_ENTRY plugboard_entry_v1
#endif
#ifndef TP_VERSION
#define TP_VERSION "1.0.0"
#endif
#ifndef TP_INVOKE
#define TP_INVOKE tp_invoke
#endif

static const pb_host *tp_host;

static void tp_sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static long tp_parse(const char *text, size_t len)
{
    long value = 0;
    for (size_t i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

static pb_status tp_fail(int32_t code, const char *msg)
{
    tp_host->set_error(tp_host->host_ctx, code, msg, strlen(msg));
    return code;
}

static pb_status tp_init(void *ctx, const pb_host *host)
{
    (void)ctx;
    tp_host = host;
#if defined(TP_INIT_SLEEP_MS)
    tp_sleep_ms(TP_INIT_SLEEP_MS);
#endif
#if defined(TP_INIT_FAILS_WITH_MESSAGE)
    return tp_fail(PB_ERR_FAILED, "the database file wordfreq.db is missing");
#elif defined(TP_INIT_FAILS_SILENTLY)
    return PB_ERR_NOT_FOUND;
#else
    return PB_OK;
#endif
}

static void tp_shutdown(void *ctx)
{
    (void)ctx;
#if defined(TP_SHUTDOWN_SLEEP_MS)
    tp_sleep_ms(TP_SHUTDOWN_SLEEP_MS);
#endif
}

static int op_is(const char *op, size_t op_len, const char *name)
{
    return op_len == strlen(name) && memcmp(op, name, op_len) == 0;
}

static pb_status tp_invoke(void *ctx, void *call_ctx, const char *op, size_t op_len, const char *input, size_t input_len,
                           void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    (void)call_ctx;
#if defined(TP_EXIT_IN_INVOKE)
    /* What a plugin calling exit() does to its host: the process ends, with the plugin's status. */
    exit(TP_EXIT_IN_INVOKE);
#endif
#if defined(TP_CRASH_IN_INVOKE)
    /* What a crash in native code does to its host: the process dies of the signal. */
    *(volatile int *)(size_t)TP_CRASH_IN_INVOKE = 1;
#endif
#if defined(TP_CRASH_ON_REQUEST)
    /* Crashes only when asked, so that a call after the crash (in a restarted worker) is answered. */
    if (op_is(op, op_len, "null-deref")) {
        *(volatile int *)(size_t)0 = 1;
    }
    if (op_is(op, op_len, "abort")) {
        abort();
    }
    if (op_is(op, op_len, "exit0")) {
        exit(0);
    }
    if (op_is(op, op_len, "hog")) {
        /* Touches 1 MiB blocks until the host kills the worker; bounded at 4 GiB so that a host that does not stop it gets an answer. */
        enum { BLOCK = 1 << 20, MAX_BLOCKS = 4096 };
        static void *kept[MAX_BLOCKS];
        int blocks = 0;
        while (blocks < MAX_BLOCKS && (kept[blocks] = malloc(BLOCK)) != NULL) {
            memset(kept[blocks++], 1, BLOCK);
        }
        while (blocks > 0) {
            free(kept[--blocks]);
        }
        return out_write(out_ctx, "not stopped", 11);
    }
    if (op_is(op, op_len, "pid")) {
        char text[24];
        int len = 0;
        for (long pid = (long)getpid(); pid > 0 || len == 0; pid /= 10) {
            text[len++] = (char)('0' + pid % 10);
        }
        for (int i = 0; i < len / 2; i++) {
            char c = text[i];
            text[i] = text[len - 1 - i];
            text[len - 1 - i] = c;
        }
        return out_write(out_ctx, text, (size_t)len);
    }
#endif
    if (op_is(op, op_len, "echo")) {
        return out_write(out_ctx, input, input_len);
    }
    if (op_is(op, op_len, "version")) {
        return out_write(out_ctx, TP_VERSION, sizeof(TP_VERSION) - 1);
    }
    if (op_is(op, op_len, "fail")) {
        return tp_fail(PB_ERR_INVALID_ARGUMENT, "input must not be empty");
    }
    if (op_is(op, op_len, "warn")) {
        /* Calls set_error and then succeeds: the message must not be pinned on a later failing call. */
        static const char warning[] = "only a warning";
        tp_host->set_error(tp_host->host_ctx, PB_ERR_FAILED, warning, sizeof warning - 1);
        return out_write(out_ctx, "ok", 2);
    }
    if (op_is(op, op_len, "fail-silent")) {
        return PB_ERR_FAILED;
    }
    if (op_is(op, op_len, "bad-utf8")) {
        static const char bad[] = { 'o', 'k', (char)0xC3, (char)0x28 };
        return out_write(out_ctx, bad, sizeof bad);
    }
    if (op_is(op, op_len, "log")) {
        return tp_host->log(tp_host->host_ctx, PB_LOG_INFO, input, input_len);
    }
    if (op_is(op, op_len, "sleep")) {
        /* Sleeps the number of milliseconds in input, then answers: a call that hangs for a while. */
        tp_sleep_ms(tp_parse(input, input_len));
        return out_write(out_ctx, "woke", 4);
    }
    if (op_is(op, op_len, "flood")) {
        /* Writes input-many KiB in 64 KiB chunks; stops at the first refused write and returns its status. */
        static char chunk[65536];
        long kib = tp_parse(input, input_len);
        memset(chunk, 'x', sizeof chunk);
        for (long written = 0; written < kib; written += 64) {
            pb_status status = out_write(out_ctx, chunk, sizeof chunk);
            if (status != PB_OK) {
                return status;
            }
        }
        return PB_OK;
    }
    if (op_is(op, op_len, "has-interface")) {
        const void *iface = tp_host->get_interface(tp_host->host_ctx, input, input_len);
        return out_write(out_ctx, iface ? "yes" : "no", iface ? 3 : 2);
    }
    return tp_fail(PB_ERR_UNSUPPORTED, "unknown operation");
}

#ifdef TP_NULL_INVOKE
#undef TP_INVOKE
#define TP_INVOKE NULL
#endif

#ifdef TP_NULL_INVOKE
/* Keeps the unused default invoke referenced so -Werror=unused-function stays quiet. */
pb_status (*const tp_unused_invoke)(void *, void *, const char *, size_t, const char *, size_t, void *, pb_write_fn) = tp_invoke;
#endif

static const pb_plugin tp_descriptor = {
    TP_MAGIC,
    (uint32_t)(TP_STRUCT_SIZE),
    TP_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    TP_ID, sizeof(TP_ID) - 1,
    TP_NAME, TP_NAME_LEN,
    TP_VERSION, sizeof(TP_VERSION) - 1,
    TP_FLAGS,
    NULL,
    tp_init,
    tp_shutdown,
    NULL,
    TP_INVOKE,
};

PLUGBOARD_EXPORT const pb_plugin *TP_ENTRY(const pb_host *host);

PLUGBOARD_EXPORT const pb_plugin *TP_ENTRY(const pb_host *host)
{
    (void)host;
    return &tp_descriptor;
}
