/* test_console_tui.c — the staff console in a real terminal (forkpty +
 * libvterm through tests/screen/vt.h).
 *
 * Runs the real binary (build/asan/kiosk, ASan + UBSan) as `--staff` and
 * `--admin` against a demo database, types keys and reads the screen back:
 * login (the password never shows), the queue browser's pages of 40, `g`
 * jump, `/` search, an entry action with a reason, a refusal shown in the
 * status line, a bed-application move, the admin screens, 80×24 and a
 * too-small terminal, resize, the idle logout, and a session with
 * `--lang zh` (login, home and queue browser in Chinese, from zh.po).
 * Every wait is "until the screen shows it, or a deadline" — never a fixed
 * sleep.  TAP output.
 *
 * usage: test_console_tui [KIOSK [KIOSKCTL]]
 *        (defaults: $KIOSK_BUILD/asan/kiosk, $KIOSK_BUILD/kioskctl) */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/followup.h"
#include "tests/screen/vt.h"
#include "tests/tap.h"

#define WAIT 8000           /* ms: the longest a screen may take (Argon2id under ASan) */
#define PGUP "\033[5~"
#define PGDN "\033[6~"
#define F10 "\033[21~"
#define END_KEY "\033OF"   /* End as xterm sends it in keypad-transmit mode */

static char kiosk[512], kioskctl[512], dir[512], db[600];
static char demo_id[32], demo_name[64];   /* demo resident 2: entries and an application */

