/* keytab.h — every action of the resident kiosk and of the staff console,
 * defined once.
 *
 * Each row of the two X-macro tables below names one action: its id (the
 * enum constant the core's state machines switch on), its name in the
 * configuration's [keys] section, its default keys, its label in both
 * languages (what a key hint or a touch button says) and its help line in
 * both languages.  Everything else is generated from these rows: the two
 * action enums (kiosk/session/session.h, kiosk/console/console.h), the key
 * map (screens/keymap.c turns key names into terminal key codes), the key
 * hints and touch buttons (the core lists which actions are available now,
 * screens draw their labels and bound keys), the help screens, and the
 * [keys] configuration that remaps them.
 *
 * Typing is not an action: digits and letters that are not bound to an
 * action available on the current screen are typed into the field that has
 * the cursor (ACT_DIGIT_n / ACT_CHAR_x for the resident kiosk, CA_CHAR for
 * the console).  A key may be bound to an action and also type: on a screen
 * where the action is offered the action wins.
 *
 * Key names (case-insensitive in the configuration): F1…F12, Enter, Esc,
 * Backspace, Delete, Tab, BackTab, Up, Down, Left, Right, PgUp, PgDn, Home,
 * End, Space, Ctrl-A…Ctrl-Z, or one printable character ("0", "g", "/"). */
#ifndef KIOSK_KEYTAB_H
#define KIOSK_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>

/* X(ID, config_name, "default keys", "label en", "label zh", "help en", "help zh") */
#define RESIDENT_ACTIONS(X) \
    X(ACT_ENTER, "enter", "Enter", "OK", "确认", \
      "Confirm the choice, or go on to the next step.", "确认所选，或进入下一步。") \
    X(ACT_BACKSPACE, "clear", "Backspace Delete", "Delete", "删除", \
      "Delete the last character you typed.", "删除刚输入的最后一个字符。") \
    X(ACT_ESCAPE, "back", "Esc", "Back", "返回", \
      "Go back one screen; on the first screen, finish.", "返回上一屏；在首屏时结束查询。") \
    X(ACT_UP, "up", "Up", "Up", "上", \
      "Move the choice up (or the letter of a receipt number).", "向上选择（或改变回执号的字母）。") \
    X(ACT_DOWN, "down", "Down", "Down", "下", \
      "Move the choice down (or the letter of a receipt number).", "向下选择（或改变回执号的字母）。") \
    X(ACT_LEFT, "left", "Left", "Left", "左", \
      "Move to the previous field.", "移到上一个输入框。") \
    X(ACT_RIGHT, "right", "Right", "Right", "右", \
      "Move to the next field.", "移到下一个输入框。") \
    X(ACT_HELP, "help", "F1", "Help", "帮助", \
      "Show help for this screen.", "显示本屏的帮助。") \
    X(ACT_LANG, "language", "F2", "中文/English", "English/中文", \
      "Switch between Chinese and English.", "在中文和英文之间切换。") \
    X(ACT_PRINT, "print", "F3", "Print receipt", "打印回执", \
      "Print a receipt with a QR code to follow up at home.", "打印带二维码的回执，回家后可继续查询。") \
    X(ACT_SHOW_QR, "qr", "0", "QR code", "二维码", \
      "Show the follow-up QR code on the screen to scan with a phone.", "在屏幕上显示查询二维码，可用手机扫描。") \
    X(ACT_WITHDRAW, "withdraw", "9", "Withdraw", "撤回申请", \
      "Withdraw this application (you will be asked to confirm).", "撤回这份申请（会请您再次确认）。") \
    X(ACT_DETAILS, "details", "8", "Details", "详细信息", \
      "Show or hide the details: what sets your place and the change since the published list.", \
      "显示或收起详细信息：排序依据和与公示名单相比的变化。") \
    X(ACT_PICKER, "demo_card", "F4", "Demo card", "演示卡", \
      "Demonstration only: pick a demo resident's card.", "仅限演示：选择一张演示居民的身份证。") \
    /* ---- speech (issue 9): the loop handles these on every screen; a key \
     * also bound to typing (5) types where a field has the cursor ---- */ \
    X(ACT_SAY_AGAIN, "say_again", "5", "Say again", "再说一遍", \
      "Say this screen again.", "把本屏再说一遍。") \
    X(ACT_VOLUME_UP, "louder", "+", "Louder", "大声", \
      "Speak louder.", "声音大一点。") \
    X(ACT_VOLUME_DOWN, "quieter", "-", "Quieter", "小声", \
      "Speak more quietly.", "声音小一点。") \
    X(ACT_SPEECH, "speech", "/", "Speech on/off", "语音开/关", \
      "Switch speech on or off.", "打开或关闭语音。") \
    X(ACT_ACCESS, "accessibility", "F6 *", "Headphones, large text", "耳机模式、大字", \
      "Headphone mode: personal details are read aloud, the text is largest (also: hold 5).", \
      "耳机模式：朗读个人信息，字体最大（也可按住 5 键）。")

