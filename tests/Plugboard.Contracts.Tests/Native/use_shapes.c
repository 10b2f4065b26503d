/* Built by CBindingTests against the header bindgen emits for tests/Contracts/ShapesApi, as C11 and as C++: it
 * serves shapes.pen/1 from C, calls it through the table, and prints the layouts the test compares with C#. Written
 * in the common subset of C and C++ (no designated initializers, explicit casts from void *). */
#include <stdio.h>
#include <string.h>

#include "shapes_api.h"

typedef struct pen {
    int strokes;
} pen;

static pb_status pen_move_to(void *ctx, double x, double y)
{
    (void)x;
    (void)y;
    ((pen *)ctx)->strokes++;
    return PB_OK;
}

static pb_status pen_get_strokes(void *ctx, int32_t *out_result)
{
    if (out_result == NULL) {
        return PB_ERR_INVALID_ARGUMENT;
    }
    *out_result = ((pen *)ctx)->strokes;
    return PB_OK;
}

int main(void)
{
    static const uint64_t canvas_hashes[] = SHAPES_CANVAS_V1_MEMBER_HASHES;
    shapes_pen_v1 table;
    pen state;
    int32_t strokes = 0;

    memset(&table, 0, sizeof table);
    table.struct_size = (uint32_t)sizeof table;
    table.move_to = pen_move_to;
    table.get_strokes = pen_get_strokes;
    state.strokes = 0;
    if (table.move_to(&state, 1.0, 2.0) != PB_OK || table.move_to(&state, 3.0, 4.0) != PB_OK || table.get_strokes(&state, &strokes) != PB_OK) {
        return 2;
    }
    printf("strokes %d\n", (int)strokes);
    printf("has get_strokes %d\n", SHAPES_API_HAS(shapes_pen_v1, &table, get_strokes) ? 1 : 0);
    table.struct_size = (uint32_t)(offsetof(shapes_pen_v1, get_strokes));
    printf("older table has get_strokes %d\n", SHAPES_API_HAS(shapes_pen_v1, &table, get_strokes) ? 1 : 0);
    printf("id %s members %d hashes %u first 0x%016llx\n", SHAPES_CANVAS_V1_ID, SHAPES_CANVAS_V1_MEMBER_COUNT,
           (unsigned)(sizeof canvas_hashes / sizeof canvas_hashes[0]), (unsigned long long)canvas_hashes[0]);
    printf("layout hash 0x%016llx\n", (unsigned long long)SHAPES_CANVAS_V1_LAYOUT_HASH);
    printf("mood %d level %u\n", (int)SHAPES_MOOD_BUSY, (unsigned)SHAPES_LEVEL_HIGH);
    printf("point %u %u %u %u\n", (unsigned)sizeof(shapes_point), (unsigned)offsetof(shapes_point, struct_size),
           (unsigned)offsetof(shapes_point, x), (unsigned)offsetof(shapes_point, y));
    printf("rect %u %u %u %u %u %u %u %u\n", (unsigned)sizeof(shapes_rect), (unsigned)offsetof(shapes_rect, struct_size),
           (unsigned)offsetof(shapes_rect, top_left), (unsigned)offsetof(shapes_rect, filled), (unsigned)offsetof(shapes_rect, mood),
           (unsigned)offsetof(shapes_rect, level), (unsigned)offsetof(shapes_rect, width), (unsigned)offsetof(shapes_rect, id));
    return 0;
}
