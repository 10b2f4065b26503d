/* A C plugin that implements the Notebook contract INoteProcessor itself (notebook.processor/2, from the header
 * plugboard bindgen emits from Notebook.Api): the host calls processor.Process(note, store) with its own Note and
 * NotebookStore, and the plugin gets them as handles to the host's tables notebook.note/1 and notebook.store/1. It
 * reads and changes that very note (title, body, tags, a metric, the host's word count) and adds a note to that store.
 * It also keeps the note handle of its previous call and tries it first: a stale handle must be refused
 * (PB_ERR_NO_CALL), never reach the note of another call. */
#include <stdio.h>
#include <string.h>

#include "plugboard.h"
#include "notebook_api.h"

typedef struct text_buffer {
    char data[4096];
    size_t len;
} text_buffer;

static const pb_host *host;
static void *kept_note;
static const notebook_note_v1 *kept_note_vtbl;

static pb_status buffer_write(void *ctx, const char *data, size_t len)
{
    text_buffer *buffer = (text_buffer *)ctx;
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

static pb_status processor_get_name(void *ctx, void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    return out_write(out_ctx, "C processor", 11);
}

/* Thread: the host's calling thread; serialized. note and store are valid only during this call. */
static pb_status processor_process(void *ctx, void *note, const notebook_note_v1 *note_vtbl, void *store, const notebook_store_v1 *store_vtbl,
                                   void *out_ctx, pb_write_fn out_write)
{
    text_buffer title;
    text_buffer stale;
    text_buffer seen;
    int32_t words = 0;
    int32_t tags = 0;
    int32_t count = 0;
    int32_t added = 0;
    uint8_t fresh = 0;
    pb_status status;
    pb_status stale_status = PB_OK;
    char report[512];
    int report_len;

    (void)ctx;
    if (note_vtbl == NULL || store_vtbl == NULL || !NOTEBOOK_API_HAS(notebook_note_v1, note_vtbl, count_words)
        || !NOTEBOOK_API_HAS(notebook_store_v1, store_vtbl, get_count)) {
        return fail(PB_ERR_INVALID_ARGUMENT, "process needs the notebook.note/1 and notebook.store/1 handles");
    }
    if (kept_note_vtbl != NULL) {
        stale.len = 0;
        stale_status = kept_note_vtbl->get_title(kept_note, &stale, buffer_write);
    }
    kept_note = note;
    kept_note_vtbl = note_vtbl;

    title.len = 0;
    if ((status = note_vtbl->get_title(note, &title, buffer_write)) != PB_OK) {
        return fail(status, "could not read the title");
    }
    if (title.len == 4 && memcmp(title.data, "fail", 4) == 0) {
        return fail(PB_ERR_FAILED, "c-processor refuses notes titled 'fail'");
    }
    if ((status = note_vtbl->count_words(note, &words)) != PB_OK
        || (status = note_vtbl->set_metric(note, "c_words", 7, (double)words)) != PB_OK
        || (status = note_vtbl->get_tag_count(note, &tags)) != PB_OK
        || (status = note_vtbl->add_tag(note, "C Processor", 11, &fresh)) != PB_OK
        || (status = note_vtbl->set_body(note, "(read by C)", 11)) != PB_OK) {
        return fail(status, "a note call failed");
    }
    /* Bad input gets a status from the host's table, never a crash or a change: an empty metric name (the host's
     * ArgumentException), text that is not UTF-8, NULL with a non-zero length, a NULL out pointer. */
    if (note_vtbl->set_metric(note, "", 0, 1.0) != PB_ERR_INVALID_ARGUMENT) {
        return fail(PB_ERR_FAILED, "an empty metric name was accepted");
    }
    if (note_vtbl->set_body(note, "\xff\xfe", 2) != PB_ERR_INVALID_UTF8) {
        return fail(PB_ERR_FAILED, "a body that is not UTF-8 was accepted");
    }
    if (note_vtbl->add_tag(note, NULL, 3, &fresh) != PB_ERR_INVALID_ARGUMENT) {
        return fail(PB_ERR_FAILED, "a NULL tag with a length was accepted");
    }
    if (note_vtbl->get_tag_count(note, NULL) != PB_ERR_INVALID_ARGUMENT) {
        return fail(PB_ERR_FAILED, "a NULL out pointer was accepted");
    }
    seen.len = 0;
    buffer_write(&seen, "Seen: ", 6);
    buffer_write(&seen, title.data, title.len);
    if ((status = store_vtbl->add_note(store, seen.data, seen.len, "from C", 6, "C processor", 11, &added)) != PB_OK
        || (status = store_vtbl->get_count(store, &count)) != PB_OK) {
        return fail(status, "a store call failed");
    }
    report_len = snprintf(report, sizeof report, "'%.*s': %d words, %d tags before, new tag %d; added #%d of %d; previous handle %d",
                          (int)title.len, title.data, (int)words, (int)tags, (int)fresh, (int)added, (int)count, (int)stale_status);
    return out_write(out_ctx, report, (size_t)report_len);
}

static const notebook_processor_v2 processor = { sizeof(notebook_processor_v2), 0, processor_get_name, processor_process };

static const void *processor_get_interface(void *ctx, const char *id, size_t id_len)
{
    (void)ctx;
    if (id_len == strlen(NOTEBOOK_PROCESSOR_V2_ID) && memcmp(id, NOTEBOOK_PROCESSOR_V2_ID, id_len) == 0) {
        return &processor;
    }
    return NULL;
}

static pb_status processor_init(void *ctx, const pb_host *h)
{
    (void)ctx;
    host = h;
    return PB_OK;
}

static void processor_shutdown(void *ctx)
{
    (void)ctx;
}

static pb_status processor_invoke(void *ctx, void *call, const char *op, size_t op_len, const char *input, size_t input_len,
                                  void *out_ctx, pb_write_fn out_write)
{
    (void)ctx; (void)call; (void)op; (void)op_len; (void)input; (void)input_len; (void)out_ctx; (void)out_write;
    return fail(PB_ERR_UNSUPPORTED, "c-processor has no operations: call it through notebook.processor/2");
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC,
    sizeof(pb_plugin),
    PLUGBOARD_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    "c-processor", sizeof("c-processor") - 1,
    "Processor (C)", sizeof("Processor (C)") - 1,
    "1.0.0", sizeof("1.0.0") - 1,
    0,
    NULL,
    processor_init,
    processor_shutdown,
    processor_get_interface,
    processor_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
{
    (void)h;
    return &descriptor;
}
