/*
 * policyset: the installation's policy packs and the stamps that hold a
 * version to its content (policyset.h). The set is read once (at server
 * start, or by a command) and is read-only afterwards, so worker threads
 * share it without locks.
 */
#include "policyset.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"

struct gg_policyset {
	struct gg_pack *packs[GG_POLICYSET_PACKS_MAX];
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum gg_err gg_policyset_names(const char *dir, char **names, size_t *n, struct gg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*n = 0;
	if (d == NULL)
		return gg_error_set(err, GG_E_NOT_FOUND, "cannot read the directory '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		if (*n == GG_POLICYSET_PACKS_MAX) {
			closedir(d);
			return gg_error_set(err, GG_E_TOO_LARGE, "more than %d files NAME.yaml in '%s'",
			                    GG_POLICYSET_PACKS_MAX, dir);
		}
		if ((names[*n] = strndup(e->d_name, len - 5)) == NULL) {
			closedir(d);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
		(*n)++;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), by_name);
	return GG_OK;
}

enum gg_err gg_policyset_path(const char *dir, const char *name, char *out, size_t outsz, struct gg_error *err)
{
	size_t len = strlen(dir);
	int w = snprintf(out, outsz, "%s%s%s.yaml", dir, len && dir[len - 1] == '/' ? "" : "/", name);

	if (w < 0 || (size_t)w >= outsz)
		return gg_error_set(err, GG_E_TOO_LARGE, "the path of pack '%s' in '%s' is too long", name, dir);
	return GG_OK;
}

enum gg_err gg_policyset_load(const char *dir, const struct gg_vocabulary *vocab, struct gg_policyset **out,
                              struct gg_error *err)
{
	struct gg_policyset *s = calloc(1, sizeof(*s));
	char *names[GG_POLICYSET_PACKS_MAX];
	size_t n = 0;
	enum gg_err rc;

	*out = NULL;
	if (s == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_policyset_names(dir, names, &n, err);
	if (rc == GG_E_NOT_FOUND)
		gg_error_set(err, GG_E_NOT_FOUND, "cannot read the policy directory '%s' (the policy_dir setting)",
		             dir);
	if (rc == GG_OK && n == 0)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "no policy packs (NAME.yaml) in '%s' (the policy_dir setting)",
		                  dir);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		char path[4096];

		rc = gg_policyset_path(dir, names[i], path, sizeof(path), err);
		if (rc == GG_OK)
			rc = gg_pack_load(path, vocab, &s->packs[s->n], err);
		if (rc != GG_OK)
			break;
		s->n++;
		if (strcmp(s->packs[s->n - 1]->name, names[i]) != 0)
			rc = gg_error_set(err, GG_E_INVALID, "%s: the file is named '%s' but the pack '%s'", path,
			                  names[i], s->packs[s->n - 1]->name);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (rc != GG_OK) {
		gg_policyset_free(s);
		return rc;
	}
	*out = s;
	return GG_OK;
}

void gg_policyset_free(struct gg_policyset *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		gg_pack_free(s->packs[i]);
	free(s);
}

size_t gg_policyset_count(const struct gg_policyset *s)
{
	return s ? s->n : 0;
}

const struct gg_pack *gg_policyset_at(const struct gg_policyset *s, size_t i)
{
	return s && i < s->n ? s->packs[i] : NULL;
}

const struct gg_pack *gg_policyset_find(const struct gg_policyset *s, const char *name)
{
	for (size_t i = 0; s && name && i < s->n; i++)
		if (strcmp(s->packs[i]->name, name) == 0)
			return s->packs[i];
	return NULL;
}

enum gg_err gg_policyset_need(const struct gg_policyset *s, struct gg_error *err)
{
	if (!s)
		return gg_error_set(err, GG_E_CONFIG, "no policy packs are loaded (the policy_dir setting)");
	return GG_OK;
}

enum gg_err gg_policyset_params_on(const struct gg_policyset *s, const char *name, int64_t day,
                                   struct gg_policy_params *out, const struct gg_pack **pack,
                                   const struct gg_pack_version **version, struct gg_error *err)
{
	const struct gg_pack *p = NULL;
	char text[11];

	if (pack)
		*pack = NULL;
	if (version)
		*version = NULL;
	memset(out, 0, sizeof(*out));
	if (name != NULL) {
		if ((p = gg_policyset_find(s, name)) == NULL)
			return gg_error_field(err, GG_E_RULE, "policy", "unknown policy '%s'", name);
	} else {
		for (size_t i = 0; s && i < s->n && p == NULL; i++)
			if (gg_pack_version_on(s->packs[i], day) != NULL)
				p = s->packs[i];
		if (p == NULL)
			return gg_error_set(err, GG_E_RULE, "no policy in force on %s", gg_clock_day_text(day, text));
	}
	if (gg_pack_params_on(p, day, out, err) != GG_OK)
		return err->code;
	if (pack)
		*pack = p;
	if (version)
		*version = gg_pack_version_on(p, day);
	return GG_OK;
}

