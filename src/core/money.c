/*
 * money: parsing, formatting and basis-point arithmetic of fen amounts.
 * See money.h for the rules; everything here is integer arithmetic.
 */
#include "money.h"

#include <stdio.h>
#include <string.h>

#define BP_MAX (10000LL * 100LL) /* rates up to 100 times the amount */

enum gg_err gg_money_parse(const char *s, int64_t *fen, struct gg_error *err)
{
	int64_t yuan = 0, cents = 0;
	int digits = 0, decimals = -1;

	if (!s || !*s)
		return gg_error_set(err, GG_E_INVALID, "amount is empty");
	if (*s == '-' || *s == '+')
		return gg_error_set(err, GG_E_INVALID, "amount '%.32s' has a sign; amounts are not negative", s);
	for (const char *p = s; *p; p++) {
		if (*p == '.') {
			if (decimals >= 0 || digits == 0)
				return gg_error_set(err, GG_E_INVALID, "amount '%.32s' is not a decimal number of yuan",
				                    s);
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return gg_error_set(
			    err, GG_E_INVALID,
			    "amount '%.32s' holds '%c': write digits and at most one '.', no separators", s, *p);
		if (decimals >= 0) {
			if (++decimals > 2)
				return gg_error_set(err, GG_E_INVALID, "amount '%.32s' has more than two decimals", s);
			cents = cents * 10 + (*p - '0');
			continue;
		}
		if (yuan > GG_MONEY_MAX_FEN / 100)
			return gg_error_set(err, GG_E_INVALID, "amount '%.32s' is too large", s);
		yuan = yuan * 10 + (*p - '0');
		digits++;
	}
	if (decimals == 0)
		return gg_error_set(err, GG_E_INVALID, "amount '%.32s' ends with '.'", s);
	if (decimals == 1)
		cents *= 10;
	if (yuan > GG_MONEY_MAX_FEN / 100 || yuan * 100 + cents > GG_MONEY_MAX_FEN)
		return gg_error_set(err, GG_E_INVALID, "amount '%.32s' is too large", s);
	*fen = yuan * 100 + cents;
	return GG_OK;
}

char *gg_money_format(int64_t fen, char out[GG_MONEY_TEXT_MAX])
{
	/* the magnitude as unsigned, so INT64_MIN formats too */
	uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;

	snprintf(out, GG_MONEY_TEXT_MAX, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(m / 100),
	         (unsigned long long)(m % 100));
	return out;
}

char *gg_money_format_grouped(int64_t fen, char out[GG_MONEY_TEXT_MAX])
{
	char plain[GG_MONEY_TEXT_MAX];
	const char *p = gg_money_format(fen, plain);
	size_t len, digits, o = 0;

	if (*p == '-')
		out[o++] = *p++;
	len = strlen(p);
	digits = len - 3; /* the yuan before ".NN" */
	for (size_t i = 0; i < len && o + 1 < GG_MONEY_TEXT_MAX; i++) {
		if (i > 0 && i < digits && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	out[o] = '\0';
	return out;
}

enum gg_err gg_money_apply_bp(int64_t fen, int64_t bp, int64_t *out, struct gg_error *err)
{
	__int128 p, q;

	if (bp < 0 || bp > BP_MAX)
		return gg_error_set(err, GG_E_INVALID, "rate %lld basis points is outside 0..%lld", (long long)bp,
		                    (long long)BP_MAX);
	p = (__int128)fen * bp;
	/* half up: add half the divisor to the magnitude before the (truncating) division */
	q = p >= 0 ? (p + 5000) / 10000 : -((-p + 5000) / 10000);
	if (q > GG_MONEY_MAX_FEN || q < -GG_MONEY_MAX_FEN)
		return gg_error_set(err, GG_E_INVALID, "amount times the rate is too large");
	*out = (int64_t)q;
	return GG_OK;
}
