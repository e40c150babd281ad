/* test_rank_layout.c — the rank structure's arithmetic, shared by both
 * backends: Fenwick paths against a plain array, block layout, splits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kiosk/queue_types.h"
#include "kiosk/store/rank_layout.h"
#include "kiosk/store/store.h"

/* A Fenwick tree in a small slot space, built from rank_tree_nodes and
 * updated along rank_up_path, must give the same prefix sums as a plain
 * array summed by hand, read along rank_down_path. */
static void test_fenwick_paths(void **state)
{
    (void)state;
    enum { NB = 300 };
    long long slots[NB], counts[NB];
    uint64_t r = 7;
    for (int i = 0; i < NB; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        slots[i] = (long long)(i + 1) * 4099 + (long long)(r >> 60);   /* increasing */
        counts[i] = (long long)(r >> 56) % 300;
    }
    struct rank_node_sum *nodes;
    long long nn = rank_tree_nodes(slots, counts, NB, &nodes);
    assert_true(nn > 0);
    for (long long i = 1; i < nn; i++)
        assert_true(nodes[i - 1].node < nodes[i].node);    /* sorted and merged */
    /* prefix sums at every block boundary, by the tree and by hand */
    for (int b = 0; b < NB; b += 7) {
        long long path[RANK_FEN_BITS + 1], want = 0, got = 0;
        for (int k = 0; k <= b; k++)
            want += counts[k];
        int np = rank_down_path(slots[b], path);
        assert_true(np >= 1 && np <= RANK_FEN_BITS + 1);
        for (int k = 0; k < np; k++)
            for (long long i = 0; i < nn; i++)
                if (nodes[i].node == path[k])
                    got += nodes[i].sum;
        assert_int_equal(got, want);
    }
    /* the root holds the total */
    long long total = 0;
    for (int k = 0; k < NB; k++)
        total += counts[k];
    assert_int_equal(nodes[nn - 1].node, RANK_SLOTS);
    assert_int_equal(nodes[nn - 1].sum, total);
    long long up[RANK_FEN_BITS + 1];
    int nu = rank_up_path(1, up);
    assert_int_equal(nu, RANK_FEN_BITS + 1);
    assert_int_equal(up[nu - 1], RANK_SLOTS);
    free(nodes);
}

static void test_layout_and_splits(void **state)
{
    (void)state;
    enum { N = 2000 };
    struct bulk_row *rows = calloc(N, sizeof *rows);
    for (int i = 0; i < N; i++)
        rows[i].status = i % 5 == 4 ? ST_FROZEN : ST_WAITING;
    rank_assign_slots(rows, N, N - N / 5);
    long long gap = rank_slot_gap(N - N / 5), w = 0;
    for (int i = 0; i < N; i++) {
        if (rows[i].status != ST_WAITING) {
            assert_int_equal(rows[i].slot, 0);
            continue;
        }
        assert_int_equal(rows[i].slot, (w / RANK_BLOCK_TARGET + 1) * gap);
        w++;
    }
    /* half the slot space stays free after the last block */
    assert_true(rows[N - 2].slot < RANK_SLOTS / 2);
    free(rows);
    /* a split goes halfway to the next block, or a tail step past the last */
    assert_int_equal(rank_split_slot(1000, 3000), 2000);
    assert_int_equal(rank_split_slot(1000, 1001), 0);               /* no room: rebuild */
    assert_int_equal(rank_split_slot(1000, RANK_SLOTS + 1), 1000 + RANK_TAIL_STEP);
    long long s = RANK_SLOTS - 3;
    assert_int_equal(rank_split_slot(s, RANK_SLOTS + 1), s + 2);
    assert_int_equal(rank_split_slot(RANK_SLOTS, RANK_SLOTS + 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fenwick_paths),
        cmocka_unit_test(test_layout_and_splits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