static void dump(struct vt *t, const char *why)
{
    printf("# screen (%s):\n", why);
    const char *p = vt_text(t);
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        printf("#   |%.*s|\n", n, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ok() on a wait, with the screen dumped when it failed. */
static bool see(struct vt *t, const char *s, const char *what)
{
    bool good = vt_wait(t, s, WAIT);
    ok(good, "%s (\"%s\")", what, s);
    if (!good)
        dump(t, what);
    return good;
}

static struct vt *start_lang(const char *mode, int rows, int cols, const char *idle,
                             const char *lang)
{
    char *argv[12];
    int a = 0;
    argv[a++] = kiosk;
    argv[a++] = (char *)mode;
    argv[a++] = "--db";
    argv[a++] = db;
    argv[a++] = "--lang";
    argv[a++] = (char *)lang;
    if (idle) {
        argv[a++] = "--idle-timeout";
        argv[a++] = (char *)idle;
    }
    argv[a] = NULL;
    return vt_start(rows, cols, argv, NULL);
}

static struct vt *start(const char *mode, int rows, int cols, const char *idle)
{
    return start_lang(mode, rows, cols, idle, "en");
}

static bool log_in_as(struct vt *t, const char *label, const char *user, const char *pw)
{
    if (!vt_wait(t, label, WAIT))
        return false;
    vt_send(t, user);
    vt_send(t, "\r");
    vt_send(t, pw);
    return true;
}

static bool log_in(struct vt *t, const char *user, const char *pw)
{
    return log_in_as(t, "User name:", user, pw);
}

/* Wait until the terminal has been quiet for 100 ms (a frame fully drawn),
 * within the deadline: what was waited for may be at the top of a frame
 * whose rows are still arriving. */
static void settle(struct vt *t)
{
    double end = vt_now_ms() + WAIT;
    char *before = strdup(vt_text(t));
    while (vt_now_ms() < end) {
        vt_pump(t, 100);
        if (!strcmp(before, vt_text(t)))
            break;
        free(before);
        before = strdup(vt_text(t));
    }
    free(before);
}

/* The receipt number on the first queue row shown for position pos ("" when absent). */
static void receipt_at(struct vt *t, long long pos, char out[40])
{
    out[0] = '\0';
    settle(t);
    char want[32];
    snprintf(want, sizeof want, " %lld BHJ", pos);
    const char *s = strstr(vt_text(t), want);
    if (s)
        sscanf(s + strlen(want) - 3, "%39s", out);
}

static bool wait_bold(struct vt *t, const char *s, int timeout_ms);
static void row_text(struct vt *t, int r, char *out, size_t cap);
static int dates_in_order(struct vt *t, bool desc, int *n);

static void test_staff_queue(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    double t0 = vt_now_ms();
    ok(log_in(t, "clerk", "clerk-password"), "login screen shows (%.0f ms)", vt_now_ms() - t0);
    vt_wait(t, "**************", WAIT);
    ok(!strstr(vt_text(t), "clerk-password"), "the password is not echoed");
    vt_send(t, "\r");
    see(t, "Housing queues", "logged in: home menu");
    ok(!strstr(vt_text(t), "Staff accounts"), "--staff: no admin screens");
    vt_send(t, "1");
    see(t, "prh", "programme list");
    vt_send(t, "\r");
    see(t, "Positions 1–40 of", "queue browser, first page");
    see(t, "4403**********", "IDs are masked in the list");
    vt_send(t, PGDN);
    see(t, "Positions 41–80 of", "PgDn: next page of 40");
    vt_send(t, PGUP);
    see(t, "Positions 1–40 of", "PgUp: back");
    vt_send(t, "g");
    see(t, "Go to position", "g opens the jump prompt");
    vt_send(t, "150\r");
    see(t, "Positions 150–189 of", "jump to position 150");
    char receipt[40];
    receipt_at(t, 150, receipt);
    ok(receipt[0] != '\0', "row 150 shows a receipt number (%s)", receipt);
    /* search another receipt: the one at 151 */
    char r151[40];
    receipt_at(t, 151, r151);
    vt_send(t, "/");
    see(t, "Find (Enter with no match: everyone):", "/ opens the find prompt");
    vt_send(t, r151);
    ok(wait_bold(t, r151, WAIT), "/: the selection moved to %s as it was typed", r151);
    vt_send(t, "\r");
    see(t, "Found: n next, N previous.", "Enter ends the find on the row");
    vt_send(t, "\r");
    char title[80];
    snprintf(title, sizeof title, "prh/%s", r151);
    see(t, title, "search opens the entry");
    see(t, "position 151 of", "entry shows its position");
    see(t, "Offer a flat", "actions allowed now");
    /* an empty reason: the core's refusal in the status line */
    vt_send(t, "\r");
    see(t, "— reason:", "reason prompt");
    vt_send(t, "\r");
    see(t, "a reason is required", "refusal shown in the status line");
    vt_send(t, "\r");
    vt_send(t, "flat 3-1201\r");
    see(t, "answer by (YYYY-MM-DD", "the offer asks what the resident is told: the deadline");
    vt_send(t, "2030-06-30\r");
    see(t, "where to go", "then the place");
    vt_send(t, "Building 3, flat 1201\r");
    see(t, "whom to call", "then the contact");
    vt_send(t, "\r");
    see(t, "Done (Offer a flat)", "offer recorded with a reason");
    see(t, "Record acceptance", "now acceptance is offered");
    vt_send(t, VT_ESC);
    see(t, "Positions 150–189 of", "Esc back to the same page");
    /* 151 left the waiting list: the page moved up */
    char now151[40];
    receipt_at(t, 151, now151);
    ok(strcmp(now151, r151) != 0, "the offered entry left position 151");
    /* a too-small terminal, then back */
    vt_resize(t, 20, 70);
    see(t, "Please enlarge", "too small: please enlarge");
    vt_resize(t, 24, 80);
    see(t, "Positions 150–189 of", "resize back: redrawn");
    vt_send(t, F10);
    int status = 0;
    double end = vt_now_ms() + WAIT;
    while (vt_alive(t, &status) && vt_now_ms() < end)
        vt_pump(t, 20);
    ok(!vt_alive(t, &status) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "F10 quits with status 0");
    vt_stop(t);
}

static void test_beds_and_roles(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "demo-street", "demo-password");
    vt_send(t, "\r");
    see(t, "Home-care bed applications", "street clerk logged in");
    ok(!strstr(vt_text(t), "Housing queues"), "no housing role: no queues offered");
    see(t, "overdue", "the home menu counts the street's overdue applications");
    vt_send(t, "1");
    see(t, "filter: stages you can act on", "bed list filtered to actionable stages");
    see(t, "by days in stage", "oldest in its stage first");
    see(t, "overdue ", "overdue applications marked with their days");
    ok(!strstr(vt_text(t), " in_service ") && !strstr(vt_text(t), " built "),
       "the street's work queue: no stage another role moves forward");
    vt_send(t, "f");
    see(t, "Show which applications? Type the number.", "f: a pick list of stages");
    see(t, "stages you can act on", "the pick list: the work queue");
    see(t, "Provider assigned", "the pick list: each stage");
    vt_send(t, "3\r");
    see(t, "filter: Submitted", "3: only submitted applications");
    see(t, " submitted ", "a submitted application listed");
    vt_send(t, "\r");
    see(t, "Move to Approved by the street office", "the street's moves offered");
    ok(!strstr(vt_text(t), "Move to district_approved"), "the district's move is not offered");
    vt_send(t, "\r");
    see(t, "Note (optional)", "note prompt");
    vt_send(t, "材料齐全\r");
    see(t, "moved to Approved by the street office", "application moved");
    vt_send(t, VT_ESC);
    see(t, "applications", "back to the list");
    see(t, "filter: Submitted", "the filter is kept");
    /* an assessed application: the provider picked from a numbered list */
    vt_send(t, "f6\r");
    see(t, "filter: Assessed", "f 6: the assessed applications");
    vt_send(t, "\r");
    see(t, "Move to Provider assigned", "the provider move offered");
    vt_send(t, "\r");
    see(t, "Assign the application to:", "the provider pick list");
    see(t, "颐年护理服务有限公司", "the organisations listed");
    see(t, "Provider (1–2):", "a number from the list");
    vt_send(t, "2\r");
    see(t, "Note (optional)", "then the note");
    vt_send(t, "\r");
    see(t, "moved to Provider assigned", "assigned to the provider picked");
    see(t, "颐年护理服务有限公司", "the application names the provider");
    vt_stop(t);
}

static void test_admin_and_idle(void)
{
    struct vt *t = start("--admin", 24, 80, "3");
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Staff accounts", "--admin: admin screens for an admin");
    vt_send(t, "4");
    see(t, "demo-street", "accounts listed");
    vt_send(t, VT_ESC);
    vt_send(t, "5");
    see(t, "newest first", "audit browser");
    vt_send(t, "v");
    see(t, "Audit chain verified", "audit verify");
    vt_send(t, VT_ESC);
    vt_send(t, "6");
    see(t, "chain verified", "check screen");
    double t0 = vt_now_ms();
    bool out = vt_wait(t, "Logged out after", WAIT);
    ok(out, "idle logout after 3 s (%.0f ms)", vt_now_ms() - t0);
    ok(!strstr(vt_text(t), "clerk (") && strstr(vt_text(t), "User name:"),
       "back at the login screen, nobody shown");
    vt_stop(t);
}

/* The same console in Chinese (data/po/zh.po): a lost or renamed translation
 * shows up here as English on the screen. */
static void test_chinese(void)
{
    struct vt *t = start_lang("--staff", 24, 80, NULL, "zh");
    see(t, "工作人员控制台 — 登录", "zh: login title");
    see(t, "[Tab] 下一项", "zh: login key hints (labels from kiosk/keytab.h)");
    ok(log_in_as(t, "用户名：", "clerk", "clerk-password"), "zh: login form in Chinese");
    vt_send(t, "\r");
    see(t, "住房轮候", "zh: logged in, home menu");
    see(t, "需补纸的终端", "zh: home menu items");
    see(t, "[F9] 退出登录", "zh: home key hints");
    ok(!strstr(vt_text(t), "Housing queues") && !strstr(vt_text(t), "log out"),
       "zh: no English left on the home screen");
    vt_send(t, "1");
    see(t, "[/] 查找", "zh: programme list hints");
    vt_send(t, "\r");
    see(t, "第 1–40 位，共", "zh: queue browser caption");
    see(t, "轮候队列 prh", "zh: queue browser title");
    see(t, "[Enter] 打开  [g] 跳到位次  [/] 查找  [f] 筛选  [Esc] 返回",
        "zh: queue browser hints, from the key table");
    see(t, "[F1] 帮助", "zh: the hint always offers help, whole in 80 columns");
    settle(t);
    ok(!strstr(vt_text(t), "Positions") && !strstr(vt_text(t), "Esc back"),
       "zh: no English caption or hints in the queue browser");
    /* ?: the help screen lists every action of the queue browser, PgDn too */
    vt_send(t, "?");
    see(t, "跳到排队第 N 位。", "zh: ? opens the help of the queue browser");
    see(t, "显示下一页。", "zh: help lists the actions the hint had no room for");
    vt_send(t, VT_ESC);
    see(t, "第 1–40 位，共", "zh: Esc from help: back on the same page");
    /* the core's refusal, in Chinese with its words translated (kerr_detail_local) */
    vt_send(t, "\r");
    see(t, "显示完整身份证号", "zh: an entry opened");
    vt_send(t, "\r");
    see(t, "原因", "zh: the reason prompt");
    vt_send(t, "\r");
    see(t, "通知选房须填写原因", "zh: the core's refusal detail in Chinese");
    ok(!strstr(vt_text(t), "a reason is required") && !strstr(vt_text(t), " offer "),
       "zh: no English in the refusal");
    vt_stop(t);
}

/* ---- no English on a Chinese screen (issue 14) ---------------------------------------- */

/* Words of ASCII letters that may stand on a Chinese screen: key names, programme
 * codes, and what the clerk types or reads back as is (account names, receipt
 * numbers and references contain digits or hyphens and are skipped below). */
static bool allowed_word(const char *w)
{
    static const char *const ok_words[] = {
        "Enter", "Esc", "Tab", "BackTab", "Backspace", "Delete", "PgUp", "PgDn", "Home", "End",
        "Up", "Down", "Left", "Right", "Ctrl", "prh", "ahp", "talent", "clerk", "demo", "street", "kioskctl",
        "init", "ID", "LH", "YYYY", "MM", "DD", NULL};
    for (int i = 0; ok_words[i]; i++)
        if (!strcmp(w, ok_words[i]))
            return true;
    return false;
}

/* A bed application's reference (followup_ref_new: FOLLOWUP_REF_LEN random Crockford
 * base-32 characters).  About one in forty has no digit at all ("XGVHGBSFSW"), so the
 * digit rule below does not catch it; it is what the clerk reads back, not English. */
static bool is_reference(const char *w)
{
    return strlen(w) == FOLLOWUP_REF_LEN && strspn(w, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") == FOLLOWUP_REF_LEN;
}

/* The ASCII words of text that are not allowed, space-separated into out. */
static int english_words_in(const char *text, char *out, size_t cap)
{
    const char *p = text;
    int n = 0;
    out[0] = '\0';
    while (*p) {
        /* a token: a run of ASCII letters, digits, '-', '_', '.', '/', '*' */
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) {
            p++;
            continue;
        }
        const char *s = p;
        bool digit = false, mark = false;
        while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               *p == '-' || *p == '_' || *p == '*') {
            digit |= *p >= '0' && *p <= '9';
            mark |= *p == '-' || *p == '_' || *p == '*';
            p++;
        }
        if (s > text && (s[-1] == 'F' || (s[-1] >= '0' && s[-1] <= '9')))
            continue;
        /* part of a file path the clerk reads back (/dir/report-x.csv), or of an
         * actor name such as resident@LH-DEMO-01: data, not words */
        if ((s > text && (s[-1] == '/' || s[-1] == '.')) || *p == '@' || *p == '/')
            continue;
        char w[64];
        int len = (int)(p - s) < 63 ? (int)(p - s) : 63;
        memcpy(w, s, (size_t)len);
        w[len] = '\0';
        /* an actor's identifier in a history ("resident@LH-DEMO-01", the kiosk's
         * resident; its role follows in Chinese): a code, not English */
        if (*p == '@')
            continue;
        if (digit || mark || len < 2 || allowed_word(w) || is_reference(w))
            continue;   /* a code, a receipt, a ref, an account name, a key name */
        if (!strstr(out, w) && strlen(out) + (size_t)len + 2 < cap) {
            strcat(out, w);
            strcat(out, " ");
        }
        n++;
    }
    return n;
}

