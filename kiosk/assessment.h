/* assessment.h — the GB/T 42195-2022 《老年人能力评估规范》 older-person ability
 * assessment: 26 items in 4 dimensions (DOMAIN.md §2.2), the total (0–90), the
 * level from score bands held in configuration ([eldercare] level_bands,
 * "90,66,46,30"), and the standard's upgrade rules.
 *
 * Everything in a struct assessment is sensitive health data (PIPL art. 28):
 * it is only ever stored sealed (eldercare.c) and never shown to a resident;
 * residents see assessment_level_word() of the final level and nothing else.
 * Pure functions: no storage, no I/O except assessment_parse_file(). */
#ifndef KIOSK_ASSESSMENT_H
#define KIOSK_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>

#define ASSESS_ITEMS 26
#define ASSESS_DIMS 4
#define ASSESS_MAX_TOTAL 90
#define ASSESS_LEVELS 5

/* The four first-level indicators. */
enum assess_dim { AD_SELF_CARE = 0, AD_MOTOR, AD_MENTAL, AD_PERCEPTION };

/* The five levels, from 能力完好 to 能力完全丧失. */
enum assess_level { AL_INTACT = 0, AL_MILD, AL_MODERATE, AL_SEVERE, AL_COMPLETE };

struct assessment {
    /* inputs */
    int score[ASSESS_ITEMS];     /* item i in 0..assessment_item_max(i) */
    bool dementia;               /* diagnosed dementia (F00–F03) */
    bool mental_disorder;        /* mental/behavioural disorder diagnosed by a psychiatrist */
    bool coma;                   /* 昏迷: completely disabled whatever the scores */
    int risk_events_30d;         /* falls, choking, suicide/self-harm, wandering in 30 days */
    char diagnoses[160];         /* free text, e.g. "阿尔茨海默病; 高血压" */
    char assessed_on[11];        /* "YYYY-MM-DD" (filled by eldercare when empty) */
    /* results, filled by assessment_score() */
    int dim_total[ASSESS_DIMS];
    int total;
    int base_level;              /* from the bands alone */
    int level;                   /* after the upgrade rules */
    bool upgraded;               /* an upgrade rule raised the level */
};

/* Item facts: clause code ("B1.1" … "B4.5"), dimension, highest score, name. */
const char *assessment_item_code(int item);
int assessment_item_dim(int item);
int assessment_item_max(int item);
const char *assessment_item_name(int item, const char *lang);
const char *assessment_dim_name(int dim, const char *lang);

/* Parse "90,66,46,30": four strictly decreasing lower bounds within 1..90 for
 * 能力完好, 轻度, 中度 and 重度 (below the last is 完全).  0 or KERR_CONFIG. */
int assessment_bands_parse(const char *text, int bands[4]);

/* Validate the item scores (KERR_INPUT naming the item) and fill the totals
 * and levels.  Rules (GB/T 42195-2022): the level of the total per bands;
 * one level up (once, not per reason) for dementia, a mental disorder or two
 * or more care-risk events in 30 days; coma → 完全失能 directly. */
int assessment_score(struct assessment *a, const char *bands_text);

/* "中度失能" / "moderate disability"; "" for an out-of-range level. */
const char *assessment_level_word(int level, const char *lang);

/* The stored text form ("v1;…"), the plaintext that eldercare seals.  encode
 * returns the length or KERR_NOMEM; decode returns 0 or KERR_CRYPTO (damaged). */
int assessment_encode(const struct assessment *a, char *out, size_t cap);
int assessment_decode(const char *text, struct assessment *a);

/* Read an assessment file for `kioskctl bed advance --to assessed`:
 *   # comment
 *   B1.1=4          one line per item code, all 26 required (or scores=26 commas)
 *   dementia=yes    yes/no (also mental_disorder, coma)
 *   risk_events=2   care-risk events in the last 30 days
 *   diagnoses=text
 * Unknown keys and bad values are KERR_INPUT "FILE:LINE: key: what is wrong". */
int assessment_parse_file(const char *path, struct assessment *a);

#endif