#define STAFF_ACTIONS(X) \
    X(CA_ENTER, "enter", "Enter", "Open", "打开", \
      "Open the selected row, or confirm the prompt.", "打开所选行，或确认输入。") \
    X(CA_BACKSPACE, "clear", "Backspace Delete", "Delete", "删除", \
      "Delete the last character typed.", "删除最后输入的字符。") \
    X(CA_ESCAPE, "back", "Esc", "Back", "返回", \
      "Close the prompt, or go back one screen.", "关闭输入框，或返回上一屏。") \
    X(CA_TAB, "next_field", "Tab BackTab", "Next field", "下一项", \
      "Move to the other field.", "移到另一个输入项。") \
    X(CA_UP, "up", "Up", "Up", "上", \
      "Select the row above.", "选择上一行。") \
    X(CA_DOWN, "down", "Down", "Down", "下", \
      "Select the row below.", "选择下一行。") \
    X(CA_PGUP, "page_up", "PgUp", "Prev page", "上一页", \
      "Show the previous page.", "显示上一页。") \
    X(CA_PGDN, "page_down", "PgDn", "Next page", "下一页", \
      "Show the next page.", "显示下一页。") \
    X(CA_HOME, "first", "Home", "First", "首页", \
      "Go to the first row.", "跳到第一行。") \
    X(CA_END, "last", "End", "Last", "末页", \
      "Go to the last row.", "跳到最后一行。") \
    X(CA_JUMP, "jump", "g", "Go to position", "跳到位次", \
      "Go to queue position N.", "跳到排队第 N 位。") \
    X(CA_SEARCH, "search", "/", "Find", "查找", \
      "Find in this list as you type; Enter with no match searches everyone by receipt, ID number, name or phone.", \
      "边输入边在本列表中查找；无匹配时按回车，按回执号、身份证号、姓名或电话查找所有人。") \
    X(CA_NEXT, "next_match", "n", "Next match", "下一个", \
      "Go to the next row that matches the last search.", "跳到下一个符合查找内容的行。") \
    X(CA_PREV, "prev_match", "N", "Previous match", "上一个", \
      "Go to the previous row that matches the last search.", "跳到上一个符合查找内容的行。") \
    X(CA_SORT, "sort", "s", "Sort", "排序", \
      "Sort the list by the next column.", "按下一列排序。") \
    X(CA_FILTER, "filter", "f", "Filter", "筛选", \
      "Show only some rows: the applications at one stage; audit records by actor, action, dates or entry.", \
      "只显示部分行：某一环节的申请；按操作人、操作、日期或条目筛选审计记录。") \
    X(CA_CONTACT, "contact", "c", "Contact phone", "联系电话", \
      "Show the family member's phone (street and district; recorded in the audit trail).", \
      "显示家属电话（街道和区民政；记入审计日志）。") \
    X(CA_REVEAL, "reveal", "r", "Show full ID", "显示完整身份证号", \
      "Show the full ID number (recorded in the audit trail).", "显示完整身份证号（记入审计日志）。") \
    X(CA_VERIFY, "verify", "v", "Verify chain", "校验审计链", \
      "Verify the audit chain.", "校验审计日志的哈希链。") \
    X(CA_ADD, "add", "a", "Add account", "新增账号", \
      "Add a staff account.", "新增工作人员账号。") \
    X(CA_DISABLE, "disable", "d", "Disable/enable", "停用/启用", \
      "Disable or enable the selected account.", "停用或启用所选账号。") \
    X(CA_ROLES, "roles", "o", "Roles", "角色", \
      "Change the selected account's roles.", "修改所选账号的角色。") \
    X(CA_PASSWD, "password", "p", "Reset password", "重置密码", \
      "Reset the selected account's password.", "重置所选账号的密码。") \
    X(CA_EXPORT, "export", "x", "Export CSV", "导出表格", \
      "Write this report as a CSV file in the configured directory ([reports] dir).", \
      "把本报表写成逗号分隔的表格文件，存到配置文件指定的目录。") \
    X(CA_NEXT_REPORT, "next_report", "Right", "Next report", "下一报表", \
      "Show the next report.", "显示下一张报表。") \
    X(CA_PREV_REPORT, "prev_report", "Left", "Previous report", "上一报表", \
      "Show the previous report.", "显示上一张报表。") \
    X(CA_REFRESH, "refresh", "F5", "Refresh", "刷新", \
      "Read the data again.", "重新读取数据。") \
    X(CA_LOGOUT, "logout", "F9", "Log out", "退出登录", \
      "Log out (everything personal is wiped from the screen).", "退出登录（清除屏幕上的个人信息）。") \
    X(CA_QUIT, "quit", "F10 Ctrl-C", "Quit", "退出程序", \
      "Log out and end the program.", "退出登录并结束程序。") \
    X(CA_HELP, "help", "F1 ?", "Help", "帮助", \
      "List the keys of this screen.", "列出本屏可用的按键。")