static int english_words(struct vt *t, char *out, size_t cap)
{
    return english_words_in(vt_text(t), out, cap);
}

static void no_english(struct vt *t, const char *screen)
{
    settle(t);
    char words[400];
    int n = english_words(t, words, sizeof words);
    ok(n == 0, "zh: no English on the %s screen%s%s", screen, n ? ": " : "", words);
    if (n)
        dump(t, screen);
}

/* The same, but rows first … last (the audit trail's records: stored text
 * shown verbatim, as evidence, never translated) are left out. */
static void no_english_but_rows(struct vt *t, const char *screen, int first, int last)
{
    settle(t);
    char *text = strdup(vt_text(t)), *line = text;
    for (int r = 0; line && *line; r++) {
        char *nl = strchr(line, '\n');
        if (r >= first && r <= last)
            memset(line, ' ', nl ? (size_t)(nl - line) : strlen(line));
        line = nl ? nl + 1 : NULL;
    }
    char words[400];
    int n = english_words_in(text, words, sizeof words);
    free(text);
    ok(n == 0, "zh: no English on the %s screen but the stored records%s%s", screen, n ? ": " : "",
       words);
    if (n)
        dump(t, screen);
}

/* The audit records in full, n of them (↓ the next): each field in Chinese, the
 * detail too (kiosk/audit_detail.h); only the stored part (from the action code's
 * row down: the code, the actor, object and detail as stored, the evidence) may
 * hold English.  The records read must be of several kinds. */
static void zh_audit_records(struct vt *t, int n)
{
    char kinds[400] = " ", caption[400] = "";
    int nk = 0;
    for (int k = 0; k < n; k++) {
        if (k) {   /* the next record: wait for its caption */
            vt_send(t, "\033[B");
            double end = vt_now_ms() + WAIT;
            char now[400];
            do {
                vt_pump(t, 50);
                row_text(t, 1, now, sizeof now);
            } while (!strcmp(now, caption) && vt_now_ms() < end);
        }
        see(t, "操作代码", "zh-all: an audit record in full");
        settle(t);
        row_text(t, 1, caption, sizeof caption);
        int code_row = -1;
        char code[64] = "";
        for (int r = 3; r < 22 && code_row < 0; r++) {
            char row[400];
            row_text(t, r, row, sizeof row);
            const char *at = strstr(row, "操作代码");
            if (at && sscanf(at + strlen("操作代码"), "%63s", code) == 1)
                code_row = r;
        }
        ok(code_row > 3, "zh-all: audit record %d in full, its action code %s on row %d", k + 1, code, code_row);
        char what[120];
        snprintf(what, sizeof what, "audit record in full (%s)", code);
        no_english_but_rows(t, what, code_row > 3 ? code_row : 3, 21);
        if (code[0] && strlen(kinds) + strlen(code) + 2 < sizeof kinds) {
            char key[70];
            snprintf(key, sizeof key, " %s ", code);
            if (!strstr(kinds, key)) {
                strcat(kinds, key + 1);
                nk++;
            }
        }
    }
    ok(nk >= 4, "zh-all: audit records of %d kinds read in full:%s", nk, kinds);
}

/* Every screen of a --lang zh --admin session, as each role opens it. */
/* The home menu is current: its title on the first row and no prompt open
 * ("住房轮候" alone proves nothing: the role in the top line says it too). */
static bool zh_home_now(struct vt *t)
{
    char top[400];
    row_text(t, 0, top, sizeof top);
    return strstr(top, "工作人员控制台") && !strstr(vt_text(t), "退出登录？");
}

static void zh_at_home(struct vt *t, const char *what)
{
    double end = vt_now_ms() + WAIT;
    while (!zh_home_now(t) && vt_now_ms() < end)
        vt_pump(t, 50);
    ok(zh_home_now(t), "%s: the home menu, no prompt open", what);
    if (!zh_home_now(t))
        dump(t, what);
}

/* After a digit on home: another screen's title on the first row. */
static void zh_left_home(struct vt *t, const char *what)
{
    double end = vt_now_ms() + WAIT;
    char top[400] = "";
    while (vt_now_ms() < end) {
        vt_pump(t, 50);
        row_text(t, 0, top, sizeof top);
        if (!strstr(top, "工作人员控制台"))
            break;
    }
    ok(!strstr(top, "工作人员控制台"), "%s: opened (%s)", what, top);
}

static void test_chinese_everywhere(void)
{
    struct vt *t = start_lang("--admin", 24, 80, NULL, "zh");
    see(t, "用户名：", "zh-all: login form");
    no_english(t, "login");
    log_in_as(t, "用户名：", "clerk", "clerk-password");
    vt_send(t, "\r");
    zh_at_home(t, "zh-all: home");
    no_english(t, "home");
    vt_send(t, "1");
    see(t, "公共租赁住房", "zh-all: programmes");
    no_english(t, "programmes");
    vt_send(t, "\r");
    see(t, "第 1–40 位，共", "zh-all: queue browser");
    no_english(t, "queue browser");
    vt_send(t, "\r");
    see(t, "显示完整身份证号", "zh-all: an entry");
    no_english(t, "entry");
    vt_send(t, VT_ESC);
    vt_send(t, VT_ESC);
    vt_send(t, VT_ESC);
    zh_at_home(t, "zh-all: home again");
    vt_send(t, "/");
    see(t, "查找任何人", "zh-all: find anyone");
    vt_send(t, demo_name);
    vt_send(t, "\r");
    see(t, "查找结果", "zh-all: search results");
    no_english(t, "search results");
    vt_send(t, VT_ESC);
    zh_at_home(t, "zh-all: home");
    vt_send(t, "2");
    zh_left_home(t, "zh-all: bed applications");
    see(t, "筛选", "zh-all: bed applications");
    settle(t);
    no_english(t, "bed applications");
    vt_send(t, "f");
    see(t, "显示哪些申请", "zh-all: the bed list's filter pick list");
    no_english(t, "bed filter pick list");
    vt_send(t, "2\r");
    see(t, "筛选：全部环节", "zh-all: 2 picks all stages");
    vt_send(t, "s");
    see(t, "按哪一列排序", "zh-all: the bed list's sort pick list");
    no_english(t, "bed sort pick list");
    vt_send(t, VT_ESC);
    settle(t);
    char list_top[400], top[400];
    row_text(t, 0, list_top, sizeof list_top);
    vt_send(t, "\r");
    double until = vt_now_ms() + WAIT;
    do {
        vt_pump(t, 50);
        row_text(t, 0, top, sizeof top);
    } while (!strcmp(top, list_top) && vt_now_ms() < until);
    ok(strcmp(top, list_top) != 0, "zh-all: Enter opens a bed application (%s)", top);
    no_english(t, "bed application");
    vt_send(t, VT_ESC);
    vt_pump(t, 300);
    vt_send(t, VT_ESC);
    zh_at_home(t, "zh-all: home");
    const char *names[] = {"kiosks", "accounts", "audit", "check"};
    for (int i = 0; i < 4; i++) {
        char d[2] = {(char)('3' + i), 0};
        vt_send(t, d);
        zh_left_home(t, names[i]);
        no_english(t, names[i]);   /* the audit rows too: labels, not codes (issue 14) */
        if (!strcmp(names[i], "audit")) {
            vt_send(t, "\r");
            zh_audit_records(t, 8);
            vt_send(t, VT_ESC);
            see(t, "最新在前", "zh-all: back to the audit list");
        }
        vt_send(t, "?");
        vt_pump(t, 300);
        char h[32];
        snprintf(h, sizeof h, "help of %s", names[i]);
        no_english(t, h);
        vt_send(t, VT_ESC);
        vt_send(t, VT_ESC);
        zh_at_home(t, "zh-all: home");
    }
    /* the reports (issue 14 item 6): every one of them, and its help */
    vt_send(t, "8");
    see(t, "统计报表", "zh-all: reports");
    for (int i = 0; i < 6; i++) {
        char r[32];
        snprintf(r, sizeof r, "report %d", i + 1);
        settle(t);
        no_english(t, r);
        vt_send(t, "\033[C");
    }
    vt_send(t, "x");
    see(t, "已写入", "zh-all: a report exported");
    no_english(t, "report exported");
    vt_send(t, "?");
    vt_pump(t, 300);
    no_english(t, "help of reports");
    vt_send(t, VT_ESC);
    vt_send(t, VT_ESC);
    zh_at_home(t, "zh-all: home");
    /* the audit browser's filter form, field by field */
    vt_send(t, "5");
    see(t, "最新在前", "zh-all: audit browser");
    vt_send(t, "f");
    for (int i = 1; i <= 5; i++) {
        char label[32], what[40];
        snprintf(label, sizeof label, "筛选 %d/5", i);
        snprintf(what, sizeof what, "audit filter field %d", i);
        see(t, label, what);
        no_english_but_rows(t, what, 3, 20);   /* row 21: the form's field, checked */
        vt_send(t, i == 1 ? "clerk\r" : "\r");
    }
    see(t, "已按条件筛选", "zh-all: audit filtered");
    no_english(t, "audit filtered");
    vt_send(t, VT_ESC);   /* one Esc: the list to home (a second would ask to log out) */
    zh_at_home(t, "zh-all: home");
    /* the housing work queue (issue 14): the list, its pick list, the other list, help */
    vt_send(t, "9");
    see(t, "住房轮候待办 —", "zh-all: the housing work queue");
    no_english(t, "housing work queue");
    vt_send(t, "f");
    see(t, "显示哪个列表", "zh-all: the work queue's pick list");
    no_english(t, "work queue pick list");
    vt_send(t, "2\r");
    see(t, "暂停轮候的记录", "zh-all: the frozen entries");
    no_english(t, "frozen entries");
    vt_send(t, "s");
    see(t, "最新的在前", "zh-all: newest first");
    no_english(t, "work queue, newest first");
    vt_send(t, "?");
    vt_pump(t, 300);
    no_english(t, "help of the housing work queue");
    vt_send(t, VT_ESC);
    vt_send(t, VT_ESC);
    zh_at_home(t, "zh-all: home");
    vt_stop(t);
}

