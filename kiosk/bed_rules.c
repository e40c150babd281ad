/* bed_rules.c — the transition matrix of home-care-bed applications.
 *
 * One table, [from][to] → role bits.  The process is a line with two side
 * exits: the reviews may reject, and the applicant (at the kiosk) or the
 * street office may withdraw before the service starts; once in service it
 * ends only by an exit the street or district records.  Admin is no role
 * here on purpose: running the system is not deciding cases. */
#include "kiosk/bed_rules.h"

#include "kiosk/eldercare.h"
#include "kiosk/queue_types.h"

#define R_STREET   ROLE_STREET
#define R_DISTRICT ROLE_DISTRICT
#define R_ASSESSOR ROLE_ASSESSOR
#define R_PROVIDER ROLE_PROVIDER
#define R_RESIDENT BED_ROLE_RESIDENT
/* who may withdraw an application that has not started service */
#define R_WITHDRAW (R_STREET | R_RESIDENT)

static const unsigned matrix[BS__COUNT][BS__COUNT] = {
    [BS_SUBMITTED] = {
        [BS_STREET_APPROVED] = R_STREET,
        [BS_REJECTED] = R_STREET,
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_STREET_APPROVED] = {
        [BS_DISTRICT_APPROVED] = R_DISTRICT,
        [BS_REJECTED] = R_DISTRICT,
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_DISTRICT_APPROVED] = {
        [BS_ASSESSED] = R_ASSESSOR,
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_ASSESSED] = {
        [BS_PROVIDER_ASSIGNED] = R_DISTRICT | R_STREET,
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_PROVIDER_ASSIGNED] = {
        [BS_BUILT] = R_PROVIDER,            /* only the assigned provider's staff (eldercare.c) */
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_BUILT] = {
        [BS_ACCEPTED] = R_ASSESSOR,         /* never the organisation that built (eldercare.c) */
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_ACCEPTED] = {
        [BS_IN_SERVICE] = R_PROVIDER,       /* the assigned provider's staff */
        [BS_WITHDRAWN] = R_WITHDRAW,
    },
    [BS_IN_SERVICE] = {
        [BS_EXITED] = R_STREET | R_DISTRICT,
    },
    /* exited, rejected, withdrawn: closed */
};

static bool valid(int s) { return s >= 0 && s < BS__COUNT; }

unsigned bed_rule_roles(int from, int to)
{
    return valid(from) && valid(to) ? matrix[from][to] : 0;
}

bool bed_rule_edge(int from, int to) { return bed_rule_roles(from, to) != 0; }

bool bed_rule_needs_reason(int to)
{
    return to == BS_REJECTED || to == BS_EXITED || to == BS_WITHDRAWN;
}

bool bed_stage_closed(int stage)
{
    return stage == BS_EXITED || stage == BS_REJECTED || stage == BS_WITHDRAWN;
}

const char *bed_rule_acting_role(int from, int to, unsigned roles)
{
    unsigned ok = bed_rule_roles(from, to) & roles;
    if (!ok)
        return "";
    if (ok & BED_ROLE_RESIDENT)
        return "resident";
    for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
        if (ok & bit)
            return role_name(bit);
    return "";
}
