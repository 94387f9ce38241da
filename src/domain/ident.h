/*
 * ident: national identifier checks. Resident identity card numbers
 * follow GB 11643-1999 (18 characters: a 6-digit area code whose first two
 * digits name a province of GB/T 2260, the birth date YYYYMMDD, a 3-digit
 * sequence, and an ISO 7064 MOD 11-2 check character 0-9 or X). Unified
 * social credit codes follow GB 32100-2015 (18 characters of
 * "0123456789ABCDEFGHJKLMNPQRTUWXY": registration department, type code,
 * 6-digit region, 9-character organisation code, and a mod-31 check
 * character). Every failure names the rule that failed, so the person who
 * typed the number learns what to correct. Pure functions, no database.
 *
 * Spreadsheets damage identifiers: Excel stores an 18-digit number as a
 * double, shows it as 4.20101E+17 and, when saved again, keeps only 15
 * significant digits (the last three become 000). gg_ident_excel_damaged
 * recognises both, so an import can say why a number is wrong.
 */
#ifndef GG_IDENT_H
#define GG_IDENT_H

#include <stddef.h>

#include "../core/err.h"

#define GG_IDENT_LEN 18 /* both kinds of identifier */
#define GG_IDENT_BUF 19 /* an identifier and its NUL */

/**
 * The canonical spelling of an identifier as typed: surrounding white
 * space removed, full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) made
 * ASCII, letters upper-cased. out gets at most GG_IDENT_LEN + 1 characters
 * (a longer value is cut after GG_IDENT_LEN + 1, so the length check
 * still fails); out always ends in NUL. Does not validate.
 */
void gg_ident_normalise(const char *value, char out[GG_IDENT_BUF]);

/**
 * Checks a resident identity card number (GB 11643-1999), after
 * gg_ident_normalise (so a lower-case x is accepted). birth_date
 * ("YYYY-MM-DD", or NULL when the record has none) must then equal the
 * number's birth date. On failure: GG_E_INVALID with a field error on
 * field (NULL: none, only the message) naming the rule, one of
 *   resident id must have 18 characters (got 17)
 *   resident id character 7 is 'A', only digits may precede the check character
 *   resident id check character is 'X', expected '5' (GB 11643 MOD 11-2)
 *   resident id area code 99 is not a province
 *   resident id birth date 19801332 is not a real date
 *   resident id birth date 2090-01-01 is in the future
 *   resident id birth date 1899-12-31 is before 1900
 *   resident id birth date 1980-01-02 does not match birth_date 1981-01-02
 */
enum gg_err gg_ident_check_resident_id(const char *value, const char *birth_date, const char *field,
                                       struct gg_error *err);

/** The MOD 11-2 check character ('0'-'9' or 'X') of 17 digits; 0 when d is not 17 digits. */
char gg_ident_resident_check_char(const char *d17);

/**
 * The birth date of a resident id that passed gg_ident_check_resident_id,
 * as "YYYY-MM-DD" into out (>= 11 bytes); "" when value is not 18
 * characters.
 */
void gg_ident_resident_birth_date(const char *value, char *out, size_t outsz);

/**
 * Checks a unified social credit code (GB 32100-2015) after
 * gg_ident_normalise. On failure GG_E_INVALID with a field error on field
 * (NULL: none) naming the rule, one of
 *   uscc must have 18 characters (got 17)
 *   uscc contains 'I', which GB 32100 does not allow
 *   uscc check character is 'X', expected '3' (GB 32100 mod 31)
 *   uscc registration department 'Z' is not one of GB 32100 (1-9, A, N, Y)
 *   uscc type code '5' is not valid for registration department '9'
 *   uscc region code 35A100 must be 6 digits
 */
enum gg_err gg_ident_check_uscc(const char *value, const char *field, struct gg_error *err);

/** The mod-31 check character of the first 17 characters of a code; 0 when one is outside the alphabet. */
char gg_ident_uscc_check_char(const char *c17);

/**
 * When value looks like an identifier damaged by a spreadsheet, a reason
 * to show ("looks damaged by Excel: ..."); NULL otherwise. Recognises
 * scientific notation (4.20101E+17) and 18 digits ending in 000 that fail
 * both the resident id and the credit code check.
 */
const char *gg_ident_excel_damaged(const char *value);

#endif