/* The assessor's day: the 26-item form survives a bad score (issue 14). */
static void test_assessment_form_tui(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "demo-assessor", "demo-password");
    vt_send(t, "\r");
    see(t, "Home-care bed applications", "assessor logged in");
    vt_send(t, "1");
    see(t, "district_approved", "the assessor's queue: applications to assess");
    vt_send(t, "\r");
    see(t, "Move to Assessed", "the move offered");
    vt_send(t, "\r");
    see(t, "B1.1", "the form asks item B1.1 by name");
    see(t, "item 1 of 26", "with its place in the form");
    see(t, "level so far", "running total and level shown");
    vt_send(t, "7\r");
    see(t, "a score from 0 to", "a bad score: the item's range said");
    see(t, "item 1 of 26", "still on item 1, nothing lost");
    vt_send(t, "\b3\r");
    see(t, "item 2 of 26", "corrected: item 2");
    for (int i = 1; i < 26; i++)
        vt_send(t, "1\r");
    see(t, "Assessment complete: total 28 of 90", "all 26: total and level");
    vt_send(t, "\r");
    see(t, "moved to", "the application moved to assessed");
    vt_stop(t);
}

/* Esc never logs out or quits without asking (issue 14). */
static void test_esc_asks(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Housing queues", "esc: logged in");
    vt_send(t, VT_ESC);
    see(t, "Log out? Enter: yes, Esc: no", "Esc on the home menu asks first");
    vt_send(t, VT_ESC);
    see(t, "Cancelled.", "Esc again: not logged out");
    ok(strstr(vt_text(t), "Housing queues") != NULL, "still on the home menu");
    vt_send(t, VT_ESC);
    see(t, "Log out? Enter: yes, Esc: no", "Esc asks again");
    vt_send(t, "\r");
    see(t, "User name:", "Enter: logged out, at the login form");
    vt_send(t, VT_ESC);
    see(t, "Press Esc again to quit the console.", "Esc on the empty login form asks first");
    int status = 0;
    vt_pump(t, 300);
    ok(vt_alive(t, &status), "one Esc did not quit");
    vt_send(t, "x");
    vt_send(t, VT_ESC);   /* clears the typed name: the confirmation was lost with the key */
    vt_pump(t, 200);
    vt_send(t, VT_ESC);
    see(t, "Press Esc again to quit the console.", "a key between the two Esc asks again");
    vt_send(t, VT_ESC);
    double end = vt_now_ms() + WAIT;
    while (vt_alive(t, &status) && vt_now_ms() < end)
        vt_pump(t, 20);
    ok(!vt_alive(t, &status) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "Esc twice on the empty login form quits (status 0)");
    vt_stop(t);
}

/* ---- touch and [keys] (issue 8) ---------------------------------------------------- */

#define HOME_KEY "\033OH"  /* Home as xterm sends it in keypad-transmit mode */

/* Add a staff account from outside (kioskctl): the audit trail gets a record naming it. */
static bool add_user(const char *name)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "printf 'pw-12345678\\n' | %s --db %s user add %s --roles housing "
             "--password-stdin >/dev/null", kioskctl, db, name);
    return system(cmd) == 0;
}

/* Wait until the first cell showing s is bold (a selected row: black on cyan, bold). */
static bool wait_bold(struct vt *t, const char *s, int timeout_ms)
{
    double end = vt_now_ms() + timeout_ms;
    for (;;) {
        int a = vt_attr_of(t, s);
        if (a >= 0 && (a & 2))
            return true;
        if (vt_now_ms() > end)
            return false;
        vt_pump(t, 20);
    }
}

/* The text of screen row r. */
static void row_text(struct vt *t, int r, char *out, size_t cap)
{
    const char *p = vt_text(t);
    for (int i = 0; i < r && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    size_t n = p ? strcspn(p, "\n") : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p ? p : "", n);
    out[n] = '\0';
}

