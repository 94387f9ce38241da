/*
 * money: amounts of CNY as int64_t fen, never a float (DESIGN.md). Input
 * is a decimal string of yuan with at most two decimals ("1000000",
 * "1200000.5", "0.01"): no sign, exponent, separators or spaces, so a
 * typo cannot become a different amount. Output is the same plain form
 * with two decimals, for JSON, CSV and traces; the UI groups digits
 * itself. Rates are basis points (1/10,000) applied with rounding half
 * up to the fen, in 128-bit arithmetic so no product overflows.
 */
#ifndef GG_MONEY_H
#define GG_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The largest amount accepted: 10^15 fen (10 trillion yuan), far above any budget, far below INT64_MAX. */
#define GG_MONEY_MAX_FEN 1000000000000000LL
/* "-92,233,720,368,547,758.08" plus the NUL: any int64_t, grouped or not. */
#define GG_MONEY_TEXT_MAX 32

/**
 * Parses yuan text s into *fen (0..GG_MONEY_MAX_FEN). GG_E_INVALID with a
 * message saying what is wrong (empty, a sign, more than two decimals, a
 * character other than digits and one '.', too large); *fen untouched then.
 */
enum gg_err gg_money_parse(const char *s, int64_t *fen, struct gg_error *err);

/** Writes fen as yuan with two decimals ("1200000.50", "-0.05") into out; returns out. */
char *gg_money_format(int64_t fen, char out[GG_MONEY_TEXT_MAX]);
/** The same with the yuan grouped by thousands ("1,200,000.50"), for traces and notices; returns out. */
char *gg_money_format_grouped(int64_t fen, char out[GG_MONEY_TEXT_MAX]);

/**
 * *out = fen * bp / 10000 rounded half up (away from zero for negative
 * amounts), for 0 <= bp <= 10000 * 100. GG_E_INVALID when bp is outside
 * that range or the result passes GG_MONEY_MAX_FEN in size.
 */
enum gg_err gg_money_apply_bp(int64_t fen, int64_t bp, int64_t *out, struct gg_error *err);

#endif
