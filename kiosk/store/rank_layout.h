/* rank_layout.h — the arithmetic of the rank structure that keeps queue
 * positions exact (docs/design.md, "Exact queue positions"), shared by the
 * SQLite and PostgreSQL backends so both lay blocks out and walk the
 * Fenwick tree the same way.  Pure: no storage here, only numbers.
 *
 * A program's waiting entries sit in rank blocks at integer slots 1…RANK_SLOTS
 * (slots increase with the blocks' lowest keys); a Fenwick tree over the
 * slots holds each block's waiting count. */
#ifndef KIOSK_RANK_LAYOUT_H
#define KIOSK_RANK_LAYOUT_H

struct bulk_row;

#define RANK_FEN_BITS 24
#define RANK_SLOTS (1LL << RANK_FEN_BITS)   /* slots 1 … RANK_SLOTS; the root node is RANK_SLOTS */
#define RANK_BLOCK_TARGET 256                /* entries per block after an import or rebuild */
#define RANK_BLOCK_MAX 512                   /* a block above this is split */
#define RANK_TAIL_STEP 1024                  /* slot distance for a block split off the last one */

/* The tree nodes an update of slot touches (slot, slot + lowbit, … ≤ RANK_SLOTS),
 * and the nodes whose sums make the prefix 1…slot.  Return how many. */
int rank_up_path(long long slot, long long nodes[RANK_FEN_BITS + 1]);
int rank_down_path(long long slot, long long nodes[RANK_FEN_BITS + 1]);

/* Slots for the waiting rows of a list sorted by key: blocks of
 * RANK_BLOCK_TARGET at a regular gap, so that half of the slot space stays
 * free after the last block for the applicants appended every day.  Rows
 * not waiting get slot 0. */
long long rank_slot_gap(long long n_waiting);
void rank_assign_slots(struct bulk_row *rows, long long n_rows, long long n_waiting);

/* Where the upper half of the block at slot goes when it is split: halfway
 * to the next block (next = RANK_SLOTS + 1 when it is the last one, and then
 * at most RANK_TAIL_STEP on, so tail growth does not halve the free space
 * each time).  0 when there is no free slot: the caller rebuilds. */
long long rank_split_slot(long long slot, long long next);

/* The tree for whole blocks: (node, sum) pairs sorted by node, merged, for
 * blocks at slots[i] holding counts[i].  *out is malloc'ed; returns the
 * number of pairs, or -1 when out of memory. */
struct rank_node_sum {
    long long node, sum;
    long long sum_new;   /* the second weight (queue_engine: waiting entries not on the
                          * published list); rank_tree_nodes leaves it 0 */
};
long long rank_tree_nodes(const long long *slots, const long long *counts, long long n_blocks,
                          struct rank_node_sum **out);

#endif