static void test_console_touch(void)
{
    struct vt *t = start("--admin", 24, 80, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Staff accounts", "touch: logged in, admin home");
    settle(t);
    int r = -1, c = -1;
    vt_find(t, "Staff accounts", &r, &c);
    ok(r >= 0 && !(vt_attr_of(t, "Staff accounts") & 2), "touch: \"Staff accounts\" is not selected yet");
    vt_click(t, r, c + 2);
    bool sel = wait_bold(t, "Staff accounts", WAIT);
    vt_pump(t, 200);
    ok(sel && !strstr(vt_text(t), "demo-street"), "touch: a click on a menu row selects it");
    if (!sel)
        dump(t, "select row");
    settle(t);
    vt_click(t, r, c + 2);
    see(t, "demo-street", "touch: a second click on the selected row opens it (accounts)");
    settle(t);
    /* "Esc back" today, "[Esc] Back" once the core lists its actions */
    ok(vt_click_on(t, "Esc") && vt_wait_gone(t, "demo-street", WAIT) &&
       vt_wait(t, "Housing queues", WAIT), "touch: a click on the Esc hint goes back");
    vt_send(t, "5");
    see(t, "newest first", "touch: audit browser");
    settle(t);
    /* newest first: the newest record is on the first row shown */
    bool added = add_user("touch-newbie");
    vt_send(t, HOME_KEY);
    vt_pump(t, 300);
    ok(added && !strstr(vt_text(t), "touch-newbie"),
       "touch: an account added from outside is not shown before a refresh");
    /* "[F5]": the hint; a bare "F5" may also stand in a random ref in the audit rows */
    bool refreshed = vt_click_on(t, "[F5]");
    vt_pump(t, 300);
    vt_send(t, HOME_KEY);
    refreshed = refreshed && vt_wait(t, "touch-newbie", WAIT);
    if (!refreshed)
        dump(t, "click F5");
    ok(refreshed, "touch: a click on the F5 refresh hint reads the audit trail again");
    vt_stop(t);
}

/* [keys] staff.refresh = R in a --config file: R refreshes, F5 no longer does, the hint says R. */
static void test_console_keys_remap(void)
{
    char conf[700];
    snprintf(conf, sizeof conf, "%s/keys.conf", dir);
    FILE *f = fopen(conf, "w");
    if (f) {
        fputs("[keys]\nstaff.refresh = R\n", f);
        fclose(f);
    }
    char *argv[] = {kiosk, "--admin", "--config", conf, "--db", db, "--lang", "en", NULL};
    struct vt *t = vt_start(24, 80, argv, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Staff accounts", "[keys]: logged in with a remapped refresh");
    vt_send(t, "5");
    see(t, "newest first", "[keys]: audit browser");
    vt_wait(t, "Esc", WAIT);   /* the hint row */
    settle(t);
    char hint[400];
    row_text(t, 23, hint, sizeof hint);
    ok((strstr(hint, "R refresh") || strstr(hint, "[R] Refresh")) && !strstr(hint, "F5"),
       "[keys] staff.refresh = R: the hint shows R for refresh, no F5 (%s)", hint);
    add_user("remap-newbie");
    vt_send(t, "\033[15~");   /* F5 as xterm sends it */
    vt_pump(t, 300);
    vt_send(t, HOME_KEY);
    vt_pump(t, 300);
    ok(!strstr(vt_text(t), "remap-newbie"), "[keys] staff.refresh = R: F5 no longer refreshes");
    vt_send(t, "R");
    vt_pump(t, 300);
    vt_send(t, HOME_KEY);
    bool refreshed = vt_wait(t, "remap-newbie", WAIT);
    if (!refreshed)
        dump(t, "R");
    ok(refreshed, "[keys] staff.refresh = R: R refreshes");
    vt_stop(t);
}

/* ---- find anyone (issue 14) -------------------------------------------------------- */


/* A clerk's look-ups in a day: by name, by ID number (lower-case x), by a
 * receipt typed in lower case, `/` over the page with n/N; a street clerk
 * finds an application by the family member's phone. */
static void test_find_day(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Housing queues", "find: logged in");
    vt_send(t, "/");
    see(t, "Find anyone", "/ on the home menu: find anyone");
    vt_send(t, demo_name);
    vt_send(t, "\r");
    see(t, "Search results", "find by name: the results");
    see(t, "Found by name:", "find by name: how it was found");
    see(t, "Bed", "find by name: the bed application");
    see(t, "Queue", "find by name: the queue entries");
    see(t, "4403**********", "find by name: identities masked");
    ok(!strstr(vt_text(t), demo_id), "find by name: never the full ID number in the list");
    vt_send(t, "\r");
    see(t, "prh/BHJ", "Enter opens the first row: the household's prh entry");
    vt_send(t, "r");
    see(t, "Why is the full ID number needed?", "r asks the purpose of the reveal first");
    see(t, "Calling the household", "the configured purposes listed");
    ok(!strstr(vt_text(t), demo_id), "no full ID number before a purpose is given");
    vt_send(t, "1\r");
    see(t, demo_id, "purpose 1: the full ID number shown (audited with the purpose)");
    vt_send(t, VT_ESC);
    see(t, "Search results", "Esc comes back to the results");
    /* s: sort the results by a column from a numbered list (issue 14) */
    vt_send(t, "s");
    see(t, "Sort by which column?", "s on the results: the column pick list");
    see(t, "Status", "s: status is a choice");
    vt_send(t, "3\r");
    see(t, "Date▲", "3: by date, marked rising");
    int nd = 0, gd = dates_in_order(t, false, &nd);
    ok(nd >= 2 && gd == nd, "results oldest date first (%d of %d)", gd, nd);
    vt_send(t, "s");
    see(t, "(sorted)", "s: the sorted column marked in the list");
    vt_send(t, "3\r");
    see(t, "Date▼", "3 again: turned round");
    gd = dates_in_order(t, true, &nd);
    ok(nd >= 2 && gd == nd, "results newest date first (%d of %d)", gd, nd);
    vt_send(t, "s");
    see(t, "Sort by which column?", "s again");
    vt_send(t, "1\r");
    see(t, "Prog.▲", "1: by programme");
    settle(t);
    char r3[400];
    row_text(t, 3, r3, sizeof r3);
    ok(strstr(r3, "Queue") != NULL, "by programme: queue entries before the bed application (%s)", r3);
    vt_send(t, "s");
    see(t, "Sort by which column?", "s again");
    vt_send(t, "2\r");
    see(t, "Status▲", "2: by status");
    vt_send(t, "s");
    see(t, "Sort by which column?", "s again");
    vt_send(t, "7\r");
    see(t, "Type the number of a column (1–3).", "a number outside the list: said, asked again");
    vt_send(t, VT_ESC);
    vt_send(t, VT_ESC);
    see(t, "Housing queues", "Esc again: home");
    char lower[32];
    snprintf(lower, sizeof lower, "%s", demo_id);
    for (char *p = lower; *p; p++)
        if (*p == 'X')
            *p = 'x';
    vt_send(t, "/");
    see(t, "Find anyone", "/ again");
    vt_send(t, lower);
    vt_send(t, "\r");
    see(t, "Found by ID number:", "find by ID number (lower-case x)");
    vt_send(t, VT_ESC);
    see(t, "Housing queues", "home");
    /* a receipt typed in lower case, from the programme list */
    vt_send(t, "1");
    see(t, "prh", "programme list");
    vt_send(t, "/");
    see(t, "Find anyone", "/ on the programme list: find anyone");
    vt_send(t, "bhj0000031\r");
    bool opened = vt_wait(t, "BHJ0000031", WAIT);
    ok(opened, "bhj0000031 finds BHJ0000031");
    if (!opened)
        dump(t, "lower-case receipt");
    /* the entry itself, or the household's entries listed: Esc back from either */
    settle(t);
    if (!strstr(vt_text(t), "Search results")) {
        vt_send(t, VT_ESC);
        settle(t);
    }
    if (strstr(vt_text(t), "Search results"))
        vt_send(t, VT_ESC);
    see(t, "3 programmes", "back on the programme list");
    /* `/` over the page, then n and N */
    vt_send(t, "\r");
    see(t, "Positions 1–40 of", "queue browser");
    settle(t);
    vt_send(t, "/");
    see(t, "Find (Enter", "find prompt in the queue browser");
    vt_send(t, "**");
    settle(t);
    char first[40];
    vt_wait(t, " 1 BHJ", WAIT);
    receipt_at(t, 1, first);
    vt_send(t, "\r");
    see(t, "Found: n next, N previous.", "find ended on a match");
    vt_send(t, "?");
    see(t, "Go to the next row that matches", "help lists n once something was found");
    vt_send(t, VT_ESC);
    see(t, "Positions 1–40 of", "Esc from help: the same page");
    char second[40];
    vt_wait(t, " 2 BHJ", WAIT);
    receipt_at(t, 2, second);
    vt_send(t, "n");
    /* every row matches "**": n selects the next row */
    bool moved = second[0] && wait_bold(t, second, WAIT);
    ok(moved, "n: the next match (%s) selected", second);
    if (!moved)
        dump(t, "n");
    ok(!(vt_attr_of(t, first) & 2), "n: the first match is no longer selected");
    vt_send(t, "N");
    ok(wait_bold(t, first, WAIT), "N: back to the first match");
    vt_stop(t);

    /* a street clerk: the family member's phone finds the application */
    t = start("--staff", 24, 80, NULL);
    log_in(t, "demo-street", "demo-password");
    vt_send(t, "\r");
    see(t, "Home-care bed applications", "street clerk logged in");
    vt_send(t, "/");
    see(t, "Find anyone", "street: / finds anyone");
    vt_send(t, "139-1001-5434\r");
    see(t, "Move to", "the phone opens the one application (its moves offered)");
    ok(!strstr(vt_text(t), "13910015434"), "the phone is not shown before it is asked for");
    vt_send(t, "c");
    see(t, "Contact phone: 13910015434", "c: the family member's phone for the street (audited)");
    vt_send(t, VT_ESC);
    see(t, "Search results", "Esc: the result list");
    ok(!strstr(vt_text(t), "Queue "), "street: no queue entries among the results");
    vt_stop(t);
}


/* The reports (issue 14 item 6): each one opens with a bar beside its numbers,
 * `x` writes the CSV into [reports] dir and the file reads back; then the
 * audit browser filtered by actor and by date, paged. */
static bool has_bar(struct vt *t)
{
    static const char *const blocks[] = {"█", "▏", "▎", "▍", "▌", "▋", "▊", "▉", NULL};
    for (int i = 0; blocks[i]; i++)
        if (strstr(vt_text(t), blocks[i]))
            return true;
    return false;
}

static void test_reports_tui(void)
{
    char cfg[560], rdir[560], cmd[2400];
    snprintf(rdir, sizeof rdir, "%s/reports", dir);
    snprintf(cfg, sizeof cfg, "%s/reports.ini", dir);
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && printf '[reports]\\ndir = %s\\n' >%s", rdir,
             rdir, rdir, cfg);
    ok(system(cmd) == 0, "reports: a configuration naming the export directory");
    char *argv[] = {kiosk, "--admin", "--db", db, "--lang", "en", "--config", cfg, NULL};
    struct vt *t = vt_start(24, 80, argv, NULL);
    log_in(t, "demo-district", "demo-password");
    vt_send(t, "\r");
    see(t, "Reports (charts, CSV export)", "district: reports on the home menu");
    settle(t);
    const char *home = strstr(vt_text(t), "  Reports (charts");
    char key[2] = {home ? home[-1] : '9', 0};
    ok(home && key[0] >= '1' && key[0] <= '9', "reports reachable with one key (%s)", key);
    vt_send(t, key);
    static const char *const titles[] = {
        "Households housed per month", "Waiting households at each published list",
        "Waiting households by years since registration", "Bed applications that reached each stage",
        "Median days in each stage", "past their stage's deadline"};
    static const char *const names[] = {"allocations", "queue", "wait", "funnel", "stage-days", "overdue"};
    for (int i = 0; i < 6; i++) {
        char what[96];
        snprintf(what, sizeof what, "report %d/6: %s", i + 1, names[i]);
        see(t, titles[i], what);
        settle(t);
        ok(has_bar(t), "%s: a bar drawn with block characters", names[i]);
        if (!has_bar(t))
            dump(t, names[i]);
        vt_send(t, "x");
        see(t, "Written: ", "x writes the CSV");
        settle(t);
        const char *w = strstr(vt_text(t), "Written: ");
        char path[300] = "";
        if (w)
            sscanf(w + 9, "%299s", path);
        char want[800];
        snprintf(want, sizeof want, "%s/report-%s-", rdir, names[i]);
        ok(!strncmp(path, want, strlen(want)), "%s: the path shown is in the configured directory (%s)",
           names[i], path);
        FILE *f = fopen(path, "r");
        char line[512] = "", first[512] = "";
        int rows = 0;
        bool mine = true;
        if (f) {
            if (fgets(first, sizeof first, f))
                while (fgets(line, sizeof line, f)) {
                    rows++;
                    mine &= !strncmp(line, names[i], strlen(names[i]));
                }
            fclose(f);
        }
        ok(!strncmp(first, "report,group,label,", 19) && rows > 0 && mine,
           "%s: the CSV reads back (%d rows, header %.30s)", names[i], rows, first);
        vt_send(t, "\033[C");   /* Right: the next report */
    }
    see(t, titles[0], "Right after the last report: the first again");
    vt_send(t, "4");
    see(t, titles[3], "a digit opens that report");
    vt_stop(t);
    /* the audit browser: an admin (clerk); demo-district's login above is in the trail */
    t = vt_start(24, 80, argv, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Audit trail (admin)", "admin: home");
    settle(t);
    const char *au = strstr(vt_text(t), "  Audit trail (admin)");
    char akey[2] = {au ? au[-1] : '5', 0};
    vt_send(t, akey);
    see(t, "Page 1, newest first: 40 records", "audit browser: a page of 40, newest first");
    vt_send(t, PGDN);
    see(t, "Page 2, newest first", "PgDn: older records");
    vt_send(t, PGUP);
    see(t, "Page 1, newest first", "PgUp: back to the newest");
    /* filter by actor: demo-district, whose login opened the reports above */
    vt_send(t, "f");
    see(t, "Filter 1/5", "f opens the filter form");
    vt_send(t, "demo-district\r");
    see(t, "Filter 2/5", "then the action");
    vt_send(t, "\r");
    see(t, "Filter 3/5", "then the from date");
    vt_send(t, "2026-13-01\r");
    see(t, "not a date", "a bad date is refused");
    see(t, "Filter 3/5", "and asked again, holding the text");
    for (int i = 0; i < 10; i++)
        vt_send(t, "\177");
    vt_send(t, "\r\r\r");
    see(t, "Filter applied.", "the last field applies the filter");
    see(t, "actor=demo-district", "the caption names the filter");
    settle(t);
    /* every row shown is demo-street's */
    int others = 0, mine = 0;
    for (int r = 3; r < 22; r++) {
        char row[400];
        row_text(t, r, row, sizeof row);
        if (strstr(row, " 20"))
            strstr(row, "demo-district") ? mine++ : others++;
    }
    ok(mine > 0 && others == 0, "filtered by actor: %d rows of demo-district, %d others", mine, others);
    if (!mine || others)
        dump(t, "audit by actor");
    /* a date range that holds nothing */
    vt_send(t, "f\r\r");
    vt_send(t, "2001-01-01\r2001-01-31\r\r");
    see(t, "No record matches the filter.", "a date range with no records: said so");
    /* clear every field: all records again */
    vt_send(t, "f");
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 16; i++)
            vt_send(t, "\177");
        vt_send(t, "\r");
    }
    see(t, "Filter cleared", "emptied fields: no filter");
    see(t, "Page 1, newest first: 40 records", "every record again");
    /* the actions as labels (issue 14): the logins, then one in full as stored */
    vt_send(t, "f\rlogin\r\r\r\r");
    see(t, "action=login", "filtered by the action code");
    see(t, "log in", "the action shown as its label");
    settle(t);
    char first[400];
    row_text(t, 3, first, sizeof first);
    ok(strstr(first, "log in") != NULL, "the row shows the action's label: %s", first);
    vt_send(t, "\r");
    see(t, "Record ", "Enter: the record in full");
    see(t, "Action code", "the full record names the code");
    settle(t);
    int code_row = 0;
    for (int r = 3; r < 22; r++) {
        char row[400];
        row_text(t, r, row, sizeof row);
        if (strstr(row, "Action code") && strstr(row, " login"))
            code_row = r;
    }
    ok(code_row > 0, "the stored action code is visible in the full record (row %d)", code_row);
    see(t, "Detail", "the stored detail too");
    vt_send(t, VT_ESC);
    see(t, "Page 1, newest first", "Esc: back to the list");
    /* the detail as a last column on a wide terminal only (80 have no room) */
    settle(t);
    char hdr[400], row3[400];
    row_text(t, 2, hdr, sizeof hdr);
    ok(strstr(hdr, "Object") && !strstr(hdr, "Detail"), "80 columns: no detail column: %s", hdr);
    vt_resize(t, 24, 140);
    see(t, "Detail", "140 columns: the detail column");
    settle(t);
    row_text(t, 2, hdr, sizeof hdr);
    row_text(t, 3, row3, sizeof row3);
    const char *dh = strstr(hdr, "Detail");
    /* the column is at x = 83 (6+19+14+14+24 columns and their gaps); a login's detail is "ok" */
    ok(dh && dh - hdr == 83 && strlen(row3) > 85 && !strncmp(row3 + 83, "ok", 2) &&
           strstr(row3, "log in"),
       "140 columns: the login's detail under the Detail header (header \"%s\", row \"%s\")", hdr, row3);
    vt_resize(t, 24, 80);
    settle(t);
    row_text(t, 2, hdr, sizeof hdr);
    ok(!strstr(hdr, "Detail"), "back to 80 columns: the detail column hidden again");
    vt_stop(t);
}

