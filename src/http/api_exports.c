/*
 * api_exports: GET /api/v1/talents/export and /api/v1/orgs/export, the
 * list filters of GET /talents and GET /orgs plus format=csv|xlsx and
 * lang=zh|en, answered as a file to download. The caller's scope narrows
 * the rows as it narrows the lists (an employer exports its own
 * organisation and its people). Personal data is masked; unmasked=true
 * unmasks it for a caller holding pii_read (403 otherwise). The export
 * module writes the file (to a private temporary file, as a workbook is
 * written by path) and audits it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../domain/export.h"
#include "../domain/org.h"
#include "../domain/vocabulary.h"
#include "api.h"

#define Q_MAX    200
#define WORD_MAX 256

static void id_arg(struct gg_req *req, const char *name, int64_t *out, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);
	long long v;

	if (!s || !*s)
		return;
	if (gg_parse_i64(s, 1, INT64_MAX, &v) != GG_OK)
		gg_error_field(err, GG_E_INVALID, name, "%s must be a positive whole number", name);
	else
		*out = (int64_t)v;
}

static void bool_arg(struct gg_req *req, const char *name, int *out, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (!s || !*s)
		return;
	if (strcmp(s, "true") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0)
		*out = 0;
	else
		gg_error_field(err, GG_E_INVALID, name, "%s must be true or false", name);
}

/* Reads the whole file at path into a new buffer. */
static enum gg_err slurp(const char *path, char **out, size_t *len, struct gg_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	*out = NULL;
	if (!f)
		return gg_error_set(err, GG_E_IO, "cannot read the export: %s", strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !(data = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	*len = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f) || *len != (size_t)st.st_size) {
		fclose(f);
		free(data);
		return gg_error_set(err, GG_E_IO, "cannot read the export");
	}
	fclose(f);
	*out = data;
	return GG_OK;
}

static enum gg_err run_export(struct gg_req *req, enum gg_export_sheet sheet, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_export_options opt;
	struct gg_search_query q;
	struct gg_actor actor;
	char path[1024], name[96], day[32], segment[64];
	struct gg_error one;
	const char *s;
	char *data = NULL;
	size_t len = 0;
	int64_t rows = 0, scope = 0;
	int unmasked = 0, found = 0;
	enum gg_err rc;

	memset(&opt, 0, sizeof(opt));
	gg_search_query_init(&q);
	gg_export_parse_format(gg_req_query(req, "format"), &opt.format, err);
	gg_export_parse_lang(gg_req_query(req, "lang"), &opt.lang, err);
	bool_arg(req, "unmasked", &unmasked, err);
	q.q = gg_req_query_text(req, "q", Q_MAX, err);
	q.segment = gg_req_query_text(req, "segment", WORD_MAX, err);
	if (sheet == GG_EXPORT_TALENTS) {
		q.tier = gg_req_query_text(req, "tier", WORD_MAX, err);
		q.status = gg_req_query_text(req, "status", WORD_MAX, err);
		q.honour = gg_req_query_text(req, "honour", WORD_MAX, err);
		q.city = gg_req_query_text(req, "city", WORD_MAX, err);
		id_arg(req, "org_id", &q.org_id, err);
	} else {
		/* As GET /orgs: kind and segment take a token or label, an unknown one is a 400. */
		if ((s = gg_req_query_text(req, "kind", WORD_MAX, err)) != NULL &&
		    !(q.kind = gg_vocab_lookup(GG_VOCAB_ORG_KIND, s)))
			gg_error_field(err, GG_E_INVALID, "kind", "unknown organisation kind '%.64s'", s);
		if (q.segment) {
			gg_error_init(&one);
			if ((rc = gg_vocab_segment_lookup(gg_req_db(req), q.segment, segment, sizeof(segment), &found,
			                                  &one)) != GG_OK) {
				*err = one;
				return rc;
			}
			if (!found)
				gg_error_field(err, GG_E_INVALID, "segment", "unknown segment '%.64s'", q.segment);
			q.segment = segment;
		}
		q.park = gg_req_query_text(req, "park", WORD_MAX, err);
		bool_arg(req, "verified", &q.verified, err);
	}
	if (err->code != GG_OK)
		return err->code;
	if (unmasked && !gg_principal_can(pr, GG_PERM_pii_read))
		return gg_error_set(err, GG_E_FORBIDDEN, "an unmasked export needs permission 'pii_read'");

	/* The caller's scope, as for the lists. */
	if (sheet == GG_EXPORT_TALENTS) {
		gg_api_talent_scope(pr, &q);
	} else {
		gg_org_scope(pr, &scope);
		if (scope < 0)
			q.scope_none = 1;
		else
			q.org_scope = scope;
	}

	gg_api_actor(req, &actor);
	opt.sheet = sheet;
	opt.unmasked = unmasked;
	opt.keys = gg_req_keys(req);
	opt.filter = &q;
	opt.actor = &actor;
	if (gg_export_tempfile(path, sizeof(path), err) != GG_OK)
		return err->code;
	rc = gg_export_file(gg_req_db(req), &opt, path, &rows, err);
	if (rc == GG_OK)
		rc = slurp(path, &data, &len, err);
	unlink(path);
	if (rc != GG_OK)
		return rc;

	gg_clock_iso(gg_clock_now(), day, sizeof(day));
	snprintf(name, sizeof(name), "%s-%.4s%.2s%.2s.%s", gg_export_stem(sheet, opt.lang), day, day + 5, day + 8,
	         opt.format == GG_EXPORT_XLSX ? "xlsx" : "csv");
	rc = gg_resp_attachment(req, gg_export_mime(opt.format), name, data, len);
	free(data);
	if (rc != GG_OK)
		return gg_error_set(err, rc, "cannot answer with the export");
	return GG_OK;
}

enum gg_err api_talents_export(struct gg_req *req, struct gg_error *err)
{
	return run_export(req, GG_EXPORT_TALENTS, err);
}

enum gg_err api_orgs_export(struct gg_req *req, struct gg_error *err)
{
	return run_export(req, GG_EXPORT_ORGS, err);
}
