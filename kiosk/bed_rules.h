/* bed_rules.h — the pure transition matrix of 家庭养老床位 applications:
 * which roles may move an application from one stage to another (SPEC §5,
 * issue 5), and which steps need a reason.  No storage: eldercare.c applies
 * it, and the tests check every cell of it. */
#ifndef KIOSK_BED_RULES_H
#define KIOSK_BED_RULES_H

#include <stdbool.h>

/* A pseudo-role bit for the resident at the kiosk (never a staff role). */
#define BED_ROLE_RESIDENT (1u << 8)

/* The role bits (enum role, BED_ROLE_RESIDENT) allowed to move from → to;
 * 0 when no one may (not an edge of the process). */
unsigned bed_rule_roles(int from, int to);

/* True when from → to is an edge for somebody. */
bool bed_rule_edge(int from, int to);

/* Steps that must carry a reason: rejected, exited, withdrawn. */
bool bed_rule_needs_reason(int to);

/* Closed stages: nothing follows (exited, rejected, withdrawn). */
bool bed_stage_closed(int stage);

/* The name of the role an actor with `roles` acts in for from → to ("street",
 * "resident", …), the first allowed one; "" when none. */
const char *bed_rule_acting_role(int from, int to, unsigned roles);

#endif