/* The first number after `after` on the screen (-1 when absent). */
static long long number_after(struct vt *t, const char *after)
{
    settle(t);
    const char *s = strstr(vt_text(t), after);
    long long n = -1;
    if (s && sscanf(s + strlen(after), "%lld", &n) != 1)
        n = -1;
    return n;
}

/* The receipt on the selected (bold) row's line: the first word starting "BHJ"/"AJF"/... of
 * the table's first row (row 3 of the screen: title, caption, header, rows). */
static void first_row_receipt(struct vt *t, char out[40])
{
    settle(t);
    char line[400];
    out[0] = '\0';
    for (int r = 0; r < 24 && !out[0]; r++) {
        row_text(t, r, line, sizeof line);
        char code[16], rec[40];
        if (sscanf(line, " %15s %39s", code, rec) == 2 &&
            (!strcmp(code, "prh") || !strcmp(code, "ahp") || !strcmp(code, "talent")))
            snprintf(out, 40, "%s", rec);
    }
}

/* The housing clerk's day (issue 14): the work queue of offers awaiting an
 * answer, oldest first with days and deadline, the overdue counted on home;
 * acting on one (recording the acceptance) makes it leave the queue; `s`
 * turns the order round and the header marks it; `f` picks the list. */
#define END_KEY "\033OF"   /* End as xterm sends it in keypad-transmit mode */

