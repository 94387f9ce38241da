/*
 * mask: the display copies of personal data, one rule per kind, shared by
 * talents and organisation contacts so that a number looks the same
 * wherever it is shown: a resident ID keeps its first 3 and last 4
 * characters (420***********1234), a passport its first 1 and last 3
 * (E*****678), a phone its first 3 and last 4 with four stars between
 * (138****5678), an e-mail its first character and the domain
 * (w***@example.com). The length of a resident ID or passport is kept (one
 * star per hidden character); phones and e-mail always show the same
 * number of stars, so the mask does not tell the length. Values too short
 * to keep anything hidden are all stars. Pure functions.
 */
#ifndef GG_MASK_H
#define GG_MASK_H

#include <stddef.h>

#include "../core/err.h"

#define GG_MASK_MAX 320 /* bytes of any mask, NUL included (an e-mail of up to 254 bytes fits) */

/** Resident ID: first 3, a star per hidden character, last 4. */
enum gg_err gg_mask_resident_id(const char *value, char *out, size_t outsz);
/** Passport: first 1, a star per hidden character, last 3. */
enum gg_err gg_mask_passport(const char *value, char *out, size_t outsz);
/** Document by type ("resident_id" or "passport"; another type masks as a passport). */
enum gg_err gg_mask_document(const char *type, const char *value, char *out, size_t outsz);
/** Phone: first 3 characters, "****", last 4 (a leading '+' counts as a character). */
enum gg_err gg_mask_phone(const char *value, char *out, size_t outsz);
/** E-mail: first character of the local part, "***", then "@domain" as given. */
enum gg_err gg_mask_email(const char *value, char *out, size_t outsz);

#endif
