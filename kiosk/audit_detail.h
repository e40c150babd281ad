/* audit_detail.h — the one table of audit detail formats, and the reader
 * that shows a stored detail in the language in force (issue 14).
 *
 * The detail of an audit record is inside the keyed hash chain (audit.h),
 * so what is stored stays English and byte for byte what it always was.
 * Every format a writer passes to audit_append is named here (AD_…), and
 * the reader matches a stored detail back against the same formats: writer
 * and reader share one source.  Each format is a string literal in N_(), so
 * audit_append's printf format checking still sees it and xgettext picks it
 * up; data/po/zh.po translates it ("#, c-format").
 *
 * A format whose parts vary (with or without an agent, a reason, an
 * organisation) is one entry per variant, each printing exactly what the one
 * format with "%s" pieces printed before: the literal words are translated
 * whole, never glued from English pieces.  Texts the core itself writes
 * (the reassessment's reason, the applicant's withdrawal) are literal parts
 * of their formats for the same reason. */
#ifndef KIOSK_AUDIT_DETAIL_H
#define KIOSK_AUDIT_DETAIL_H

#include <stddef.h>

#include "kiosk/i18n.h"

/* ---- the formats (writers pass these to audit_append) ---------------------------- */

/* import: the file's name, then the counts; _KEPT when removals were allowed
 * past the guard (--allow-removals: how many, and of which statuses) */
#define AD_IMPORT_FILE N_("file %s: %lld rows; %lld added, %lld updated, %lld removed as absent, %lld unchanged")
#define AD_IMPORT_FILE_KEPT                                                                         \
    N_("file %s: %lld rows; %lld added, %lld updated, %lld removed as absent (allowed: %lld; "       \
       "%lld housed, %lld offered, %lld frozen), %lld unchanged")
#define AD_IMPORT_DEMO N_("demo list: %lld rows; %lld added, %lld updated, %lld removed as absent, %lld unchanged")
#define AD_IMPORT_DEMO_KEPT                                                                         \
    N_("demo list: %lld rows; %lld added, %lld updated, %lld removed as absent (allowed: %lld; "     \
       "%lld housed, %lld offered, %lld frozen), %lld unchanged")
/* a queue entry's status change: from, to (status codes), the reason typed */
#define AD_QUEUE_STEP N_("%s -> %s: %s")
#define AD_PUBLISH N_("publication %lld: %lld waiting")
#define AD_PUBLISH_DEMO N_("demo publication of %lld")
/* a bed application: the services bit mask, the consent's time */
#define AD_BED_SUBMIT N_("submitted, services 0x%x, consent %s")
#define AD_BED_SUBMIT_AGENT N_("submitted by an agent, services 0x%x, consent %s")
/* a bed application's step: from, to (stage codes), as (a role code), why */
#define AD_BED_REASSESS N_("%s -> %s as %s: reassessment")
#define AD_BED_WITHDRAW N_("%s -> %s as %s: withdrawn by the applicant at the kiosk")
#define AD_BED_STEP_WHY N_("%s -> %s as %s: %s")
#define AD_BED_STEP N_("%s -> %s as %s")
/* the reasons the core writes itself for those two steps (the bed history keeps them) */
#define AD_WHY_REASSESS "reassessment"
#define AD_WHY_WITHDRAW "withdrawn by the applicant at the kiosk"
#define AD_CONTACT N_("the family member's phone shown on the staff console")
#define AD_INIT N_("schema %d -> %d")
#define AD_EXPORT N_("full list with identities")
/* a programme saved: its Chinese and English names, its ordering keys, the limit */
#define AD_PROGRAM N_("%s / %s; rule %s; refusal limit %d")
#define AD_BED_CLEAR N_("demo data replaces all applications")
#define AD_LOGIN_OK N_("ok")
#define AD_LOGIN_REHASHED N_("password rehashed")
#define AD_LOGIN_DISABLED N_("account disabled")
#define AD_LOGIN_LOCKED N_("account locked")
#define AD_LOGIN_WRONG_LOCKED N_("wrong password (%d of %d): locked until %s")
#define AD_LOGIN_WRONG N_("wrong password (%d of %d)")
#define AD_LOGIN_UNKNOWN N_("no such account")
/* an account added: its roles (codes, comma-separated), its organisation */
#define AD_USER_ADD_ORG_STREET N_("roles %s, organisation %s, street %s")
#define AD_USER_ADD_ORG N_("roles %s, organisation %s")
#define AD_USER_ADD_STREET N_("roles %s, street %s")
#define AD_USER_ADD N_("roles %s")
#define AD_USER_PASSWD N_("password set; failed logins and lock cleared")
#define AD_USER_ROLES N_("%s -> %s")
#define AD_STREET_MOVE N_("%s -> %s")   /* a street (街道) or "(none)" */
#define AD_USER_DISABLED N_("disabled")
#define AD_USER_ENABLED N_("enabled")
#define AD_CARD_LOOKUP N_("ID card read at the staff counter")
#define AD_FIND_ID N_("by id: %d found")
#define AD_FIND_NAME N_("by name: %d found")
#define AD_FIND_PHONE N_("by phone: %d found")
/* the purpose picked from the list (the list shows it through gettext too) */
#define AD_REVEAL N_("full ID number shown on the staff console; purpose: %s")
#define AD_REPORT_EXPORT N_("%d rows to %s")