static void test_housing_work_tui(void)
{
    /* one offer made long ago (overdue against offer_answer = 15 days), one today */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "KIOSK_NOW='2026-01-05 09:00:00' %s --db %s entry offer --program prh --receipt BHJ0000002 "
             "--reason 'flat 1-101' >/dev/null && %s --db %s entry offer --program prh "
             "--receipt BHJ0000003 --reason 'flat 1-102' >/dev/null",
             kioskctl, db, kioskctl, db);
    ok(system(cmd) == 0, "two offers recorded with kioskctl");
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Housing work queue", "home: the housing work queue");
    see(t, "1 offers overdue", "home counts the overdue offer");
    settle(t);
    const char *item = strstr(vt_text(t), "  Housing work queue");
    char key[2] = {item ? item[-1] : '5', 0};
    vt_send(t, key);
    see(t, "offers awaiting an answer", "the work queue opens on the offers");
    see(t, "oldest first", "oldest first");
    see(t, "Days▼", "the header marks the sorted column");
    long long before = number_after(t, " of ");
    ok(before > 2, "the queue holds the demo's offers and the two new ones (%lld)", before);
    vt_send(t, "s");
    see(t, "Days▲", "s: the header mark turns round");
    see(t, "newest first", "s: newest first");
    char line[400] = "";
    settle(t);
    for (int r = 0; r < 24; r++) {
        row_text(t, r, line, sizeof line);
        if (strstr(line, "BHJ0000002"))
            break;
        line[0] = '\0';
    }
    ok(strstr(line, "2026-01-05") && strstr(line, "overdue"),
       "the old offer shows its date and is marked overdue: %s", line);
    /* newest first: today's offers (the demo's and ours, made this second) on top */
    char today[11], first[40];
    time_t now = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", localtime(&now));
    settle(t);
    for (int r = 0; r < 24; r++) {
        row_text(t, r, line, sizeof line);
        if (strstr(line, "BHJ0000003"))
            break;
        line[0] = '\0';
    }
    ok(strstr(line, today) && strstr(line, "15 left"),
       "today's offer is on the first page with its 15 days left: %s", line);
    vt_send(t, "/");
    vt_send(t, "BHJ0000003");
    ok(wait_bold(t, "BHJ0000003", WAIT), "/ selects it");
    vt_send(t, "\r");
    /* act on it: record the acceptance; back in the queue it is gone */
    vt_send(t, "\r");
    see(t, "prh/BHJ0000003", "Enter opens the entry");
    see(t, "Record acceptance", "acceptance is offered");
    vt_send(t, "\r");
    see(t, "— reason:", "the acceptance asks a reason");
    vt_send(t, "lease signed\r");
    see(t, "Done (Record acceptance", "acceptance recorded");
    vt_send(t, VT_ESC);
    see(t, "newest first", "Esc: back in the work queue");
    long long after = number_after(t, " of ");
    ok(after == before - 1, "the work queue shrank by one (%lld → %lld)", before, after);
    first_row_receipt(t, first);
    ok(strcmp(first, "BHJ0000003") != 0, "the accepted entry left the queue (top: %s)", first);
    /* f: the pick list with counts; 2 = the frozen entries */
    vt_send(t, "f");
    see(t, "Offers awaiting an answer (", "f: a pick list of the lists, with counts");
    see(t, "Frozen entries (", "f: the frozen entries' list too");
    vt_send(t, "2\r");
    see(t, "frozen entries", "picking 2 shows the frozen entries");
    see(t, "Freeze date", "the frozen list's date column");
    /* paging by key: next page, the end, back a page, the start */
    long long frozen = number_after(t, " of ");
    ok(frozen > 80, "the demo has more than two pages of frozen entries (%lld)", frozen);
    char want[80];
    vt_send(t, PGDN);
    snprintf(want, sizeof want, "41–80 of %lld", frozen);
    see(t, want, "PgDn: the next page");
    vt_send(t, END_KEY);
    snprintf(want, sizeof want, "%lld–%lld of %lld", frozen - 39, frozen, frozen);
    see(t, want, "End: the last page");
    vt_send(t, PGUP);
    snprintf(want, sizeof want, "%lld–%lld of %lld", frozen - 79, frozen - 40, frozen);
    see(t, want, "PgUp from the end: the page before it");
    vt_send(t, "\033OH");   /* Home, as xterm sends it in keypad-transmit mode */
    snprintf(want, sizeof want, "1–40 of %lld", frozen);
    see(t, want, "Home: the first page");
    vt_send(t, VT_ESC);
    see(t, "Housing work queue", "Esc: home");
    vt_stop(t);
}

/* The dates (YYYY-MM-DD) on the table's rows, top to bottom: how many are
 * in order (rising, or falling when desc); *n = rows with a date. */
