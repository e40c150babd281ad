/* assessment.c — GB/T 42195-2022 scoring: item table, bands, upgrade rules,
 * the sealed text form and the assessor's key=value file. */
#include "kiosk/assessment.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kiosk/err.h"
#include "kiosk/secret.h"

static const struct {
    const char *code;
    int dim, max;
    const char *zh, *en;
} items[ASSESS_ITEMS] = {
    /* 自理能力: 8 items × 4 = 32 */
    {"B1.1", AD_SELF_CARE, 4, "进食", "eating"},
    {"B1.2", AD_SELF_CARE, 4, "修饰", "grooming"},
    {"B1.3", AD_SELF_CARE, 4, "洗澡", "bathing"},
    {"B1.4", AD_SELF_CARE, 4, "穿脱上衣", "dressing (upper body)"},
    {"B1.5", AD_SELF_CARE, 4, "穿脱裤子和鞋袜", "dressing (trousers, shoes)"},
    {"B1.6", AD_SELF_CARE, 4, "小便控制", "bladder control"},
    {"B1.7", AD_SELF_CARE, 4, "大便控制", "bowel control"},
    {"B1.8", AD_SELF_CARE, 4, "如厕", "toileting"},
    /* 基础运动能力: 4 + 4 + 4 + 3 = 15 */
    {"B2.1", AD_MOTOR, 4, "床上体位转移", "turning in bed"},
    {"B2.2", AD_MOTOR, 4, "床椅转移", "bed-chair transfer"},
    {"B2.3", AD_MOTOR, 4, "平地行走", "walking on level ground"},
    {"B2.4", AD_MOTOR, 3, "上下楼梯", "stairs"},
    /* 精神状态: 6 × 4 + 1 + 1 + 2 = 28 */
    {"B3.1", AD_MENTAL, 4, "时间定向", "orientation in time"},
    {"B3.2", AD_MENTAL, 4, "空间定向", "orientation in space"},
    {"B3.3", AD_MENTAL, 4, "人物定向", "orientation to people"},
    {"B3.4", AD_MENTAL, 4, "记忆", "memory"},
    {"B3.5", AD_MENTAL, 4, "理解能力", "understanding"},
    {"B3.6", AD_MENTAL, 4, "表达能力", "expression"},
    {"B3.7", AD_MENTAL, 1, "攻击行为", "aggressive behaviour"},
    {"B3.8", AD_MENTAL, 1, "抑郁症状", "depressive symptoms"},
    {"B3.9", AD_MENTAL, 2, "意识水平", "level of consciousness"},
    /* 感知觉与社会参与: 2 + 2 + 4 + 3 + 4 = 15 */
    {"B4.1", AD_PERCEPTION, 2, "视力", "vision"},
    {"B4.2", AD_PERCEPTION, 2, "听力", "hearing"},
    {"B4.3", AD_PERCEPTION, 4, "执行日常事务", "daily affairs"},
    {"B4.4", AD_PERCEPTION, 3, "使用交通工具外出", "going out by transport"},
    {"B4.5", AD_PERCEPTION, 4, "社会交往能力", "social interaction"},
};

static const char *const dim_zh[ASSESS_DIMS] = {"自理能力", "基础运动能力", "精神状态",
                                                "感知觉与社会参与"};
static const char *const dim_en[ASSESS_DIMS] = {"self-care", "basic motor ability", "mental state",
                                                "perception and social participation"};
static const char *const level_zh[ASSESS_LEVELS] = {"能力完好", "轻度失能", "中度失能", "重度失能",
                                                    "完全失能"};
static const char *const level_en[ASSESS_LEVELS] = {"no disability", "mild disability",
                                                    "moderate disability", "severe disability",
                                                    "complete disability"};

static bool is_en(const char *lang) { return lang && strcmp(lang, "en") == 0; }

const char *assessment_item_code(int i) { return i >= 0 && i < ASSESS_ITEMS ? items[i].code : ""; }
int assessment_item_dim(int i) { return i >= 0 && i < ASSESS_ITEMS ? items[i].dim : -1; }
int assessment_item_max(int i) { return i >= 0 && i < ASSESS_ITEMS ? items[i].max : 0; }

const char *assessment_item_name(int i, const char *lang)
{
    if (i < 0 || i >= ASSESS_ITEMS)
        return "";
    return is_en(lang) ? items[i].en : items[i].zh;
}

