/* A C plugin that implements the Notebook contract notebook.processor/2 (INoteProcessor itself) from the header
 * plugboard bindgen emits from Notebook.Api (notebook_api.h), served through its descriptor's get_interface: the host
 * calls it through its INoteProcessor (the generated proxy), never through invoke. It reads the host's note through the
 * notebook.note/1 handle it is given, counts its words with the host's tokenizer, sets a metric, tags it and adds a note
 * to the host's store through the notebook.store/1 handle. */
#include <stdio.h>
#include <string.h>

#include "plugboard.h"
#include "notebook_api.h"

typedef struct text_buffer {
    char data[4096];
    size_t len;
} text_buffer;

static const pb_host *host;

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

static pb_status contract_get_name(void *ctx, void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    return out_write(out_ctx, "Contract (C)", sizeof("Contract (C)") - 1);
}

/* Thread: the host's calling thread; serialized (no PB_FLAG_THREAD_SAFE). note and store are valid only during this call. */
static pb_status contract_process(void *ctx, void *note, const notebook_note_v1 *note_vtbl, void *store, const notebook_store_v1 *store_vtbl,
                                  void *out_ctx, pb_write_fn out_write)
{
    text_buffer title;
    text_buffer seen;
    int32_t id = 0;
    int32_t tags = 0;
    int32_t words = 0;
    int32_t added = 0;
    uint8_t tagged = 0;
    pb_status status;
    char report[256];
    int report_len;

    (void)ctx;
    if (note_vtbl == NULL || !NOTEBOOK_API_HAS(notebook_note_v1, note_vtbl, count_words)
        || store_vtbl == NULL || !NOTEBOOK_API_HAS(notebook_store_v1, store_vtbl, add_note)) {
        return fail(PB_ERR_INVALID_ARGUMENT, "process needs the notebook.note/1 and notebook.store/1 handles");
    }
    title.len = 0;
    if ((status = note_vtbl->get_title(note, &title, buffer_write)) != PB_OK
        || (status = note_vtbl->get_id(note, &id)) != PB_OK
        || (status = note_vtbl->get_tag_count(note, &tags)) != PB_OK) {
        return fail(status, "could not read the note");
    }
    if (title.len == 4 && memcmp(title.data, "fail", 4) == 0) {
        return fail(PB_ERR_FAILED, "c-contract refuses notes titled 'fail'");
    }
    if ((status = note_vtbl->count_words(note, &words)) != PB_OK
        || (status = note_vtbl->set_metric(note, "contract_words", 14, (double)words)) != PB_OK
        || (status = note_vtbl->add_tag(note, "c-contract", 10, &tagged)) != PB_OK) {
        return fail(status, "a note call failed");
    }
    seen.len = 0;
    buffer_write(&seen, "Seen: ", 6);
    buffer_write(&seen, title.data, title.len);
    if ((status = store_vtbl->add_note(store, seen.data, seen.len, "from the contract", 17, "Contract (C)", 12, &added)) != PB_OK) {
        return fail(status, "add_note failed");
    }
    report_len = snprintf(report, sizeof report, "c-contract: note #%d '%.*s' (%d tags before) has %d words; added note #%d",
                          (int)id, (int)title.len, title.data, (int)tags, (int)words, (int)added);
    return out_write(out_ctx, report, (size_t)report_len);
}

#ifndef CONTRACT_TABLE_SIZE
#define CONTRACT_TABLE_SIZE sizeof(notebook_processor_v2)
#endif
/* CONTRACT_TABLE_SIZE=8 builds a plugin whose table declares no functions (as one built before they existed). */
static const notebook_processor_v2 processor = { CONTRACT_TABLE_SIZE, 0, contract_get_name, contract_process };

static const void *contract_get_interface(void *ctx, const char *id, size_t id_len)
{
    (void)ctx;
    if (id_len == strlen(NOTEBOOK_PROCESSOR_V2_ID) && memcmp(id, NOTEBOOK_PROCESSOR_V2_ID, id_len) == 0) {
        return &processor;
    }
    return NULL;
}

static pb_status contract_init(void *ctx, const pb_host *h)
{
    (void)ctx;
    host = h;
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
    return fail(PB_ERR_UNSUPPORTED, "c-contract has no operations: call it through notebook.processor/2");
}

static const pb_plugin descriptor = {
    PLUGBOARD_PLUGIN_MAGIC,
    sizeof(pb_plugin),
    PLUGBOARD_ABI_MAJOR,
    PLUGBOARD_ABI_MINOR,
    "c-contract", sizeof("c-contract") - 1,
    "Contract (C)", sizeof("Contract (C)") - 1,
    "1.0.0", sizeof("1.0.0") - 1,
    0,
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
