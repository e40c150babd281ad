/* rank_layout.c — slots, splits and Fenwick paths of the rank structure. */
#include "kiosk/store/rank_layout.h"

#include <stdlib.h>

#include "kiosk/queue_types.h"
#include "kiosk/store/store.h"

int rank_up_path(long long slot, long long nodes[RANK_FEN_BITS + 1])
{
    int n = 0;
    for (long long i = slot; i > 0 && i <= RANK_SLOTS; i += i & -i)
        nodes[n++] = i;
    return n;
}

int rank_down_path(long long slot, long long nodes[RANK_FEN_BITS + 1])
{
    int n = 0;
    for (long long i = slot; i > 0; i -= i & -i)
        nodes[n++] = i;
    return n;
}

long long rank_slot_gap(long long n_waiting)
{
    long long n_blocks = (n_waiting + RANK_BLOCK_TARGET - 1) / RANK_BLOCK_TARGET;
    long long gap = RANK_SLOTS / 2 / (n_blocks + 1);
    if (gap > RANK_TAIL_STEP * 4)
        gap = RANK_TAIL_STEP * 4;
    return gap < 1 ? 1 : gap;
}

void rank_assign_slots(struct bulk_row *rows, long long n_rows, long long n_waiting)
{
    long long gap = rank_slot_gap(n_waiting), w = 0;
    for (long long i = 0; i < n_rows; i++) {
        rows[i].slot = rows[i].status == ST_WAITING ? (w / RANK_BLOCK_TARGET + 1) * gap : 0;
        if (rows[i].status == ST_WAITING)
            w++;
    }
}

long long rank_split_slot(long long slot, long long next)
{
    long long room = (next - slot) / 2;
    if (next == RANK_SLOTS + 1 && room > RANK_TAIL_STEP)
        room = RANK_TAIL_STEP;
    return room < 1 ? 0 : slot + room;
}

static int cmp_node(const void *a, const void *b)
{
    const struct rank_node_sum *x = a, *y = b;
    return (x->node > y->node) - (x->node < y->node);
}

long long rank_tree_nodes(const long long *slots, const long long *counts, long long n_blocks,
                          struct rank_node_sum **out)
{
    *out = NULL;
    if (n_blocks == 0)
        return 0;
    struct rank_node_sum *d = malloc(sizeof *d * (size_t)n_blocks * (RANK_FEN_BITS + 1));
    if (!d)
        return -1;
    long long nd = 0;
    for (long long b = 0; b < n_blocks; b++) {
        long long path[RANK_FEN_BITS + 1];
        int np = rank_up_path(slots[b], path);
        for (int k = 0; k < np; k++)
            d[nd++] = (struct rank_node_sum){path[k], counts[b], 0};
    }
    qsort(d, (size_t)nd, sizeof *d, cmp_node);
    long long m = 0;
    for (long long i = 0; i < nd;) {
        long long node = d[i].node, sum = 0;
        while (i < nd && d[i].node == node)
            sum += d[i++].sum;
        d[m++] = (struct rank_node_sum){node, sum, 0};
    }
    *out = d;
    return m;
}