const char *assessment_dim_name(int d, const char *lang)
{
    if (d < 0 || d >= ASSESS_DIMS)
        return "";
    return is_en(lang) ? dim_en[d] : dim_zh[d];
}

const char *assessment_level_word(int level, const char *lang)
{
    if (level < 0 || level >= ASSESS_LEVELS)
        return "";
    return is_en(lang) ? level_en[level] : level_zh[level];
}

int assessment_bands_parse(const char *text, int bands[4])
{
    const char *p = text ? text : "";
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 1 || v > ASSESS_MAX_TOTAL)
            return kerr(KERR_CONFIG, "level_bands: \"%s\": want four numbers 1..90 such as "
                        "90,66,46,30", text ? text : "");
        if (i > 0 && v >= bands[i - 1])
            return kerr(KERR_CONFIG, "level_bands: \"%s\": bounds must decrease", text);
        bands[i] = (int)v;
        p = end;
        if (i < 3) {
            if (*p != ',')
                return kerr(KERR_CONFIG, "level_bands: \"%s\": want four comma-separated numbers",
                            text);
            p++;
        }
    }
    if (*p)
        return kerr(KERR_CONFIG, "level_bands: \"%s\": trailing text", text);
    return 0;
}

int assessment_score(struct assessment *a, const char *bands_text)
{
    int bands[4];
    int err = assessment_bands_parse(bands_text, bands);
    if (err)
        return err;
    memset(a->dim_total, 0, sizeof a->dim_total);
    a->total = 0;
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        if (a->score[i] < 0 || a->score[i] > items[i].max)
            return kerr(KERR_INPUT, "%s %s: score %d is outside 0..%d", items[i].code,
                        items[i].en, a->score[i], items[i].max);
        a->dim_total[items[i].dim] += a->score[i];
        a->total += a->score[i];
    }
    if (a->risk_events_30d < 0 || a->risk_events_30d > 999)
        return kerr(KERR_INPUT, "risk_events: %d is not a count", a->risk_events_30d);
    int level = AL_COMPLETE;
    for (int i = 0; i < 4; i++)
        if (a->total >= bands[i]) {
            level = i;
            break;
        }
    a->base_level = level;
    /* The standard raises the preliminary level by one when ANY of these
     * holds ("有下列情况之一"), not by one per reason. */
    a->upgraded = false;
    if (a->dementia || a->mental_disorder || a->risk_events_30d >= 2) {
        if (level < AL_COMPLETE) {
            level++;
            a->upgraded = true;
        }
    }
    if (a->coma && level != AL_COMPLETE) {
        level = AL_COMPLETE;
        a->upgraded = true;
    }
    a->level = level;
    return 0;
}

/* ---- stored form ---------------------------------------------------------- */

int assessment_encode(const struct assessment *a, char *out, size_t cap)
{
    size_t n = 0;
    int k = snprintf(out, cap, "v1;s=");
    if (k < 0 || (size_t)k >= cap)
        return KERR_NOMEM;
    n = (size_t)k;
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        k = snprintf(out + n, cap - n, "%s%d", i ? "," : "", a->score[i]);
        if (k < 0 || (size_t)k >= cap - n)
            return KERR_NOMEM;
        n += (size_t)k;
    }
    /* the diagnoses text goes last, so it may hold ';' */
    k = snprintf(out + n, cap - n, ";dem=%d;men=%d;coma=%d;risk=%d;lvl=%d;tot=%d;on=%s;dx=%s",
                 a->dementia, a->mental_disorder, a->coma, a->risk_events_30d, a->level, a->total,
                 a->assessed_on, a->diagnoses);
    if (k < 0 || (size_t)k >= cap - n)
        return KERR_NOMEM;
    return (int)(n + (size_t)k);
}

