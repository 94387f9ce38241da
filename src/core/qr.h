/*
 * qr: a QR code as SVG text (libqrencode, wrapped here only), for the
 * digital talent card's token on the phone page. The SVG is one <path>
 * of unit squares, one per dark module, in a viewBox that keeps the quiet
 * zone of 4 modules the standard asks for; the same text always gives the
 * same SVG.
 */
#ifndef GG_QR_H
#define GG_QR_H

#include "buf.h"
#include "err.h"

#define GG_QR_QUIET 4 /* modules of quiet zone around the code */

/**
 * Encodes text (8-bit, error correction level M) and appends its SVG to
 * out; *size (may be NULL) gets the side of the viewBox in modules (the
 * code's width plus twice the quiet zone). GG_E_INVALID for text the
 * encoder refuses (too long), GG_E_NOMEM.
 */
enum gg_err gg_qr_svg(const char *text, struct gg_buf *out, int *size, struct gg_error *err);

#endif
