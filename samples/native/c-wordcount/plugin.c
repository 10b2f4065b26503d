/*
 * c-wordcount: a Notebook sample plugin in C. For each note it counts the words of the body with the host's
 * own TextTools (so every plugin counts alike), stores the count as metric "words", and tags the note
 * "long" or "short".
 *
 * It implements the host's contract INoteProcessor itself, notebook.processor/2, on the header `plugboard bindgen
 * --lang c` emits from Notebook.Api (notebook_api.h, checked in under samples/Notebook.NativeBridge/Generated): the
 * host calls processor.Process(note, store) through the generated proxy, and the plugin gets the host's own Note as a
 * handle to notebook.note/1 (valid during the call). It implements INoteChecker too, notebook.checker/1, on the same
 * header: the sample host runs it out of process as a checker through the generated NoteCheckerProxy, and shows its
 * deliberate crash contained there.
 */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "plugboard.h"
#include "notebook_api.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LONG_NOTE_WORDS 50

static const pb_host *host;

static pb_status fail(pb_status status, const char *message)
{
    host->set_error(host->host_ctx, status, message, strlen(message));
    return status;
}

/* notebook.processor/2 get_name: the name the host shows in its report. */
static pb_status wc_get_name(void *ctx, void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    return out_write(out_ctx, "Word count (C)", sizeof("Word count (C)") - 1);
}

/* notebook.processor/2 process: INoteProcessor.Process(note, store) with the host's own note. The note handle and its
 * table are valid only during this call; the host serializes calls (no PB_FLAG_THREAD_SAFE). */
static pb_status wc_process_note(void *ctx, void *note, const notebook_note_v1 *note_vtbl, void *store, const notebook_store_v1 *store_vtbl,
                                 void *out_ctx, pb_write_fn out_write)
{
    int32_t words = 0;
    uint8_t added = 0;
    pb_status status;
    char report[128];
    int report_len;
    const char *size_tag;

    (void)ctx;
    (void)store;
    (void)store_vtbl;
    /* count_words is the last function this plugin calls: a table that has it has the others. */
    if (note_vtbl == NULL || !NOTEBOOK_API_HAS(notebook_note_v1, note_vtbl, count_words)) {
        return fail(PB_ERR_INVALID_ARGUMENT, "process needs the notebook.note/1 handle");
    }
    /* The host's own TextTools count the words (so every plugin counts alike). */
    if ((status = note_vtbl->count_words(note, &words)) != PB_OK) {
        return fail(status, "count_words failed");
    }
    if ((status = note_vtbl->set_metric(note, "words", 5, (double)words)) != PB_OK) {
        return fail(status, "set_metric failed");
    }
    size_tag = words > LONG_NOTE_WORDS ? "long" : "short";
    if ((status = note_vtbl->add_tag(note, size_tag, strlen(size_tag), &added)) != PB_OK) {
        return fail(status, "add_tag failed");
    }
    report_len = snprintf(report, sizeof report, "c-wordcount: %d words, tagged '%s'", (int)words, size_tag);
    return out_write(out_ctx, report, (size_t)report_len);
}

static const notebook_processor_v2 note_processor = { sizeof(notebook_processor_v2), 0, wc_get_name, wc_process_note };

static int contains(const char *text, size_t len, const char *word)
{
    size_t word_len = strlen(word);
    for (size_t i = 0; i + word_len <= len; i++) {
        if (memcmp(text + i, word, word_len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* notebook.checker/1 check: INoteChecker.Check(title, body), which the sample host calls out of process. Counts the
 * words of the body itself, with no host call: out of process the plugin has no host tables. Its deliberate bug: a
 * body holding #crash-the-wordcount makes it write through a NULL pointer, which ends any process it runs in. */
static pb_status wc_check(void *ctx, const char *title, size_t title_len, const char *input, size_t input_len, void *out_ctx, pb_write_fn out_write)
{
    int words = 0;
    int in_word = 0;
    char report[64];
    int report_len;

    (void)ctx;
    (void)title;
    (void)title_len;
    if (input == NULL && input_len != 0) {
        return fail(PB_ERR_INVALID_ARGUMENT, "check got a NULL body with a non-zero length");
    }
    if (contains(input, input_len, "#crash-the-wordcount")) {
        *(volatile int *)(size_t)0 = 1;
    }
    for (size_t i = 0; i < input_len; i++) {
        int letter = input[i] != ' ' && input[i] != '\n' && input[i] != '\t';
        words += letter && !in_word;
        in_word = letter;
    }
    /* The process it runs in, so the host can show which worker answered. */
    report_len = snprintf(report, sizeof report, "%d words (pid %ld)", words, (long)getpid());
    return out_write(out_ctx, report, (size_t)report_len);
}

static const notebook_checker_v1 note_checker = { sizeof(notebook_checker_v1), 0, wc_check };

static const void *wc_get_interface(void *ctx, const char *id, size_t id_len)
{
    (void)ctx;
    if (id_len == strlen(NOTEBOOK_PROCESSOR_V2_ID) && memcmp(id, NOTEBOOK_PROCESSOR_V2_ID, id_len) == 0) {
        return &note_processor;
    }
    if (id_len == strlen(NOTEBOOK_CHECKER_V1_ID) && memcmp(id, NOTEBOOK_CHECKER_V1_ID, id_len) == 0) {
        return &note_checker;
    }
    return NULL;
}

static pb_status wc_init(void *ctx, const pb_host *h)
{
    (void)ctx;
    host = h;
    return PB_OK;
}

static void wc_shutdown(void *ctx)
{
    (void)ctx;
    host = NULL;
}

static pb_status wc_invoke(void *ctx, void *call, const char *op, size_t op_len, const char *input, size_t input_len,
                           void *out_ctx, pb_write_fn out_write)
{
    (void)ctx;
    (void)call;
    if (op_len == 4 && memcmp(op, "ping", 4) == 0) {
        /* Health check: no host calls, used to measure the bare call cost. */
        return out_write(out_ctx, "pong", 4);
    }
    (void)input;
    (void)input_len;
    return fail(PB_ERR_UNSUPPORTED, "c-wordcount has only the 'ping' operation: the host calls it through notebook.processor/2 and notebook.checker/1");
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
    wc_get_interface,
    wc_invoke,
};

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h);

PLUGBOARD_EXPORT const pb_plugin *plugboard_entry_v1(const pb_host *h)
{
    (void)h;
    return &descriptor;
}