int assessment_decode(const char *text, struct assessment *a)
{
    memset(a, 0, sizeof *a);
    if (strncmp(text, "v1;s=", 5) != 0)
        return kerr(KERR_CRYPTO, "assessment: unknown stored form");
    const char *p = text + 5;
    for (int i = 0; i < ASSESS_ITEMS; i++) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || (i < ASSESS_ITEMS - 1 && *end != ','))
            return kerr(KERR_CRYPTO, "assessment: damaged scores");
        a->score[i] = (int)v;
        p = end + (i < ASSESS_ITEMS - 1);
    }
    int dem, men, coma, risk, lvl, tot, used = 0;
    char on[11] = "";
    /* the level is stored as decided: the bands may change later, the
     * decision made under the bands of the day stands until reassessment */
    if (sscanf(p, ";dem=%d;men=%d;coma=%d;risk=%d;lvl=%d;tot=%d;on=%10[0-9-];dx=%n", &dem, &men,
               &coma, &risk, &lvl, &tot, on, &used) < 7 || used == 0 || lvl < 0 ||
        lvl >= ASSESS_LEVELS)
        return kerr(KERR_CRYPTO, "assessment: damaged flags");
    a->level = lvl;
    a->total = tot;
    a->dementia = dem;
    a->mental_disorder = men;
    a->coma = coma;
    a->risk_events_30d = risk;
    snprintf(a->assessed_on, sizeof a->assessed_on, "%s", on);
    snprintf(a->diagnoses, sizeof a->diagnoses, "%s", p + used);
    return 0;
}

/* ---- the assessor's file -------------------------------------------------- */

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "true")) {
        *out = true;
        return 0;
    }
    if (!strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "false")) {
        *out = false;
        return 0;
    }
    return -1;
}

static int parse_small(const char *v, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || *end || errno || n < 0 || n > 999)
        return -1;
    *out = (int)n;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int assessment_parse_file(const char *path, struct assessment *a)
{
    memset(a, 0, sizeof *a);
    FILE *f = fopen(path, "r");
    if (!f)
        return kerr(KERR_IO, "%s: cannot open: %s", path, strerror(errno));
    bool seen[ASSESS_ITEMS] = {false};
    char line[512];
    int lineno = 0, err = 0;
    while (!err && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            err = kerr(KERR_INPUT, "%s:%d: want KEY=VALUE", path, lineno);
            break;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        int item = -1;
        for (int i = 0; i < ASSESS_ITEMS; i++)
            if (!strcasecmp(key, items[i].code))
                item = i;
        if (item >= 0) {
            if (parse_small(val, &a->score[item]) || a->score[item] > items[item].max)
                err = kerr(KERR_INPUT, "%s:%d: %s: want 0..%d", path, lineno, key, items[item].max);
            seen[item] = true;
        } else if (!strcasecmp(key, "scores")) {
            char *p = val;
            for (int i = 0; i < ASSESS_ITEMS && !err; i++) {
                char *end;
                long v = strtol(p, &end, 10);
                if (end == p || v < 0 || v > items[i].max ||
                    (i < ASSESS_ITEMS - 1 ? *end != ',' : *end != '\0'))
                    err = kerr(KERR_INPUT, "%s:%d: scores: want 26 comma-separated item scores "
                               "(item %d, %s, is 0..%d)", path, lineno, i + 1, items[i].code,
                               items[i].max);
                a->score[i] = (int)v;
                seen[i] = true;
                p = end + 1;
            }
        } else if (!strcasecmp(key, "dementia") || !strcasecmp(key, "mental_disorder") ||
                   !strcasecmp(key, "coma")) {
            bool *b = !strcasecmp(key, "dementia") ? &a->dementia
                    : !strcasecmp(key, "coma") ? &a->coma : &a->mental_disorder;
            if (parse_bool(val, b))
                err = kerr(KERR_INPUT, "%s:%d: %s: want yes or no", path, lineno, key);
        } else if (!strcasecmp(key, "risk_events")) {
            if (parse_small(val, &a->risk_events_30d))
                err = kerr(KERR_INPUT, "%s:%d: risk_events: want a count", path, lineno);
        } else if (!strcasecmp(key, "diagnoses")) {
            if (strlen(val) >= sizeof a->diagnoses)
                err = kerr(KERR_INPUT, "%s:%d: diagnoses: longer than %zu bytes", path, lineno,
                           sizeof a->diagnoses - 1);
            else
                snprintf(a->diagnoses, sizeof a->diagnoses, "%s", val);
        } else {
            err = kerr(KERR_INPUT, "%s:%d: %s: unknown key (B1.1 … B4.5, scores, dementia, "
                       "mental_disorder, coma, risk_events, diagnoses)", path, lineno, key);
        }
    }
    secure_wipe(line, sizeof line);
    fclose(f);
    for (int i = 0; i < ASSESS_ITEMS && !err; i++)
        if (!seen[i])
            err = kerr(KERR_INPUT, "%s: %s (%s) is missing", path, items[i].code, items[i].en);
    if (err)
        secure_wipe(a, sizeof *a);
    return err;
}