static int dates_in_order(struct vt *t, bool desc, int *n)
{
    settle(t);
    char line[400], prev[11] = "";
    int in_order = 0;
    *n = 0;
    for (int r = 3; r < 22; r++) {
        row_text(t, r, line, sizeof line);
        const char *d = NULL;
        for (const char *p = line; *p && !d; p++) {
            int y, m, dd;
            char tail;
            if (sscanf(p, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 4 && y > 1900 && p[4] == '-')
                d = p;
        }
        if (!d)
            continue;
        char cur[11];
        snprintf(cur, sizeof cur, "%.10s", d);
        (*n)++;
        if (!prev[0] || (desc ? strcmp(cur, prev) <= 0 : strcmp(cur, prev) >= 0))
            in_order++;
        memcpy(prev, cur, sizeof prev);
    }
    return in_order;
}

/* The queue browser's pick lists (issue 14): `f` a status with its count,
 * `s` an indexed order (position, or date applied either way); paging by
 * key over a status's rows in date order. */
static void test_queue_pick_tui(void)
{
    struct vt *t = start("--staff", 24, 80, NULL);
    log_in(t, "clerk", "clerk-password");
    vt_send(t, "\r");
    see(t, "Housing queues", "pick: home");
    vt_send(t, "1");
    see(t, "prh", "pick: programme list");
    vt_send(t, "\r");
    see(t, "Positions 1–40 of", "pick: queue browser by position");
    long long waiting = number_after(t, " of ");
    vt_send(t, "f");
    see(t, "Show which entries?", "f: the status pick list");
    see(t, "offered a flat", "f: offered in the list");
    see(t, "removed from the list", "f: every status in the list");
    char line[400], want[120];
    settle(t);
    long long n_waiting = -1, n_offered = -1;
    for (int r = 0; r < 24; r++) {
        row_text(t, r, line, sizeof line);
        char *w = strstr(line, "waiting");
        if (w && strstr(line, " 1 "))
            sscanf(w + strlen("waiting"), " %lld", &n_waiting);
        char *o = strstr(line, "offered a flat");
        if (o)
            sscanf(o + strlen("offered a flat"), " %lld", &n_offered);
    }
    ok(n_waiting == waiting, "f: the waiting count equals the browser's total (%lld, %lld)", n_waiting,
       waiting);
    ok(n_offered >= 1, "f: the demo has offered entries in prh (%lld)", n_offered);
    vt_send(t, "9\r");
    see(t, "Type a number from the list (1–6).", "f: a number outside the list is refused");
    vt_send(t, "3\r");
    snprintf(want, sizeof want, "of %lld offered, by date applied", n_offered);
    see(t, want, "3: the offered entries, by date applied");
    see(t, "Applied▲", "the date column marked rising");
    int n = 0, good = dates_in_order(t, false, &n);
    ok(n >= 1 && good == n, "offered rows oldest applied first (%d of %d in order)", good, n);
    vt_send(t, "s");
    see(t, "Sort by what?", "s: the order pick list");
    see(t, "date applied, newest first", "s: newest first offered");
    vt_send(t, "1\r");
    see(t, "Only waiting entries have a position", "s 1 on offered: refused, said why");
    vt_send(t, "s");
    see(t, "Sort by what?", "s again");
    vt_send(t, "3\r");
    see(t, "Applied▼", "3: newest first, marked falling");
    good = dates_in_order(t, true, &n);
    ok(n >= 1 && good == n, "offered rows newest applied first (%d of %d in order)", good, n);
    /* waiting by date: paging by key over thousands */
    vt_send(t, "f");
    see(t, "Show which entries?", "f again");
    vt_send(t, "1\r");
    snprintf(want, sizeof want, "1–40 of %lld waiting, by date applied", waiting);
    see(t, want, "1: waiting, still by date (newest first)");
    good = dates_in_order(t, true, &n);
    ok(n >= 15 && good == n, "waiting newest applied first (%d of %d rows in order)", good, n);
    vt_send(t, "s");
    see(t, "Sort by what?", "s on waiting");
    vt_send(t, "2\r");
    see(t, "Applied▲", "2: oldest first");
    good = dates_in_order(t, false, &n);
    ok(n >= 15 && good == n, "waiting oldest applied first (%d of %d rows in order)", good, n);
    char top1[400];
    row_text(t, 3, top1, sizeof top1);
    vt_send(t, PGDN);
    snprintf(want, sizeof want, "41–80 of %lld waiting", waiting);
    see(t, want, "PgDn: the next page by key");
    good = dates_in_order(t, false, &n);
    ok(n >= 15 && good == n, "page 2 in order too (%d of %d)", good, n);
    vt_send(t, END_KEY);
    snprintf(want, sizeof want, "%lld–%lld of %lld waiting", waiting - 39, waiting, waiting);
    see(t, want, "End: the last page");
    vt_send(t, PGUP);
    snprintf(want, sizeof want, "%lld–%lld of %lld waiting", waiting - 79, waiting - 40, waiting);
    see(t, want, "PgUp from the end: the page before");
    vt_send(t, "\033OH");
    snprintf(want, sizeof want, "1–40 of %lld waiting", waiting);
    see(t, want, "Home: the first page");
    char top2[400];
    settle(t);
    row_text(t, 3, top2, sizeof top2);
    ok(!strcmp(top1, top2), "Home shows the same first row as before (%s)", top2);
    /* Enter an entry and back: the same page again */
    vt_send(t, PGDN);
    see(t, "41–80 of", "PgDn again");
    vt_send(t, "\r");
    see(t, "Queue entry prh/", "Enter opens the entry");
    vt_send(t, VT_ESC);
    see(t, "41–80 of", "Esc: back on the same page");
    /* back to position order */
    vt_send(t, "s");
    see(t, "Sort by what?", "s: position");
    vt_send(t, "1\r");
    see(t, "Positions 1–40 of", "1: by position again");
    vt_stop(t);
}

int main(int argc, char **argv)
{
    const char *b = getenv("KIOSK_BUILD");
    if (!b)
        b = "build";
    snprintf(kiosk, sizeof kiosk, "%s", argc > 1 ? argv[1] : "");
    if (!kiosk[0])
        snprintf(kiosk, sizeof kiosk, "%s/asan/kiosk", b);
    snprintf(kioskctl, sizeof kioskctl, "%s", argc > 2 ? argv[2] : "");
    if (!kioskctl[0])
        snprintf(kioskctl, sizeof kioskctl, "%s/kioskctl", b);
    snprintf(dir, sizeof dir, "%s/test-console", b);
    snprintf(db, sizeof db, "%s/demo.db", dir);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && rm -f %s %s.key %s.key.head %s-wal %s-shm && %s --db %s demo --households 3000 "
             "--seed 1 >%s/demo.txt && printf 'clerk-password\\n' | %s --db %s user add clerk "
             "--roles housing,admin --password-stdin >/dev/null",
             dir, db, db, db, db, db, kioskctl, db, dir, kioskctl, db);
    if (system(cmd) != 0) {
        printf("not ok 1 - demo database could not be made: %s\n", cmd);
        return 1;
    }
    /* demo resident 2 (the third "insert ID NAME" line kioskctl demo prints) */
    char path[700], line[256];
    snprintf(path, sizeof path, "%s/demo.txt", dir);
    FILE *f = fopen(path, "r");
    for (int n = 0; f && fgets(line, sizeof line, f);)
        if (sscanf(line, " insert %31s %63s", demo_id, demo_name) == 2 && ++n == 3)
            break;
    if (f)
        fclose(f);
    /* CONSOLE_TUI_ONLY=housing: only the housing work queue (while working on it) */
    const char *only = getenv("CONSOLE_TUI_ONLY");
    if (only && !strcmp(only, "pick")) {
        test_find_day();
        test_queue_pick_tui();
        return tap_done();
    }
    if (only && !strcmp(only, "housing")) {
        test_chinese_everywhere();
        test_housing_work_tui();
        return tap_done();
    }
    test_reports_tui();
    test_find_day();
    test_esc_asks();
    test_assessment_form_tui();
    test_chinese_everywhere();
    test_staff_queue();
    test_beds_and_roles();
    test_admin_and_idle();
    test_chinese();
    test_console_touch();
    test_console_keys_remap();
    test_housing_work_tui();
    test_queue_pick_tui();
    return tap_done();
}
