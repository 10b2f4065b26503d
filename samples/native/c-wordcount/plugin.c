/*
 * c-wordcount: a Notebook sample plugin in C. For each note it counts the words of the body with the host's
 * own TextTools (so every plugin counts alike), stores the count as metric "words", and tags the note
 * "long" or "short".
 */
#include "plugboard.h"
#include "notebook_notes.h"

#include <stdio.h>
#include <string.h>

#define LONG_NOTE_WORDS 50

static const pb_host *host;
static const notebook_notes_v1 *notes;

/* A fixed-size text buffer used as an output sink: the plugin owns the memory, the host only copies into it. */
typedef struct text_buffer {
    char data[16384];
    size_t len;
} text_buffer;

static pb_status buffer_write(void *ctx, const char *data, size_t len)
{
    text_buffer *buffer = ctx;
    if (len > sizeof buffer->data - buffer->len) {
        return PB_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(buffer->data + buffer->len, data, len);
    buffer->len += len;
    return PB_OK;
}

static pb_status fail(pb_status status, const char *message)
{
    host->set_error(host->host_ctx, status, message, strlen(message));
    return status;
}

static pb_status wc_init(void *ctx, const pb_host *h)
{
    (void)ctx;
    host = h;
    notes = h->get_interface(h->host_ctx, NOTEBOOK_NOTES_V1_ID, strlen(NOTEBOOK_NOTES_V1_ID));
    if (notes == NULL) {
        return fail(PB_ERR_UNSUPPORTED, "the host does not offer notebook.notes/1; load this plugin with the Notebook bridge");
    }
    return PB_OK;
}

static void wc_shutdown(void *ctx)
{
    (void)ctx;
    notes = NULL;
    host = NULL;
}

static pb_status wc_invoke(void *ctx, void *call, const char *op, size_t op_len, const char *input, size_t input_len,
                           void *out_ctx, pb_write_fn out_write)
{
    /* Thread rules: the host serializes calls (no PB_FLAG_THREAD_SAFE), but this buffer is per call anyway. */
    text_buffer body;
    int64_t words = 0;
    pb_status status;
    char report[128];
    int report_len;
    const char *size_tag;

    (void)ctx;
    (void)input;
    (void)input_len;
    if (op_len == 4 && memcmp(op, "ping", 4) == 0) {
        /* Health check: no host calls, used to measure the bare call cost. */
        return out_write(out_ctx, "pong", 4);
    }
    if (op_len != 7 || memcmp(op, "process", 7) != 0) {
        return fail(PB_ERR_UNSUPPORTED, "c-wordcount supports the 'process' and 'ping' operations");
    }
    body.len = 0;
    if ((status = notes->get_body(call, &body, buffer_write)) != PB_OK) {
        return fail(status, "could not read the note body (longer than 16 KiB?)");
    }
    if ((status = notes->count_words(call, body.data, body.len, &words)) != PB_OK) {
        return fail(status, "count_words failed");
    }
    if ((status = notes->set_metric(call, "words", 5, (double)words)) != PB_OK) {
        return fail(status, "set_metric failed");
    }
    size_tag = words > LONG_NOTE_WORDS ? "long" : "short";
    if ((status = notes->add_tag(call, size_tag, strlen(size_tag))) != PB_OK) {
        return fail(status, "add_tag failed");
    }
    report_len = snprintf(report, sizeof report, "c-wordcount: %lld words, tagged '%s'", (long long)words, size_tag);
    return out_write(out_ctx, report, (size_t)report_len);
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC,
    sizeof(pb_plugin),
    PLUGBOARD_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    "c-wordcount", sizeof("c-wordcount") - 1,
    "Word count (C)", sizeof("Word count (C)") - 1,
    "1.0.0", sizeof("1.0.0") - 1,
    PB_FLAG_UNLOADABLE, /* plain C, no thread-locals: safe to dlclose */
    NULL,
    wc_init,
    wc_shutdown,
    NULL,
    wc_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
{
    (void)h;
    return &descriptor;
}
