/* eldercare.h — 家庭养老床位 (home elderly-care bed) applications: the
 * stages of SPEC §5, who may move an application from one to the next, and
 * what a resident may see of it.
 *
 * Every transition goes through eldercare_advance() (staff) or
 * bed_withdraw_by_resident() (the kiosk): the rules are checked here, in
 * the core, whatever the interface; a refused one returns KERR_STAGE or
 * KERR_REFUSED (exit 5) and changes nothing; an allowed one records who,
 * when and why, and is audited in the same transaction.
 * Resident views carry masked identities, the level WORD only (never scores
 * or diagnoses), and the provider's name and phone once assigned. */
#ifndef KIOSK_ELDERCARE_H
#define KIOSK_ELDERCARE_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/queue_types.h"

struct store;
struct secret;

enum bed_stage {
    BS_SUBMITTED = 0, BS_STREET_APPROVED, BS_DISTRICT_APPROVED, BS_ASSESSED,
    BS_PROVIDER_ASSIGNED, BS_BUILT, BS_ACCEPTED, BS_IN_SERVICE, BS_EXITED,
    BS_REJECTED, BS_WITHDRAWN, BS__COUNT
};
/* "submitted", "street_approved", … exactly as SPEC §5 spells them. */
const char *bed_stage_name(int stage);
int bed_stage_parse(const char *s, int *stage);   /* 0 or KERR_INPUT */
/* Words for residents: "已提交" / "Submitted", … */
const char *bed_stage_label(int stage, const char *lang);

/* Services a resident can ask for at the kiosk (a bit each). */
enum bed_service {
    BED_SVC_CARE_BED   = 1 << 0,  /* 护理床位 / care bed */
    BED_SVC_ALARM      = 1 << 1,  /* 紧急呼叫 / emergency call button */
    BED_SVC_SENSORS    = 1 << 2,  /* 智能监测 / smart sensors */
    BED_SVC_HOME_CARE  = 1 << 3,  /* 上门护理 / home nursing visits */
    BED_SVC_MEALS      = 1 << 4,  /* 助餐 / meal help */
    BED_SVC_RENOVATION = 1 << 5,  /* 适老化改造 / home adaptation */
};
#define BED_SVC__COUNT 6
const char *bed_service_label(unsigned bit, const char *lang);
/* The services of a mask, by name, in order: "护理床位、助餐" / "care bed, meal help"
 * (the separator of the language).  Returns out. */
const char *bed_services_text(unsigned mask, const char *lang, char *out, size_t cap);

/* What the kiosk collects for a new application.  The plaintext fields come
 * from card events and are wiped by the caller after bed_submit(). */
struct bed_form {
    char elder_id[19];          /* normalised ID number of the elder */
    char elder_name[257];
    bool by_agent;              /* filed by a family member */
    char agent_id[19];
    char agent_name[257];
    char agent_phone[24];       /* digits, required when by_agent */
    char address[256];          /* where the bed is to be set up */
    unsigned services;          /* enum bed_service bits, at least one */
    bool consent;               /* must be true: consent to processing health data */
    char kiosk_id[64];
    char street[64];            /* the kiosk's [kiosk] street, recorded on the application */
};

/* File an application (stage submitted) with its consent time, an audit
 * record and a new reference (followup_ref_new) in ref.  KERR_INPUT with a
 * detail for a bad form; KERR_EXISTS when the elder already has an open
 * application (not exited, rejected or withdrawn). */
int bed_submit(struct store *st, const struct secret *sec, const struct actor *who,
               const struct bed_form *form, char ref[33]);
/* The same with a reference chosen beforehand (ref non-empty: a kiosk's
 * outbox, kiosk/outbox.h) and the time it was submitted (NULL: now).  An
 * application already filed under ref for the same elder is success with
 * nothing written, so a delivery repeated after a crash files it once. */
int bed_submit_as(struct store *st, const struct secret *sec, const struct actor *who,
                  const struct bed_form *form, char ref[33], const char *submitted_at);

struct bed_step {
    int stage;
    char at[32];                /* "YYYY-MM-DD HH:MM:SS" */
    char by_role[16];           /* "street", "resident", … (never a staff name on a resident view) */
};

#define BED_MAX_STEPS 16

/* What the resident screen, the receipt and `kioskctl position` show. */
struct bed_view {
    char ref[33];
    int stage;
    char stage_label[64];       /* in the view's language */
    char submitted_at[32];
    char elder_name_masked[96];
    char elder_id_masked[24];
    bool by_agent;
    char agent_name_masked[96];
    char responsible[96];       /* who acts now: "街道办事处" / "Street office", … */
    char next_step[160];        /* what happens next, one sentence */
    char provider_name[128];    /* "" until a provider is assigned */
    char provider_phone[32];
    char level_word[32];        /* "" before assessment; else e.g. "中度失能" / "moderate disability" */
    bool reassessment_due;
    char reassess_by[16];       /* "YYYY-MM-DD" when assessed */
    bool can_withdraw;          /* before in_service, and not closed */
    int n_steps;
    struct bed_step steps[BED_MAX_STEPS];
};

/* All applications of the elder with this ID number (any stage), newest
 * first, in language lang ("zh"/"en").  *n = 0 and 0 when there are none. */
int bed_lookup_id(struct store *st, const struct secret *sec, const char *id_number,
                  const char *lang, struct bed_view *out, int cap, int *n);
/* The same by keyed hash (for `kioskctl position --receipt`). */
int bed_lookup_hash(struct store *st, const struct secret *sec, const unsigned char hash[32],
                    const char *lang, struct bed_view *out, int cap, int *n);

