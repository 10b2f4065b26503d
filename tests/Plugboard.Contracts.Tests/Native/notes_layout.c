/* Built by CBindingTests against the header bindgen emits for Notebook.Api: it must print the layout the hand-written
 * notebook_notes.h had (the header the sample plugins were built on before the emitted one replaced it). */
#include <stdio.h>

#include "notebook_api.h"

int main(void)
{
    printf("%s %u %u %u %u %u %u %u %u %u\n", NOTEBOOK_NOTES_V1_ID, (unsigned)sizeof(notebook_notes_v1),
           (unsigned)offsetof(notebook_notes_v1, struct_size), (unsigned)offsetof(notebook_notes_v1, get_title),
           (unsigned)offsetof(notebook_notes_v1, get_body), (unsigned)offsetof(notebook_notes_v1, add_tag),
           (unsigned)offsetof(notebook_notes_v1, set_metric), (unsigned)offsetof(notebook_notes_v1, count_words),
           (unsigned)offsetof(notebook_notes_v1, add_note), (unsigned)offsetof(notebook_notes_v1, get_note_id));
    return 0;
}
