/* Built by CBindingTests twice: against the hand-written samples/Notebook.NativeBridge/include/notebook_notes.h, and
 * against the header bindgen emits for Notebook.Api (through a notebook_notes.h that includes it). Both builds must
 * print the same layout: the generated header is a drop-in for the hand-written one. */
#include <stdio.h>

#include "notebook_notes.h"

int main(void)
{
    printf("%s %u %u %u %u %u %u %u %u %u\n", NOTEBOOK_NOTES_V1_ID, (unsigned)sizeof(notebook_notes_v1),
           (unsigned)offsetof(notebook_notes_v1, struct_size), (unsigned)offsetof(notebook_notes_v1, get_title),
           (unsigned)offsetof(notebook_notes_v1, get_body), (unsigned)offsetof(notebook_notes_v1, add_tag),
           (unsigned)offsetof(notebook_notes_v1, set_metric), (unsigned)offsetof(notebook_notes_v1, count_words),
           (unsigned)offsetof(notebook_notes_v1, add_note), (unsigned)offsetof(notebook_notes_v1, get_note_id));
    return 0;
}