enum key_scope { KS_RESIDENT = 0, KS_STAFF = 1, KS__COUNT };

struct action_def {
    int id;                 /* enum kiosk_action / enum con_action */
    const char *name;       /* its name in [keys] ("help"; staff ones as "staff.refresh") */
    const char *keys;       /* default key names, space-separated */
    const char *label[2];   /* [0] en, [1] zh */
    const char *help[2];
};

/* The definitions of a scope, in table order. */
int keytab_count(enum key_scope scope);
const struct action_def *keytab_at(enum key_scope scope, int i);
/* The definition of an action id; NULL for typing and other ids not in the table. */
const struct action_def *keytab_def(enum key_scope scope, int id);
/* 0 en, 1 zh */
int keytab_lang(const char *lang);

#define KEYTAB_MAX_ACTIONS 40
#define KEYTAB_MAX_KEYS 4
#define KEYTAB_KEY_NAME 16

/* The bindings in force: the defaults, changed by the configuration's
 * [keys] section.  Plain data, so the core (hints, help) and screens/ (key
 * codes, touch) read the same table. */
struct keytab {
    int n_keys[KS__COUNT][KEYTAB_MAX_ACTIONS];
    char keys[KS__COUNT][KEYTAB_MAX_ACTIONS][KEYTAB_MAX_KEYS][KEYTAB_KEY_NAME];
};

/* The default bindings. */
void keytab_defaults(struct keytab *kt);

/* Bind the action named name ("help", or "staff.refresh") to the keys in
 * value ("F1, 5" — comma- or space-separated key names; "" or "none" unbinds).
 * KERR_NOTFOUND for an unknown action name, KERR_CONFIG for a bad key name;
 * the detail says which. */
int keytab_bind(struct keytab *kt, const char *name, const char *value);

/* True when s is a key name this table understands (see the list above). */
bool keytab_key_name_ok(const char *s);

/* The keys bound to an action (0..KEYTAB_MAX_KEYS), each a canonical key name. */
int keytab_keys(const struct keytab *kt, enum key_scope scope, int id,
                const char *out[KEYTAB_MAX_KEYS]);

/* One hint: "[F1] Help  [F2] 中文/English" for the available actions, in the
 * order given, each with its first bound key (an action with no key is left
 * out: it can only be reached by touch).  Returns the length written. */
size_t keytab_hint(const struct keytab *kt, enum key_scope scope, const int *acts, int n,
                   const char *lang, char *out, size_t cap);

/* The help lines of the available actions ("F1  Show help for this screen."),
 * one per call of cb, in the order given. */
void keytab_help(const struct keytab *kt, enum key_scope scope, const int *acts, int n,
                 const char *lang, void (*cb)(void *ctx, const char *line), void *ctx);

#endif
