/* speech_lex.h — the kiosk's pronunciation lexicon, applied to the text
 * before it reaches the synthesiser.
 *
 * espeak-ng's Mandarin dictionary picks one reading per character, so the
 * kiosk's own 多音字 (银行 yin2hang2, 长者 zhang3zhe3, 重新 chong2xin1,
 * 还款 huan2kuan3, 调整 tiao2zheng3 …) come out wrong.  The Mandarin voice
 * the kiosk uses (cmn-latn-pinyin, see devices/speech_espeak.c) reads Latin
 * letters as pinyin with tone numbers, so a lexicon entry can give the
 * reading exactly.  Receipt numbers and masked ID fragments are spelled one
 * character at a time ("BHJ0000001" → "比 艾尺 杰 0 0 0 0 0 0 1"), and the
 * '*' of a mask is skipped.  Pure: no synthesiser here, so the text the
 * core hands on (and --speech-dir records) is exactly what is spoken. */
#ifndef KIOSK_SPEECH_LEX_H
#define KIOSK_SPEECH_LEX_H

#include <stddef.h>

/* The spoken languages: Mandarin, Cantonese, English. */
enum speech_lang { SPL_ZH = 0, SPL_YUE, SPL_EN, SPL__COUNT };

/* "zh", "yue", "en" */
const char *speech_lang_name(enum speech_lang l);

/* Apply the lexicon of language l to in (UTF-8), writing out (always
 * terminated).  KERR_INPUT when out is too small (out then holds what fit). */
int speech_lex_apply(enum speech_lang l, const char *in, char *out, size_t cap);

/* Spell code (a receipt number or reference) one character at a time,
 * whatever it holds — all letters or all digits too, which speech_lex_apply
 * would read as a word or a number: "BHJ0000001" → "比 艾尺 杰 0 0 0 0 0 0 1"
 * for Mandarin, "B H J 0 0 0 0 0 0 1" otherwise.  The result goes through
 * speech_lex_apply unchanged.  KERR_INPUT when out is too small. */
int speech_lex_spell(enum speech_lang l, const char *code, char *out, size_t cap);

/* The number of lexicon entries of language l and entry i (word, reading):
 * for tests, which check each reading through espeak-ng's phoneme output. */
int speech_lex_count(enum speech_lang l);
void speech_lex_entry(enum speech_lang l, int i, const char **word, const char **reading);

#endif