enum gg_err gg_policyset_version_hash(const struct gg_pack *p, const struct gg_pack_version *v, char out[GG_SHA256_HEX],
                                      struct gg_error *err)
{
	struct gg_buf b;
	char value[1024];
	enum gg_err rc;

	/* Canonical text: one "name=value\treference" line per field, in the parameter table's order. */
	gg_buf_init(&b, GG_POLICYSET_CANON_MAX);
	rc =
	    gg_buf_addf(&b, "pack=%s\nversion=%s\nfrom=%s\nreference=%s\n", p->name, v->version, v->from, v->reference);
	for (int i = 0; rc == GG_OK && i < GG_PACK_PARAM__COUNT; i++) {
		gg_pack_param_text(v, (enum gg_pack_param)i, value, sizeof(value));
		rc = gg_buf_addf(&b, "%s=%s\t%s\n", gg_pack_param_name((enum gg_pack_param)i), value, v->refs[i]);
	}
	/* the optional card_tiers: its line only when the version has it, so older stamps stay valid */
	if (rc == GG_OK && v->has_card_tiers) {
		gg_pack_card_tiers_text(v, value, sizeof(value));
		rc = gg_buf_addf(&b, "card_tiers=%s\t%s\n", value, v->card_tiers_ref);
	}
	if (rc == GG_OK)
		gg_crypto_sha256_hex(b.buf, b.len, out);
	else
		gg_error_set(err, rc, "cannot hash policy '%s' version '%s'", p->name, v->version);
	gg_buf_release(&b);
	return rc;
}

enum gg_err gg_policyset_stamp(struct gg_db *db, const struct gg_pack *p, const struct gg_pack_version *v,
                               char out[GG_SHA256_HEX], struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char hash[GG_SHA256_HEX], stored[GG_SHA256_HEX] = "", when[21] = "";
	int row = 0;
	enum gg_err rc;

	if ((rc = gg_policyset_version_hash(p, v, hash, err)) != GG_OK)
		return rc;
	if (out)
		memcpy(out, hash, GG_SHA256_HEX);
	rc = gg_db_prepare(db, "SELECT hash, first_used_at FROM policy_versions WHERE pack = ? AND version = ?", &st,
	                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, p->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, v->version);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, stored, sizeof stored);
		gg_clock_iso(gg_db_col_i64(st, 1), when, sizeof(when));
	}
	gg_db_done(st);
	if (rc != GG_OK)
		return rc;
	if (row) {
		if (strcmp(stored, hash) != 0)
			return gg_error_set(err, GG_E_CONFLICT,
			                    "policy '%s' version '%s' changed since it was first used on %.10s",
			                    p->name, v->version, when);
		return GG_OK;
	}
	st = NULL;
	rc = gg_db_prepare(db, "INSERT INTO policy_versions (pack, version, hash, first_used_at) VALUES (?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, p->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, v->version);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, hash);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_policyset_verify(struct gg_db *db, const struct gg_policyset *s, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db, "SELECT pack, version, hash FROM policy_versions ORDER BY pack, version", &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		const char *name = gg_db_col_text(st, 0), *version = gg_db_col_text(st, 1),
		           *hash = gg_db_col_text(st, 2);
		const struct gg_pack *p = gg_policyset_find(s, name);
		const struct gg_pack_version *v = NULL;
		char now[GG_SHA256_HEX];

		for (size_t i = 0; p && i < p->nversions && v == NULL; i++)
			if (strcmp(p->versions[i].version, version) == 0)
				v = &p->versions[i];
		if (v == NULL) {
			rc =
			    gg_error_set(err, GG_E_CONFIG,
			                 "policy '%s' version '%s' made decisions but is no longer in the policy packs",
			                 name, version);
			break;
		}
		if ((rc = gg_policyset_version_hash(p, v, now, err)) != GG_OK)
			break;
		if (strcmp(now, hash ? hash : "") != 0) {
			rc = gg_error_set(
			    err, GG_E_CONFIG,
			    "policy '%s' version '%s' changed since its first use: a version in use keeps its"
			    " content; add a new version instead",
			    name, version);
			break;
		}
	}
	gg_db_done(st);
	return rc;
}