/* The resident withdraws at the kiosk: id_number must be the elder's or
 * the filing agent's.  KERR_STAGE when it is too late (in_service or closed). */
int bed_withdraw_by_resident(struct store *st, const struct secret *sec, const struct actor *who,
                             const char *ref, const char *id_number);

/* ---- added by the core (issue 5): staff steps, lists and details ---------- */

struct kiosk_config;
struct assessment;

/* A staff member moves an application to stage `to` (SPEC §5, the matrix of
 * bed_rules.c).  reason is required for rejected, exited and withdrawn;
 * a (scored here with cfg->level_bands) for assessed; provider_org names
 * the organisation for provider_assigned (NULL: the only provider
 * organisation, if there is exactly one).  Checks, in order: KERR_NOTFOUND
 * unknown ref; KERR_STAGE not an edge of the process; KERR_REFUSED the
 * actor's roles do not allow it, or the provider/independence rules (only
 * the assigned provider builds and starts service; an assessor of the
 * organisation that built it, or the builder, never accepts it);
 * KERR_USAGE missing reason/assessment/provider; KERR_REFUSED too for an
 * application of a street the actor does not see (bed_actor_street).  Nothing changes on any
 * error; on success a history row and an audit record are written in the
 * same transaction. */
int eldercare_advance(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                      const struct actor *who, const char *ref, int to, const char *reason,
                      const struct assessment *a, const char *provider_org);

/* An assessor records a reassessment (stages assessed … in_service): a new
 * sealed assessment and a new due date; the stage stays, history and audit
 * record it.  KERR_STAGE outside those stages. */
int eldercare_reassess(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                       const struct actor *who, const char *ref, const struct assessment *a);

/* One line of a staff list: nothing personal. */
struct bed_summary {
    char ref[33];
    int stage;
    char submitted_at[32];
    char updated_at[32];
    char provider_name[128];
    bool by_agent;
    unsigned services;
    char reassess_by[16];
    bool reassessment_due;
    char street[64];            /* "" = no street recorded */
};
/* Every application (stage < 0) or those in one stage, oldest first. */
int bed_list(struct store *st, int stage, int (*cb)(void *ctx, const struct bed_summary *s),
             void *ctx);
/* The same of one street only (street NULL: every street; "" the
 * applications with no street recorded). */
int bed_list_street(struct store *st, int stage, const char *street,
                    int (*cb)(void *ctx, const struct bed_summary *s), void *ctx);

/* ---- streets (issue 14) ----------------------------------------------------
 * A staff account with a street ([staff] street, `kioskctl user street`) and
 * neither the district nor the admin role works for that street office: it
 * sees, opens and moves only that street's applications; every other account
 * sees every street. */

/* The street who is limited to, or NULL when it sees every street. */
const char *bed_actor_street(const struct actor *who);
/* 0 when who may see an application of this street; else KERR_REFUSED
 * naming the application (ref) and both streets. */
int bed_street_allowed(const struct actor *who, const char *street, const char *ref);
/* District or admin moves an application to another street (street "" = none
 * recorded): checked against [district] streets (cfg), audited ("bed-street",
 * "OLD -> NEW").  KERR_REFUSED for other roles, KERR_NOTFOUND unknown ref,
 * KERR_INPUT a bad street; moving it where it is changes nothing. */
int bed_move_street(struct store *st, const struct secret *sec, const struct kiosk_config *cfg,
                    const struct actor *who, const char *ref, const char *street);

/* The provider organisations a bed can be assigned to (those with an enabled
 * provider account), by name, at most cap; *n their number.  For the
 * console's pick list. */
struct org_row;
int bed_provider_orgs(struct store *st, struct org_row *out, int cap, int *n);

/* The phone the family member typed at the kiosk ("便于街道联系"), for the
 * street and district roles only: an audit record ("contact", the
 * application) is written first — no record, no phone.  phone gets the
 * digits ("" when the elder filed it alone: nothing to show, nothing
 * recorded).  KERR_REFUSED for other roles, KERR_NOTFOUND for an unknown ref. */
int bed_contact_phone(struct store *st, const struct secret *sec, const struct actor *who,
                      const char *ref, char *phone, size_t cap);

/* One history step as staff see it (with the account name and reason). */
struct bed_staff_step {
    int stage;
    char at[32];
    char actor[64];
    char role[16];
    char reason[256];
};
#define BED_MAX_HISTORY 64

/* An application for the staff console and `kioskctl bed show`: the
 * resident view (masked identities, level word — never scores or
 * diagnoses) plus the services, consent time and the full history. */
struct bed_detail {
    struct bed_view view;
    unsigned services;
    char consent_at[32];
    char kiosk_id[64];
    char street[64];
    int n_history;
    struct bed_staff_step history[BED_MAX_HISTORY];
};
int bed_show(struct store *st, const struct secret *sec, const char *ref, const char *lang,
             struct bed_detail *out);
/* The same for a staff actor: an application of a street who does not see
 * (bed_street_allowed) is refused (KERR_REFUSED), nothing decrypted. */
int bed_show_as(struct store *st, const struct secret *sec, const struct actor *who,
                const char *ref, const char *lang, struct bed_detail *out);

/* Wipe views (masked data is still personal) before freeing or reuse. */
void bed_view_wipe(struct bed_view *v, int n);

/* "街道办事处" / "Street office" — who acts at a stage ("" when closed). */
const char *bed_stage_responsible(int stage, const char *lang);

#endif
