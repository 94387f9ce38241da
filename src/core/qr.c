/*
 * qr: libqrencode's module matrix written as SVG (qr.h). Each row's dark
 * modules are drawn as runs ("M x y h n v 1 h -n z"), so a 300-character
 * token gives a path of a few kilobytes rather than one square a module.
 */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

enum gg_err gg_qr_svg(const char *text, struct gg_buf *out, int *size, struct gg_error *err)
{
	QRcode *q;
	int side;
	enum gg_err rc;

	if (size)
		*size = 0;
	if (!text || !*text)
		return gg_error_set(err, GG_E_INVALID, "nothing to encode");
	errno = 0;
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return gg_error_set(err, errno == ENOMEM ? GG_E_NOMEM : GG_E_INVALID, "cannot encode a QR code: %s",
		                    errno == ERANGE ? "the text is too long" : "the encoder refused it");
	side = q->width + 2 * GG_QR_QUIET;
	rc = gg_buf_addf(
	    out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	    side, side, side, side);
	for (int y = 0; rc == GG_OK && y < q->width; y++) {
		for (int x = 0; rc == GG_OK && x < q->width;) {
			int run = 0;

			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				rc = gg_buf_addf(out, "M%d %dh%dv1h-%dz", x + GG_QR_QUIET, y + GG_QR_QUIET, run, run);
				x += run;
			} else
				x++;
		}
	}
	if (rc == GG_OK)
		rc = gg_buf_adds(out, "\"/></svg>");
	QRcode_free(q);
	if (rc != GG_OK)
		return gg_error_set(err, rc, "the QR code's SVG does not fit");
	if (size)
		*size = side;
	return GG_OK;
}
