/* session_fallback.c — weak stand-ins for the elder-care API the session uses.
 *
 * The resident screens and the elder-care core are written at the same time;
 * these let the kiosk link (and serve the housing queue) until
 * kiosk/eldercare.c lands, whose strong definitions replace them at link
 * time.  They say "nothing found" and "not in this build": never fake data. */
#include <string.h>

#include "eldercare.h"
#include "err.h"

__attribute__((weak)) const char *bed_stage_label(int stage, const char *lang)
{
    static const char *const zh[BS__COUNT] = {"已提交", "街道已审核", "区已审核", "已评估",
                                              "已分配服务机构", "已建床", "已验收", "服务中",
                                              "已退出", "未通过", "已撤回"};
    static const char *const en[BS__COUNT] = {
        "Submitted", "Approved by the street office", "Approved by the district", "Assessed",
        "Provider assigned", "Bed set up", "Accepted", "In service", "Exited", "Rejected",
        "Withdrawn"};
    if (stage < 0 || stage >= BS__COUNT)
        return "?";
    return lang && !strcmp(lang, "zh") ? zh[stage] : en[stage];
}

__attribute__((weak)) const char *bed_service_label(unsigned bit, const char *lang)
{
    static const char *const zh[BED_SVC__COUNT] = {"护理床位", "紧急呼叫", "智能监测",
                                                   "上门护理", "助餐", "适老化改造"};
    static const char *const en[BED_SVC__COUNT] = {"care bed", "emergency call button",
                                                   "smart sensors", "home nursing visits",
                                                   "meal help", "home adaptation"};
    for (int i = 0; i < BED_SVC__COUNT; i++)
        if (bit == 1u << i)
            return lang && !strcmp(lang, "zh") ? zh[i] : en[i];
    return "?";
}

__attribute__((weak)) int bed_lookup_id(struct store *st, const struct secret *sec,
                                        const char *id_number, const char *lang,
                                        struct bed_view *out, int cap, int *n)
{
    (void)st; (void)sec; (void)id_number; (void)lang; (void)out; (void)cap;
    *n = 0;
    return 0;
}

__attribute__((weak)) int bed_submit(struct store *st, const struct secret *sec,
                                     const struct actor *who, const struct bed_form *form,
                                     char ref[33])
{
    (void)st; (void)sec; (void)who; (void)form;
    ref[0] = '\0';
    return kerr(KERR_UNSUPPORTED, "home care bed applications are not in this build yet");
}

__attribute__((weak)) int bed_withdraw_by_resident(struct store *st, const struct secret *sec,
                                                   const struct actor *who, const char *ref,
                                                   const char *id_number)
{
    (void)st; (void)sec; (void)who; (void)ref; (void)id_number;
    return kerr(KERR_UNSUPPORTED, "home care bed applications are not in this build yet");
}