/* The table the reader walks, first match wins (so a format that another
 * would also match comes before it: the variants with a fixed reason before
 * the one with any reason).  Per format: the actions it is written for
 * (space-separated codes) and one letter per conversion saying what the
 * value is —
 *   n  a number: shown as stored
 *   t  text (a reason typed, a name, a file, a time): shown as stored
 *   c  a code (status, role, purpose): translated like kerr_detail_local
 *      translates its %s words (the gettext msgid of the code), else as stored
 *   l  codes separated by commas (roles, ordering keys): each one so
 *   b  a bed application's stage code: the console's label of the stage
 *      (bed_stage_label; "withdrawn" is a word of the queue's too, and a bed
 *      application is withdrawn in other words than a queue entry)
 *   s  a bed application's services, the hex bit mask: their names in the
 *      language in force, 、-separated (English: the mask as stored, after
 *      its format's "0x"; a bit no service has: the mask with "0x") */
#define AUDIT_DETAIL_TABLE(X)                                                                       \
    X(AD_IMPORT_FILE_KEPT, "import", "tnnnnnnnnn")                                                  \
    X(AD_IMPORT_FILE, "import", "tnnnnn")                                                           \
    X(AD_IMPORT_DEMO_KEPT, "import", "nnnnnnnnn")                                                   \
    X(AD_IMPORT_DEMO, "import", "nnnnn")                                                            \
    X(AD_QUEUE_STEP, "offer accept refuse freeze unfreeze withdraw remove reinstate", "cct")        \
    X(AD_PUBLISH, "publish", "nn")                                                                  \
    X(AD_PUBLISH_DEMO, "publish", "n")                                                              \
    X(AD_BED_SUBMIT, "bed-submit", "st")                                                            \
    X(AD_BED_SUBMIT_AGENT, "bed-submit", "st")                                                      \
    X(AD_BED_REASSESS, "bed-advance bed-reassess bed-withdraw", "bbc")                              \
    X(AD_BED_WITHDRAW, "bed-advance bed-reassess bed-withdraw", "bbc")                              \
    X(AD_BED_STEP_WHY, "bed-advance bed-reassess bed-withdraw", "bbct")                             \
    X(AD_BED_STEP, "bed-advance bed-reassess bed-withdraw", "bbc")                                  \
    X(AD_CONTACT, "contact", "")                                                                    \
    X(AD_INIT, "init", "nn")                                                                        \
    X(AD_EXPORT, "export", "")                                                                      \
    X(AD_PROGRAM, "program-add program-set", "ttln")                                                \
    X(AD_BED_CLEAR, "bed-clear", "")                                                                \
    X(AD_LOGIN_OK, "login", "")                                                                     \
    X(AD_LOGIN_REHASHED, "login", "")                                                               \
    X(AD_LOGIN_DISABLED, "login-refused", "")                                                       \
    X(AD_LOGIN_LOCKED, "login-refused", "")                                                         \
    X(AD_LOGIN_WRONG_LOCKED, "login-failed", "nnt")                                                 \
    X(AD_LOGIN_WRONG, "login-failed", "nn")                                                         \
    X(AD_LOGIN_UNKNOWN, "login-failed", "")                                                         \
    X(AD_USER_ADD_ORG_STREET, "user-add", "ltt")                                                    \
    X(AD_USER_ADD_ORG, "user-add", "lt")                                                            \
    X(AD_USER_ADD_STREET, "user-add", "lt")                                                         \
    X(AD_USER_ADD, "user-add", "l")                                                                 \
    X(AD_USER_PASSWD, "user-passwd", "")                                                            \
    X(AD_USER_ROLES, "user-roles", "ll")                                                            \
    X(AD_STREET_MOVE, "bed-street user-street", "cc")                                               \
    X(AD_USER_DISABLED, "user-disable", "")                                                         \
    X(AD_USER_ENABLED, "user-enable", "")                                                           \
    X(AD_CARD_LOOKUP, "card_lookup", "")                                                            \
    X(AD_FIND_ID, "find", "n")                                                                      \
    X(AD_FIND_NAME, "find", "n")                                                                    \
    X(AD_FIND_PHONE, "find", "n")                                                                   \
    X(AD_REVEAL, "reveal", "c")                                                                     \
    X(AD_REPORT_EXPORT, "report-export", "nt")

/* Each format's index in the table: AD_IMPORT_FILE_ID, … */
enum audit_detail_id {
#define AUDIT_DETAIL_ENUM(fmt, actions, kinds) fmt##_ID,
    AUDIT_DETAIL_TABLE(AUDIT_DETAIL_ENUM)
#undef AUDIT_DETAIL_ENUM
    AD__COUNT
};

struct audit_detail_fmt {
    const char *name;      /* "AD_IMPORT_FILE" */
    const char *fmt;       /* the English format, as written */
    const char *actions;   /* "import" */
    const char *kinds;     /* "tnnnnn" */
};

/* Entry id of the table (NULL outside 0 … AD__COUNT-1). */
const struct audit_detail_fmt *audit_detail_fmt(int id);

#define AUDIT_DETAIL_MAXARG 12

/* A stored detail taken apart: the format it was written with and each
 * value as it stands in the detail (not NUL-terminated). */
struct audit_detail_match {
    int id;
    int n;
    struct {
        const char *s;
        size_t len;
    } arg[AUDIT_DETAIL_MAXARG];
};

/* Match detail against the formats written for action: the literal text
 * must be equal, each conversion takes a value of its kind (digits for %d,
 * hex digits for %x, any text for %s).  Returns the format's id, or -1 when
 * none matches (an older record, a free text): m->id is then -1 too. */
int audit_detail_match(const char *action, const char *detail, struct audit_detail_match *m);

/* The detail in the language in force (i18n_set_lang): the matched format's
 * translation with the values put back, codes translated, texts as stored.
 * A detail that matches no format, or whose translation does not keep the
 * format's conversions in order, is copied verbatim.  In English the result
 * is the stored detail itself.  Returns out. */
const char *audit_detail_local(const char *action, const char *detail, char *out, size_t cap);

#endif
