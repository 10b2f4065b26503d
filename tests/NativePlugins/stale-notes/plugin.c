/*
 * Implements notebook.processor/2 and misbehaves with the notebook.note/1 handle the host passes to process. What it
 * does depends on the note's title:
 *   "stash"       keeps this call's note handle
 *   "stale"       tags the current note through the kept (stale) handle, on this thread
 *   "thread"      tags the current note through the current handle from a thread it starts mid-call
 *   "spawn-stale" starts a thread that, for about 1.5 s, tags through the kept handle while other calls run
 *   "report"      says whether that thread finished and how many of its tags the host accepted
 *   anything else does nothing and says "noop"
 * The host must answer PB_ERR_NO_CALL to every use of a handle outside its own call and thread.
 */
#define _POSIX_C_SOURCE 200809L
#include "notebook_api.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const notebook_note_v1 *notes;
static void *stashed_call;
static atomic_int stale_accepted;
static atomic_int stale_refused;
static atomic_int stale_done;

struct title_sink {
    char text[64];
    size_t len;
};

static pb_status title_write(void *ctx, const char *data, size_t len)
{
    struct title_sink *sink = ctx;
    if (sink->len + len >= sizeof sink->text) {
        return PB_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(sink->text + sink->len, data, len);
    sink->len += len;
    sink->text[sink->len] = 0;
    return PB_OK;
}

static void *tag_current(void *arg)
{
    pb_status *status = arg;
    uint8_t added = 0;
    *status = notes->add_tag(stashed_call, "from-thread", 11, &added);
    return NULL;
}

static void *tag_stale_for_a_while(void *arg)
{
    (void)arg;
    struct timespec half_ms = { 0, 500000L };
    for (int i = 0; i < 3000; i++) {
        uint8_t added = 0;
        if (notes->add_tag(stashed_call, "stale", 5, &added) == PB_OK) {
            atomic_fetch_add(&stale_accepted, 1);
        } else {
            atomic_fetch_add(&stale_refused, 1);
        }
        nanosleep(&half_ms, NULL);
    }
    atomic_store(&stale_done, 1);
    return NULL;
}

static pb_status say(void *out_ctx, pb_write_fn out_write, const char *format, int a, int b)
{
    char text[64];
    int len = snprintf(text, sizeof text, format, a, b);
    return out_write(out_ctx, text, (size_t)len);
}

static pb_status sn_init(void *ctx, const pb_host *host)
{
    (void)ctx;
    (void)host;
    return PB_OK;
}

static void sn_shutdown(void *ctx)
{
    (void)ctx;
}

static pb_status sn_get_name(void *ctx, void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    return out_write(out_ctx, "stale-notes", 11);
}

/* notebook.processor/2 process; the note handle (call_ctx here) and its table are valid only during this call. */
static pb_status sn_process(void *ctx, void *call_ctx, const notebook_note_v1 *note_vtbl, void *store, const notebook_store_v1 *store_vtbl,
                            void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    (void)store;
    (void)store_vtbl;
    struct title_sink title = { { 0 }, 0 };
    pb_status status;
    uint8_t added = 0;
    if (note_vtbl == NULL || !NOTEBOOK_API_HAS(notebook_note_v1, note_vtbl, add_tag)) {
        return PB_ERR_INVALID_ARGUMENT;
    }
    notes = note_vtbl;
    status = notes->get_title(call_ctx, &title, title_write);
    if (status != PB_OK) {
        return status;
    }
    if (strcmp(title.text, "stash") == 0) {
        stashed_call = call_ctx;
        return out_write(out_ctx, "stashed", 7);
    }
    if (strcmp(title.text, "stale") == 0) {
        return say(out_ctx, out_write, "stale=%d%.0d", notes->add_tag(stashed_call, "stale", 5, &added), 0);
    }
    if (strcmp(title.text, "thread") == 0) {
        pb_status tagged = PB_OK;
        pthread_t thread;
        stashed_call = call_ctx;
        if (pthread_create(&thread, NULL, tag_current, &tagged) != 0) {
            return PB_ERR_FAILED;
        }
        pthread_join(thread, NULL);
        return say(out_ctx, out_write, "thread=%d%.0d", tagged, 0);
    }
    if (strcmp(title.text, "spawn-stale") == 0) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, tag_stale_for_a_while, NULL) != 0) {
            return PB_ERR_FAILED;
        }
        pthread_detach(thread);
        return out_write(out_ctx, "spawned", 7);
    }
    if (strcmp(title.text, "report") == 0) {
        return say(out_ctx, out_write, atomic_load(&stale_done) ? "done accepted=%d refused=%d" : "running accepted=%d refused=%d",
                   atomic_load(&stale_accepted), atomic_load(&stale_refused));
    }
    return out_write(out_ctx, "noop", 4);
}

static const notebook_processor_v2 processor = { sizeof(notebook_processor_v2), 0, sn_get_name, sn_process };

static const void *sn_get_interface(void *ctx, const char *id, size_t id_len)
{
    (void)ctx;
    if (id_len == strlen(NOTEBOOK_PROCESSOR_V2_ID) && memcmp(id, NOTEBOOK_PROCESSOR_V2_ID, id_len) == 0) {
        return &processor;
    }
    return NULL;
}

static pb_status sn_invoke(void *ctx, void *call_ctx, const char *op, size_t op_len, const char *input, size_t input_len,
                           void *out_ctx, pb_write_fn out_write)
{
    (void)ctx; (void)call_ctx; (void)op; (void)op_len; (void)input; (void)input_len; (void)out_ctx; (void)out_write;
    return PB_ERR_UNSUPPORTED;
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC, (uint32_t)sizeof(pb_plugin), PLUGBOARD_ABI_MAJOR, PLUGBOARD_ABI_MINOR,
    "stale-notes", 11, "stale-notes", 11, "1.0.0", 5,
    0, NULL, sn_init, sn_shutdown, sn_get_interface, sn_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *host)
{
    (void)host;
    return &descriptor;
}
