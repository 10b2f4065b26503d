/*
 * notebook_notes.h - the Notebook sample's host interface "notebook.notes/1" for native plugins.
 *
 * Get it in init: host->get_interface(host->host_ctx, NOTEBOOK_NOTES_V1_ID, strlen(NOTEBOOK_NOTES_V1_ID)).
 * Every function works on the note being processed by the current invoke, identified by the call_ctx the
 * plugin received in invoke. Ownership: strings are borrowed UTF-8 (pointer, length); text comes back through
 * the plugin's own sink. Later versions of this interface get a new id ("notebook.notes/2").
 */
#ifndef NOTEBOOK_NOTES_H
#define NOTEBOOK_NOTES_H

#include "plugboard.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NOTEBOOK_NOTES_V1_ID "notebook.notes/1"

typedef struct notebook_notes_v1 {
    uint32_t struct_size; /* sizeof(notebook_notes_v1) as the host compiled it */
    uint32_t reserved;    /* 0 */
    /* Writes the note's title to the sink. Thread: the invoking thread, during invoke. Ownership: copied into the plugin's sink. */
    pb_status (*get_title)(void *call_ctx, void *out_ctx, pb_write_fn out_write);
    /* Writes the note's body to the sink. Thread: the invoking thread, during invoke. Ownership: copied into the plugin's sink. */
    pb_status (*get_body)(void *call_ctx, void *out_ctx, pb_write_fn out_write);
    /* Adds a tag (slugified by the host). Thread: the invoking thread, during invoke. Ownership: tag borrowed. */
    pb_status (*add_tag)(void *call_ctx, const char *tag, size_t tag_len);
    /* Sets a named metric on the note. Thread: the invoking thread, during invoke. Ownership: name borrowed. */
    pb_status (*set_metric)(void *call_ctx, const char *name, size_t name_len, double value);
    /* Counts words the way the host's TextTools.CountWords does. Thread: the invoking thread, during invoke. Ownership: text borrowed; *out_count written. */
    pb_status (*count_words)(void *call_ctx, const char *text, size_t text_len, int64_t *out_count);
    /* Adds a new note (author = plugin name) to the store; *out_id gets its id. Thread: the invoking thread, during invoke. Ownership: strings borrowed. */
    pb_status (*add_note)(void *call_ctx, const char *title, size_t title_len, const char *body, size_t body_len, int32_t *out_id);
    /* The id of the note being processed (0 if not in a store). Thread: the invoking thread, during invoke. */
    pb_status (*get_note_id)(void *call_ctx, int32_t *out_id);
} notebook_notes_v1;

#ifdef __cplusplus
}
#endif

#endif /* NOTEBOOK_NOTES_H */
