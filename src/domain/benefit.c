/*
 * benefit: the catalogue, slots, bookings and redemptions of the talent
 * card (benefit.h, docs/benefits.md). The rules that must hold under
 * concurrency (quota, capacity) are left to the database's CHECKs: every
 * use or place is an UPDATE that the CHECK refuses past the limit, so two
 * providers at two counters can never both take the last use. The token's
 * verdict is asked before the write transaction (it reads only), and the
 * card's state is read again inside it, so a card revoked in between is
 * still refused.
 */
#include "benefit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"

static const char *const booking_tokens[GG_BOOKING__COUNT] = {"booked", "cancelled", "redeemed"};
static const char *const booking_actions[GG_BOOKA__COUNT] = {"cancel", "redeem"};

const char *gg_booking_status_token(enum gg_booking_status s)
{
	return (int)s >= 0 && s < GG_BOOKING__COUNT ? booking_tokens[s] : "";
}

int gg_booking_status_lookup(const char *token)
{
	for (int i = 0; token && i < GG_BOOKING__COUNT; i++)
		if (strcmp(token, booking_tokens[i]) == 0)
			return i;
	return -1;
}

const char *gg_booking_action_token(enum gg_booking_action a)
{
	return (int)a >= 0 && a < GG_BOOKA__COUNT ? booking_actions[a] : "";
}

int gg_benefit_year(int64_t t)
{
	int year, month;

	gg_clock_local_month(t, &year, &month);
	return year;
}

/* Characters (UTF-8 code points) of s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

void gg_benefit_scope(const struct gg_principal *pr, enum gg_perm perm, struct gg_benefit_scope *out)
{
	memset(out, 0, sizeof *out);
	if (!pr) {
		out->unscoped = 1;
		return;
	}
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, perm))
			continue;
		if (g->role == GG_ROLE_commissioner) {
			/* the commissioner role is unscoped by kind but reaches only its assigned talents */
			out->commissioner = pr->user_id;
		} else if (g->scope_kind == GG_SCOPE_NONE) {
			memset(out, 0, sizeof *out);
			out->unscoped = 1;
			return;
		} else if (g->scope_kind == GG_SCOPE_ORG && out->norgs < GG_PRINCIPAL_ROLES_MAX) {
			out->orgs[out->norgs++] = g->scope_id;
		} else if (g->scope_kind == GG_SCOPE_TALENT && out->ntalents < GG_PRINCIPAL_ROLES_MAX) {
			out->talents[out->ntalents++] = g->scope_id;
		}
	}
}

static int scope_has_org(const struct gg_benefit_scope *s, int64_t org)
{
	if (s->unscoped)
		return 1;
	for (size_t i = 0; org && i < s->norgs; i++)
		if (s->orgs[i] == org)
			return 1;
	return 0;
}

static int scope_has_talent(const struct gg_benefit_scope *s, int64_t talent, int64_t commissioner)
{
	if (s->unscoped)
		return 1;
	for (size_t i = 0; talent && i < s->ntalents; i++)
		if (s->talents[i] == talent)
			return 1;
	return s->commissioner && s->commissioner == commissioner;
}

int gg_benefit_reaches_talent(const struct gg_principal *pr, enum gg_perm perm, int64_t talent_id,
                              int64_t commissioner_id)
{
	struct gg_benefit_scope s;

	gg_benefit_scope(pr, perm, &s);
	return scope_has_talent(&s, talent_id, commissioner_id);
}

static int reaches_org(const struct gg_principal *pr, enum gg_perm perm, int64_t org)
{
	struct gg_benefit_scope s;

	gg_benefit_scope(pr, perm, &s);
	return scope_has_org(&s, org);
}

/* Appends " AND (0 OR col = ? ...)" for the scope's organisations (org_col) and talents (talent_col). */
static void scope_sql(struct gg_buf *sql, const struct gg_benefit_scope *s, const char *org_col, const char *talent_col,
                      const char *commissioner_col)
{
	if (s->unscoped)
		return;
	gg_buf_adds(sql, " AND (0");
	for (size_t i = 0; org_col && i < s->norgs; i++)
		gg_buf_addf(sql, " OR %s = ?", org_col);
	for (size_t i = 0; talent_col && i < s->ntalents; i++)
		gg_buf_addf(sql, " OR %s = ?", talent_col);
	if (commissioner_col && s->commissioner)
		gg_buf_addf(sql, " OR %s = ?", commissioner_col);
	gg_buf_adds(sql, ")");
}

static enum gg_err scope_bind(struct gg_stmt *st, int *idx, const struct gg_benefit_scope *s, int orgs, int talents,
                              int commissioner)
{
	enum gg_err rc = GG_OK;

	if (s->unscoped)
		return GG_OK;
	for (size_t i = 0; rc == GG_OK && orgs && i < s->norgs; i++)
		rc = gg_db_bind_i64(st, (*idx)++, s->orgs[i]);
	for (size_t i = 0; rc == GG_OK && talents && i < s->ntalents; i++)
		rc = gg_db_bind_i64(st, (*idx)++, s->talents[i]);
	if (rc == GG_OK && commissioner && s->commissioner)
		rc = gg_db_bind_i64(st, (*idx)++, s->commissioner);
	return rc;
}

static int scope_empty(const struct gg_benefit_scope *s, int orgs, int talents, int commissioner)
{
	return !s->unscoped && !(orgs && s->norgs) && !(talents && s->ntalents) && !(commissioner && s->commissioner);
}

/* ---- categories ---- */

enum gg_err gg_benefit_categories(struct gg_db *db, struct gg_benefit_category *out, size_t max, size_t *n,
                                  struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db,
	    "SELECT c.token, c.zh, c.en, (SELECT count(*) FROM benefit_items i WHERE i.category = c.token)"
	    " FROM benefit_categories c ORDER BY c.rank, c.token",
	    &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && *n < max) {
		struct gg_benefit_category *c = &out[(*n)++];

		gg_db_col_copy(st, 0, c->token, sizeof c->token);
		gg_db_col_copy(st, 1, c->zh, sizeof c->zh);
		gg_db_col_copy(st, 2, c->en, sizeof c->en);
		c->items = gg_db_col_i64(st, 3);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}

/* ---- items ---- */

#define SELECT_ITEM                                                                                      \
	"SELECT i.id, i.category, i.name, i.name_en, i.description, i.provider_id, o.name,"              \
	" COALESCE(i.annual_quota, 0), i.needs_booking, i.active, i.created_at, i.updated_at, i.version" \
	" FROM benefit_items i JOIN orgs o ON o.id = i.provider_id"

static void item_row(struct gg_stmt *st, void *out)
{
	struct gg_benefit_item *it = out;

	memset(it, 0, sizeof *it);
	it->id = gg_db_col_i64(st, 0);
	gg_db_col_copy(st, 1, it->category, sizeof it->category);
	gg_db_col_copy(st, 2, it->name, sizeof it->name);
	gg_db_col_copy(st, 3, it->name_en, sizeof it->name_en);
	gg_db_col_copy(st, 4, it->description, sizeof it->description);
	it->provider_id = gg_db_col_i64(st, 5);
	gg_db_col_copy(st, 6, it->provider, sizeof it->provider);
	it->annual_quota = gg_db_col_i64(st, 7);
	it->needs_booking = (int)gg_db_col_i64(st, 8);
	it->active = (int)gg_db_col_i64(st, 9);
	it->created_at = gg_db_col_i64(st, 10);
	it->updated_at = gg_db_col_i64(st, 11);
	it->version = gg_db_col_i64(st, 12);
}

static enum gg_err item_tiers(struct gg_db *db, struct gg_benefit_item *it, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	it->ntiers = 0;
	rc = gg_db_prepare(db,
	                   "SELECT bt.tier FROM benefit_item_tiers bt JOIN tiers t ON t.token = bt.tier"
	                   " WHERE bt.item_id = ? ORDER BY t.rank",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, it->id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && it->ntiers < GG_BENEFIT_TIERS_MAX)
		gg_db_col_copy(st, 0, it->tiers[it->ntiers++], sizeof it->tiers[0]);
	gg_db_done(st);
	return rc;
}

/* Reads item id inside the caller's transaction. */
static enum gg_err item_load(struct gg_db *db, int64_t id, struct gg_benefit_item *out, struct gg_error *err)
{
	enum gg_err rc = gg_db_row_by_id(db, SELECT_ITEM " WHERE i.id = ?", id, item_row, out, "benefit item", err);

	return rc == GG_OK ? item_tiers(db, out, err) : rc;
}

enum gg_err gg_benefit_item_get(struct gg_db *db, int64_t id, struct gg_benefit_item *out, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = item_load(db, id, out, err);
	gg_db_rollback(db);
	return rc;
}

static enum gg_err check_text(const char *field, const char *s, size_t max, int required, struct gg_error *err)
{
	if (required && (s == NULL || s[0] == '\0'))
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
	if (s && chars(s) > max)
		return gg_error_field(err, GG_E_INVALID, field, "%s is at most %zu characters", field, max);
	if (s && has_control(s) && strcmp(field, "description") != 0)
		return gg_error_field(err, GG_E_INVALID, field, "%s may not hold control characters", field);
	return GG_OK;
}

/* Checks the fields of in that a create (all) or an update (set_*) gives, against the database. */
static enum gg_err item_check(struct gg_db *db, const struct gg_benefit_item_in *in, int all, struct gg_error *err)
{
	size_t before = err->nfields;
	enum gg_err rc;

	if (all || in->set_category) {
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(db, "SELECT 1 FROM benefit_categories WHERE token = ?", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 1, in->category ? in->category : "");
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
		if (rc != GG_OK)
			return rc;
		if (!row)
			gg_error_field(err, GG_E_INVALID, "category", "unknown category '%.40s'",
			               in->category ? in->category : "");
	}
	if (all || in->set_name)
		check_text("name", in->name, GG_BENEFIT_NAME_MAX, 1, err);
	if (all || in->set_name_en)
		check_text("name_en", in->name_en, GG_BENEFIT_NAME_MAX, 1, err);
	if (all || in->set_description)
		check_text("description", in->description, GG_BENEFIT_DESC_MAX, 0, err);
	if (all || in->set_quota)
		if (in->annual_quota < 0 || in->annual_quota > 10000)
			gg_error_field(err, GG_E_INVALID, "annual_quota",
			               "annual_quota is 1 to 10000, or null for no limit");
	if (all || in->set_provider) {
		struct gg_stmt *st = NULL;
		char kind[32] = "";
		int row = 0;

		rc = gg_db_prepare(db, "SELECT kind FROM orgs WHERE id = ?", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, in->provider_id);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		if (rc == GG_OK && row)
			gg_db_col_copy(st, 0, kind, sizeof kind);
		gg_db_done(st);
		if (rc != GG_OK)
			return rc;
		if (!row)
			gg_error_field(err, GG_E_INVALID, "provider_id", "unknown organisation %lld",
			               (long long)in->provider_id);
		else if (strcmp(kind, "service_provider") != 0 && strcmp(kind, "bank") != 0)
			gg_error_field(
			    err, GG_E_INVALID, "provider_id",
			    "organisation %lld is of kind %s; a provider is of kind service_provider or bank",
			    (long long)in->provider_id, kind);
	}
	if (all || in->set_tiers) {
		if (in->ntiers < 1 || in->ntiers > GG_BENEFIT_TIERS_MAX)
			gg_error_field(err, GG_E_INVALID, "tiers", "tiers lists 1 to %d tiers", GG_BENEFIT_TIERS_MAX);
		for (size_t i = 0; i < in->ntiers && i < GG_BENEFIT_TIERS_MAX; i++) {
			char field[32];
			struct gg_stmt *st = NULL;
			int row = 0;

			snprintf(field, sizeof field, "tiers.%zu", i);
			rc = gg_db_prepare(db, "SELECT 1 FROM tiers WHERE token = ?", &st, err);
			if (rc == GG_OK)
				rc = gg_db_bind_text(st, 1, in->tiers[i] ? in->tiers[i] : "");
			if (rc == GG_OK)
				rc = gg_db_step(st, &row, err);
			gg_db_done(st);
			if (rc != GG_OK)
				return rc;
			if (!row)
				gg_error_field(err, GG_E_INVALID, field, "unknown tier '%.40s'",
				               in->tiers[i] ? in->tiers[i] : "");
			for (size_t j = 0; row && j < i; j++)
				if (strcmp(in->tiers[j], in->tiers[i]) == 0)
					gg_error_field(err, GG_E_INVALID, field, "tier '%s' is listed twice",
					               in->tiers[i]);
		}
	}
	return err->nfields > before ? GG_E_INVALID : GG_OK;
}

static enum gg_err item_set_tiers(struct gg_db *db, int64_t id, const struct gg_benefit_item_in *in,
                                  struct gg_error *err)
{
	const int64_t arg[1] = {id};
	enum gg_err rc = gg_db_run_i64(db, "DELETE FROM benefit_item_tiers WHERE item_id = ?", arg, 1, err);

	for (size_t i = 0; rc == GG_OK && i < in->ntiers; i++) {
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(db, "INSERT INTO benefit_item_tiers (item_id, tier) VALUES (?, ?)", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, id);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 2, in->tiers[i]);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	return rc;
}

static void tiers_text(const char *const *tiers, size_t n, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", i ? "," : "", tiers[i]);
}

static enum gg_err commit_or_rollback(struct gg_db *db, enum gg_err rc, struct gg_error *err)
{
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_benefit_item_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_benefit_item_in *in,
                                   int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char quota[24], provider[24], tiers[GG_BENEFIT_TIERS_MAX * 32];
	int64_t now = gg_clock_now();
	int row = 0, found = 0;
	enum gg_err rc;

	*id = 0;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = item_check(db, in, 1, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db,
	                   "INSERT INTO benefit_items (category, name, name_en, description, provider_id, annual_quota,"
	                   " needs_booking, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, in->category);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, in->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, in->name_en);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, in->description ? in->description : "");
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, in->provider_id);
	if (rc == GG_OK)
		rc = in->annual_quota > 0 ? gg_db_bind_i64(st, 6, in->annual_quota) : gg_db_bind_null(st, 6);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, in->needs_booking ? 1 : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 8, in->active ? 1 : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 9, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK)
		rc = item_set_tiers(db, *id, in, err);
	if (rc == GG_OK) {
		snprintf(quota, sizeof quota, "%lld", (long long)in->annual_quota);
		snprintf(provider, sizeof provider, "%lld", (long long)in->provider_id);
		tiers_text(in->tiers, in->ntiers, tiers, sizeof tiers);
		const struct gg_audit_change ch[] = {{"category", NULL, in->category},
		                                     {"name", NULL, in->name},
		                                     {"name_en", NULL, in->name_en},
		                                     {"provider_id", NULL, provider},
		                                     {"tiers", NULL, tiers},
		                                     {"annual_quota", NULL, in->annual_quota ? quota : NULL},
		                                     {"needs_booking", NULL, in->needs_booking ? "true" : "false"},
		                                     {"active", NULL, in->active ? "true" : "false"}};
		rc = gg_audit_by(db, actor, "benefit.item_create", "benefit_item", *id, ch, 8, err);
	}
out:
	rc = commit_or_rollback(db, rc, err);
	if (rc != GG_OK)
		*id = 0;
	return rc;
}

enum gg_err gg_benefit_item_update(struct gg_db *db, const struct gg_actor *actor, int64_t id,
                                   const struct gg_benefit_item_in *in, int64_t expected_version, struct gg_error *err)
{
	struct gg_benefit_item *old = calloc(1, sizeof(*old));
	struct gg_audit_change ch[9];
	struct gg_stmt *st = NULL;
	char oq[24], nq[24], op[24], np[24], ot[GG_BENEFIT_TIERS_MAX * 32], nt[GG_BENEFIT_TIERS_MAX * 32];
	const char *otiers[GG_BENEFIT_TIERS_MAX];
	size_t nch = 0;
	int row = 0;
	enum gg_err rc;

	if (!old)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK) {
		free(old);
		return rc;
	}
	if ((rc = item_load(db, id, old, err)) != GG_OK)
		goto out;
	if (expected_version && expected_version != old->version) {
		rc = gg_error_set(err, GG_E_STALE, "benefit item %lld is at version %lld, not %lld", (long long)id,
		                  (long long)old->version, (long long)expected_version);
		goto out;
	}
	if ((rc = item_check(db, in, 0, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db,
	                   "UPDATE benefit_items SET category = CASE WHEN ? THEN ? ELSE category END,"
	                   " name = CASE WHEN ? THEN ? ELSE name END, name_en = CASE WHEN ? THEN ? ELSE name_en END,"
	                   " description = CASE WHEN ? THEN ? ELSE description END,"
	                   " provider_id = CASE WHEN ? THEN ? ELSE provider_id END,"
	                   " annual_quota = CASE WHEN ? THEN ? ELSE annual_quota END,"
	                   " needs_booking = CASE WHEN ? THEN ? ELSE needs_booking END,"
	                   " active = CASE WHEN ? THEN ? ELSE active END, updated_at = ?, version = version + 1"
	                   " WHERE id = ?",
	                   &st, err);
	{
		int i = 1;
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_category);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, in->category);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_name);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, in->name);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_name_en);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, in->name_en);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_description);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, in->description ? in->description : "");
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_provider);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->provider_id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_quota);
		if (rc == GG_OK)
			rc =
			    in->annual_quota > 0 ? gg_db_bind_i64(st, i++, in->annual_quota) : gg_db_bind_null(st, i++);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_booking);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->needs_booking ? 1 : 0);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->set_active);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, in->active ? 1 : 0);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, gg_clock_now());
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, id);
	}
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && in->set_tiers)
		rc = item_set_tiers(db, id, in, err);
	if (rc != GG_OK)
		goto out;
	if (in->set_category && strcmp(old->category, in->category) != 0)
		ch[nch++] = (struct gg_audit_change){"category", old->category, in->category};
	if (in->set_name && strcmp(old->name, in->name) != 0)
		ch[nch++] = (struct gg_audit_change){"name", old->name, in->name};
	if (in->set_name_en && strcmp(old->name_en, in->name_en) != 0)
		ch[nch++] = (struct gg_audit_change){"name_en", old->name_en, in->name_en};
	if (in->set_description && strcmp(old->description, in->description ? in->description : "") != 0)
		ch[nch++] = (struct gg_audit_change){"description", old->description, in->description};
	if (in->set_provider && old->provider_id != in->provider_id) {
		snprintf(op, sizeof op, "%lld", (long long)old->provider_id);
		snprintf(np, sizeof np, "%lld", (long long)in->provider_id);
		ch[nch++] = (struct gg_audit_change){"provider_id", op, np};
	}
	if (in->set_quota && old->annual_quota != in->annual_quota) {
		snprintf(oq, sizeof oq, "%lld", (long long)old->annual_quota);
		snprintf(nq, sizeof nq, "%lld", (long long)in->annual_quota);
		ch[nch++] = (struct gg_audit_change){"annual_quota", old->annual_quota ? oq : NULL,
		                                     in->annual_quota ? nq : NULL};
	}
	if (in->set_booking && old->needs_booking != (in->needs_booking != 0))
		ch[nch++] = (struct gg_audit_change){"needs_booking", old->needs_booking ? "true" : "false",
		                                     in->needs_booking ? "true" : "false"};
	if (in->set_active && old->active != (in->active != 0))
		ch[nch++] =
		    (struct gg_audit_change){"active", old->active ? "true" : "false", in->active ? "true" : "false"};
	if (in->set_tiers) {
		for (size_t i = 0; i < old->ntiers; i++)
			otiers[i] = old->tiers[i];
		tiers_text(otiers, old->ntiers, ot, sizeof ot);
		tiers_text(in->tiers, in->ntiers, nt, sizeof nt);
		if (strcmp(ot, nt) != 0)
			ch[nch++] = (struct gg_audit_change){"tiers", ot, nt};
	}
	rc = gg_audit_by(db, actor, "benefit.item_update", "benefit_item", id, ch, nch, err);
out:
	free(old);
	return commit_or_rollback(db, rc, err);
}

enum gg_err gg_benefit_item_list(struct gg_db *db, const struct gg_benefit_item_query *q, struct gg_benefit_item **out,
                                 size_t *n, int *more, struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	struct gg_benefit_item *items = NULL;
	int idx = 1;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_BENEFIT_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_BENEFIT_LIMIT_MAX);
	/* a talent-scoped or commissioner grant reads the whole catalogue; org-scoped ones their own items */
	if (!q->scope.unscoped && (q->scope.ntalents || q->scope.commissioner))
		;
	else if (scope_empty(&q->scope, 1, 0, 0))
		return GG_OK;
	if ((items = calloc((size_t)q->limit, sizeof(*items))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&sql, 4096);
	gg_buf_adds(&sql, SELECT_ITEM " WHERE i.id > ?");
	if (q->category)
		gg_buf_adds(&sql, " AND i.category = ?");
	if (q->provider_id)
		gg_buf_adds(&sql, " AND i.provider_id = ?");
	if (q->tier)
		gg_buf_adds(
		    &sql, " AND EXISTS (SELECT 1 FROM benefit_item_tiers bt WHERE bt.item_id = i.id AND bt.tier = ?)");
	if (q->active >= 0)
		gg_buf_adds(&sql, " AND i.active = ?");
	if (!q->scope.unscoped && !q->scope.ntalents && !q->scope.commissioner)
		scope_sql(&sql, &q->scope, "i.provider_id", NULL, NULL);
	gg_buf_adds(&sql, " ORDER BY i.id LIMIT ?");
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->after_id);
	if (rc == GG_OK && q->category)
		rc = gg_db_bind_text(st, idx++, q->category);
	if (rc == GG_OK && q->provider_id)
		rc = gg_db_bind_i64(st, idx++, q->provider_id);
	if (rc == GG_OK && q->tier)
		rc = gg_db_bind_text(st, idx++, q->tier);
	if (rc == GG_OK && q->active >= 0)
		rc = gg_db_bind_i64(st, idx++, q->active);
	if (rc == GG_OK && !q->scope.unscoped && !q->scope.ntalents && !q->scope.commissioner)
		rc = scope_bind(st, &idx, &q->scope, 1, 0, 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->limit + 1);
	if (rc == GG_OK)
		rc = gg_db_page(st, item_row, items, sizeof *items, (size_t)q->limit, n, more, err);
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < *n; i++)
		rc = item_tiers(db, &items[i], err);
	gg_db_rollback(db);
out:
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		free(items);
		*n = 0;
		*more = 0;
		return rc;
	}
	*out = items;
	return GG_OK;
}

/* ---- slots ---- */

enum gg_err gg_benefit_slot_create(struct gg_db *db, const struct gg_actor *actor, int64_t item_id, int64_t starts_at,
                                   int64_t ends_at, int64_t capacity, int64_t *id, struct gg_error *err)
{
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_stmt *st = NULL;
	char s[24], e[24], c[24];
	int64_t now = gg_clock_now();
	int row = 0, found = 0;
	enum gg_err rc;

	*id = 0;
	if (!it)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (starts_at <= now)
		gg_error_field(err, GG_E_INVALID, "starts_at", "a slot starts in the future");
	if (ends_at <= starts_at)
		gg_error_field(err, GG_E_INVALID, "ends_at", "a slot ends after it starts");
	else if (ends_at - starts_at > 86400)
		gg_error_field(err, GG_E_INVALID, "ends_at", "a slot lasts at most a day");
	if (capacity < 1 || capacity > GG_BENEFIT_CAPACITY_MAX)
		gg_error_field(err, GG_E_INVALID, "capacity", "capacity is 1 to %d", GG_BENEFIT_CAPACITY_MAX);
	if (err->code != GG_OK) {
		free(it);
		return err->code;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK) {
		free(it);
		return rc;
	}
	if ((rc = item_load(db, item_id, it, err)) != GG_OK)
		goto out;
	if (!it->needs_booking) {
		rc = gg_error_set(err, GG_E_CONFLICT, "benefit item %lld needs no booking: it has no slots",
		                  (long long)item_id);
		goto out;
	}
	rc = gg_db_prepare(db, "INSERT INTO benefit_slots (item_id, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, item_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, starts_at);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, ends_at);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, capacity);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK) {
		gg_clock_iso(starts_at, s, sizeof s);
		gg_clock_iso(ends_at, e, sizeof e);
		snprintf(c, sizeof c, "%lld", (long long)capacity);
		const struct gg_audit_change ch[] = {
		    {"item_id", NULL, NULL}, {"starts_at", NULL, s}, {"ends_at", NULL, e}, {"capacity", NULL, c}};
		char item_text[24];
		struct gg_audit_change ch2[4];

		snprintf(item_text, sizeof item_text, "%lld", (long long)item_id);
		memcpy(ch2, ch, sizeof ch2);
		ch2[0].new_value = item_text;
		rc = gg_audit_by(db, actor, "benefit.slot_create", "benefit_slot", *id, ch2, 4, err);
	}
out:
	free(it);
	rc = commit_or_rollback(db, rc, err);
	if (rc != GG_OK)
		*id = 0;
	return rc;
}

enum gg_err gg_benefit_slot_list(struct gg_db *db, int64_t item_id, int64_t from, struct gg_benefit_slot *out,
                                 size_t max, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT id, item_id, starts_at, ends_at, capacity, booked FROM benefit_slots"
	                   " WHERE item_id = ? AND ends_at > ? ORDER BY starts_at, id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, item_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, from);
	while (rc == GG_OK && *n < max && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_benefit_slot *s = &out[(*n)++];

		s->id = gg_db_col_i64(st, 0);
		s->item_id = gg_db_col_i64(st, 1);
		s->starts_at = gg_db_col_i64(st, 2);
		s->ends_at = gg_db_col_i64(st, 3);
		s->capacity = gg_db_col_i64(st, 4);
		s->booked = gg_db_col_i64(st, 5);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}

/* ---- cards ---- */

static enum gg_err card_load(struct gg_db *db, int64_t id, struct gg_benefit_card *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	rc = gg_db_prepare(db,
	                   "SELECT c.id, c.talent_id, COALESCE(t.commissioner_id, 0), c.bank_id, c.status,"
	                   " COALESCE(c.tier, ''), COALESCE(c.valid_to, '') FROM cards c"
	                   " JOIN talents t ON t.id = c.talent_id WHERE c.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		out->id = gg_db_col_i64(st, 0);
		out->talent_id = gg_db_col_i64(st, 1);
		out->commissioner_id = gg_db_col_i64(st, 2);
		out->bank_id = gg_db_col_i64(st, 3);
		gg_db_col_copy(st, 4, out->status, sizeof out->status);
		gg_db_col_copy(st, 5, out->tier, sizeof out->tier);
		gg_db_col_copy(st, 6, out->valid_to, sizeof out->valid_to);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)id);
	return rc;
}

enum gg_err gg_benefit_card_get(struct gg_db *db, int64_t id, struct gg_benefit_card *out, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = card_load(db, id, out, err);
	gg_db_rollback(db);
	return rc;
}

/* Whether card c is active today (status active and valid_to after today in the zone). */
static enum gg_err card_active(const struct gg_benefit_card *c, struct gg_error *err)
{
	int64_t day;
	char today[11];
	enum gg_err rc;

	if (strcmp(c->status, "active") != 0)
		return gg_error_set(err, GG_E_CONFLICT, "card %lld is %s, not active", (long long)c->id, c->status);
	if ((rc = gg_clock_today(&day, err)) != GG_OK)
		return rc;
	gg_clock_day_text(day, today);
	if (strcmp(today, c->valid_to) >= 0)
		return gg_error_set(err, GG_E_CONFLICT, "card %lld expired on %s", (long long)c->id, c->valid_to);
	return GG_OK;
}

static int item_has_tier(const struct gg_benefit_item *it, const char *tier)
{
	for (size_t i = 0; i < it->ntiers; i++)
		if (strcmp(it->tiers[i], tier) == 0)
			return 1;
	return 0;
}

/* One more use of item by card in year; the CHECK refuses past the quota. */
static enum gg_err usage_add(struct gg_db *db, int64_t card, const struct gg_benefit_item *it, int year, int delta,
                             struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	if (delta > 0)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO benefit_usage (card_id, item_id, year, used, quota) VALUES (?, ?, ?, 1, ?)"
		    " ON CONFLICT (card_id, item_id, year) DO UPDATE SET used = used + 1",
		    &st, err);
	else
		rc = gg_db_prepare(
		    db,
		    "UPDATE benefit_usage SET used = used - 1 WHERE card_id = ? AND item_id = ? AND year = ?"
		    " AND used > 0",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, card);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, it->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, year);
	if (rc == GG_OK && delta > 0)
		rc = it->annual_quota > 0 ? gg_db_bind_i64(st, 4, it->annual_quota) : gg_db_bind_null(st, 4);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_E_CONFLICT && delta > 0) {
		gg_error_init(err);
		return gg_error_set(err, GG_E_QUOTA_EXCEEDED,
		                    "card %lld has used its quota of benefit item %lld for %d (%lld a year)",
		                    (long long)card, (long long)it->id, year, (long long)it->annual_quota);
	}
	return rc;
}

/* Refuses with quota_exceeded when card has used item's whole quota of year (a use of a booked item without a
 * booking is then refused for the quota, which is what the counter needs to say, rather than for the booking). */
static enum gg_err usage_left(struct gg_db *db, int64_t card, const struct gg_benefit_item *it, int year,
                              struct gg_error *err)
{
	int64_t args[3] = {card, it->id, year}, used = 0;
	int found = 0;
	enum gg_err rc;

	if (it->annual_quota <= 0)
		return GG_OK;
	rc = gg_db_query_i64(db, "SELECT used FROM benefit_usage WHERE card_id = ? AND item_id = ? AND year = ?", args,
	                     3, &used, &found, err);
	if (rc == GG_OK && found && used >= it->annual_quota)
		rc = gg_error_set(err, GG_E_QUOTA_EXCEEDED,
		                  "card %lld has used its quota of benefit item %lld for %d (%lld a year)",
		                  (long long)card, (long long)it->id, year, (long long)it->annual_quota);
	return rc;
}

/* ---- bookings ---- */

#define SELECT_BOOKING                                                                                          \
	"SELECT b.id, b.item_id, i.name, i.name_en, i.provider_id, o.name, b.card_id, c.talent_id,"             \
	" COALESCE(t.commissioner_id, 0), b.slot_id, s.starts_at, s.ends_at, b.year, b.status,"                 \
	" COALESCE(b.booked_by, 0), b.created_at, COALESCE(b.cancelled_at, 0), b.updated_at"                    \
	" FROM benefit_bookings b JOIN benefit_items i ON i.id = b.item_id JOIN orgs o ON o.id = i.provider_id" \
	" JOIN cards c ON c.id = b.card_id JOIN talents t ON t.id = c.talent_id"                                \
	" JOIN benefit_slots s ON s.id = b.slot_id"

static void booking_row(struct gg_stmt *st, void *out)
{
	struct gg_benefit_booking *b = out;

	int s;

	memset(b, 0, sizeof *b);
	b->id = gg_db_col_i64(st, 0);
	b->item_id = gg_db_col_i64(st, 1);
	gg_db_col_copy(st, 2, b->item_name, sizeof b->item_name);
	gg_db_col_copy(st, 3, b->item_name_en, sizeof b->item_name_en);
	b->provider_id = gg_db_col_i64(st, 4);
	gg_db_col_copy(st, 5, b->provider, sizeof b->provider);
	b->card_id = gg_db_col_i64(st, 6);
	b->talent_id = gg_db_col_i64(st, 7);
	b->commissioner_id = gg_db_col_i64(st, 8);
	b->slot_id = gg_db_col_i64(st, 9);
	b->starts_at = gg_db_col_i64(st, 10);
	b->ends_at = gg_db_col_i64(st, 11);
	b->year = (int)gg_db_col_i64(st, 12);
	s = gg_booking_status_lookup(gg_db_col_text(st, 13));
	b->status = s < 0 ? GG_BOOKING_BOOKED : (enum gg_booking_status)s;
	b->booked_by = gg_db_col_i64(st, 14);
	b->created_at = gg_db_col_i64(st, 15);
	b->cancelled_at = gg_db_col_i64(st, 16);
	b->updated_at = gg_db_col_i64(st, 17);
}

static enum gg_err booking_load(struct gg_db *db, int64_t id, struct gg_benefit_booking *out, struct gg_error *err)
{
	return gg_db_row_by_id(db, SELECT_BOOKING " WHERE b.id = ?", id, booking_row, out, "booking", err);
}

enum gg_err gg_benefit_booking_get(struct gg_db *db, int64_t id, struct gg_benefit_booking *out, struct gg_error *err)
{
	return gg_db_get_by_id(db, SELECT_BOOKING " WHERE b.id = ?", id, booking_row, out, "booking", err);
}

int gg_benefit_booking_visible(const struct gg_benefit_booking *b, const struct gg_principal *pr)
{
	struct gg_benefit_scope s;

	gg_benefit_scope(pr, GG_PERM_benefits_read, &s);
	return scope_has_org(&s, b->provider_id) || scope_has_talent(&s, b->talent_id, b->commissioner_id);
}

/* The local day of instant t. */
static int64_t local_day(int64_t t)
{
	int64_t day;

	if (gg_clock_local_day(gg_clock_zone(), t, &day) != 0)
		day = t / 86400;
	return day;
}

unsigned gg_benefit_booking_allowed(const struct gg_benefit_booking *b, const struct gg_principal *pr)
{
	unsigned bits = 0;
	int64_t now = gg_clock_now();

	if (b->status != GG_BOOKING_BOOKED)
		return 0;
	if (b->ends_at > now && gg_benefit_reaches_talent(pr, GG_PERM_benefits_book, b->talent_id, b->commissioner_id))
		bits |= 1u << GG_BOOKA_CANCEL;
	if (local_day(b->starts_at) == local_day(now) && reaches_org(pr, GG_PERM_benefits_redeem, b->provider_id))
		bits |= 1u << GG_BOOKA_REDEEM;
	return bits;
}

enum gg_err gg_benefit_book(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                            int64_t card_id, int64_t slot_id, int64_t item_id, int64_t *id, struct gg_error *err)
{
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_benefit_card card;
	struct gg_stmt *st = NULL;
	int64_t slot_item = 0, starts = 0, ends = 0, now = gg_clock_now();
	char slot_text[24], card_text[24], item_text[24], year_text[8];
	int row = 0, found = 0, year;
	enum gg_err rc;

	*id = 0;
	if (!it)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK) {
		free(it);
		return rc;
	}
	if ((rc = card_load(db, card_id, &card, err)) != GG_OK)
		goto out;
	if (!gg_benefit_reaches_talent(pr, GG_PERM_benefits_book, card.talent_id, card.commissioner_id)) {
		rc = gg_error_field(err, GG_E_NOT_FOUND, "card_id", "unknown card %lld", (long long)card_id);
		goto out;
	}
	if ((rc = card_active(&card, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, "SELECT item_id, starts_at, ends_at FROM benefit_slots WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, slot_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		slot_item = gg_db_col_i64(st, 0);
		starts = gg_db_col_i64(st, 1);
		ends = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_field(err, GG_E_SLOT_UNAVAILABLE, "slot_id", "unknown slot %lld", (long long)slot_id);
		goto out;
	}
	if (item_id && item_id != slot_item) {
		rc =
		    gg_error_field(err, GG_E_SLOT_UNAVAILABLE, "slot_id",
		                   "slot %lld is a slot of benefit item %lld, not of item %lld: book one of the item's "
		                   "own slots",
		                   (long long)slot_id, (long long)slot_item, (long long)item_id);
		goto out;
	}
	if ((rc = item_load(db, slot_item, it, err)) != GG_OK)
		goto out;
	if (!it->active) {
		rc = gg_error_set(err, GG_E_CONFLICT, "benefit item %lld is not offered now", (long long)it->id);
		goto out;
	}
	if (!it->needs_booking) {
		rc = gg_error_set(err, GG_E_CONFLICT, "benefit item %lld needs no booking", (long long)it->id);
		goto out;
	}
	if (!item_has_tier(it, card.tier)) {
		rc = gg_error_set(err, GG_E_TIER_EXCLUDED, "benefit item %lld is not for tier %s", (long long)it->id,
		                  card.tier[0] ? card.tier : "(none)");
		goto out;
	}
	if (starts <= now) {
		char s[24];

		gg_clock_iso(starts, s, sizeof s);
		rc = gg_error_field(err, GG_E_SLOT_UNAVAILABLE, "slot_id",
		                    "slot %lld started at %s: only a future slot can be booked", (long long)slot_id, s);
		goto out;
	}
	(void)ends;
	year = gg_benefit_year(starts);
	{
		const int64_t args[1] = {slot_id};

		rc = gg_db_run_i64(db, "UPDATE benefit_slots SET booked = booked + 1 WHERE id = ?", args, 1, err);
		if (rc == GG_E_CONFLICT) {
			gg_error_init(err);
			rc = gg_error_field(err, GG_E_SLOT_FULL, "slot_id", "slot %lld is fully booked",
			                    (long long)slot_id);
		}
	}
	if (rc != GG_OK)
		goto out;
	if ((rc = usage_add(db, card_id, it, year, 1, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(
	    db,
	    "INSERT INTO benefit_bookings (item_id, card_id, slot_id, year, status, booked_by, created_at,"
	    " updated_at) VALUES (?, ?, ?, ?, 'booked', ?, ?, ?)",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, it->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, card_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, slot_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, year);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_E_DUPLICATE) {
		gg_error_init(err);
		rc = gg_error_field(err, GG_E_DUPLICATE, "slot_id", "card %lld has booked slot %lld already",
		                    (long long)card_id, (long long)slot_id);
	}
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK) {
		snprintf(slot_text, sizeof slot_text, "%lld", (long long)slot_id);
		snprintf(card_text, sizeof card_text, "%lld", (long long)card_id);
		snprintf(item_text, sizeof item_text, "%lld", (long long)it->id);
		snprintf(year_text, sizeof year_text, "%d", year);
		const struct gg_audit_change ch[] = {{"card_id", NULL, card_text},
		                                     {"item_id", NULL, item_text},
		                                     {"slot_id", NULL, slot_text},
		                                     {"year", NULL, year_text},
		                                     {"status", NULL, "booked"}};
		rc = gg_audit_by(db, actor, "benefit.book", "benefit_booking", *id, ch, 5, err);
	}
out:
	free(it);
	rc = commit_or_rollback(db, rc, err);
	if (rc != GG_OK)
		*id = 0;
	return rc;
}

enum gg_err gg_benefit_booking_cancel(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                      int64_t id, struct gg_error *err)
{
	struct gg_benefit_booking b;
	struct gg_stmt *st = NULL;
	int64_t now = gg_clock_now();
	int row = 0;
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = booking_load(db, id, &b, err)) != GG_OK)
		goto out;
	if (!gg_benefit_reaches_talent(pr, GG_PERM_benefits_book, b.talent_id, b.commissioner_id)) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown booking %lld", (long long)id);
		goto out;
	}
	if (b.status != GG_BOOKING_BOOKED) {
		rc = gg_error_set(err, GG_E_CONFLICT, "cannot cancel booking %lld: it is %s", (long long)id,
		                  booking_tokens[b.status]);
		goto out;
	}
	if (b.ends_at <= now) {
		rc = gg_error_set(err, GG_E_CONFLICT, "cannot cancel booking %lld: its slot has ended", (long long)id);
		goto out;
	}
	{
		const int64_t a1[1] = {b.slot_id};
		struct gg_benefit_item it;

		memset(&it, 0, sizeof it);
		it.id = b.item_id;
		rc = gg_db_run_i64(db, "UPDATE benefit_slots SET booked = booked - 1 WHERE id = ? AND booked > 0", a1,
		                   1, err);
		if (rc == GG_OK)
			rc = usage_add(db, b.card_id, &it, b.year, -1, err);
	}
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "UPDATE benefit_bookings SET status = 'cancelled', cancelled_at = ?, updated_at = ?"
		                   " WHERE id = ?",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", "booked", "cancelled"}};
		rc = gg_audit_by(db, actor, "benefit.cancel", "benefit_booking", id, ch, 1, err);
	}
out:
	return commit_or_rollback(db, rc, err);
}

/*
 * One page of bookings or redemptions by q: select names the table's
 * SELECT with alias a ("b" or "r") for its id, card and item; status the
 * booking status token to keep (NULL: any); fill reads a row into records
 * of size bytes. *out (freed by the caller) holds *n of them.
 */
static enum gg_err use_list(struct gg_db *db, const struct gg_benefit_list_query *q, const char *select, char a,
                            const char *status, gg_db_fill_fn fill, size_t size, void **out, size_t *n, int *more,
                            struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	void *items = NULL;
	int idx = 1;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_BENEFIT_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_BENEFIT_LIMIT_MAX);
	if (scope_empty(&q->scope, 1, 1, 1))
		return GG_OK;
	if ((items = calloc((size_t)q->limit, size)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&sql, 4096);
	gg_buf_addf(&sql, "%s WHERE %c.id > ?", select, a);
	if (q->card_id)
		gg_buf_addf(&sql, " AND %c.card_id = ?", a);
	if (q->item_id)
		gg_buf_addf(&sql, " AND %c.item_id = ?", a);
	if (status)
		gg_buf_addf(&sql, " AND %c.status = ?", a);
	scope_sql(&sql, &q->scope, "i.provider_id", "c.talent_id", "t.commissioner_id");
	gg_buf_addf(&sql, " ORDER BY %c.id LIMIT ?", a);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->after_id);
	if (rc == GG_OK && q->card_id)
		rc = gg_db_bind_i64(st, idx++, q->card_id);
	if (rc == GG_OK && q->item_id)
		rc = gg_db_bind_i64(st, idx++, q->item_id);
	if (rc == GG_OK && status)
		rc = gg_db_bind_text(st, idx++, status);
	if (rc == GG_OK)
		rc = scope_bind(st, &idx, &q->scope, 1, 1, 1);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->limit + 1);
	if (rc == GG_OK)
		rc = gg_db_page(st, fill, items, size, (size_t)q->limit, n, more, err);
	gg_db_done(st);
	gg_db_rollback(db);
out:
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		free(items);
		*n = 0;
		*more = 0;
		return rc;
	}
	*out = items;
	return GG_OK;
}

enum gg_err gg_benefit_booking_list(struct gg_db *db, const struct gg_benefit_list_query *q,
                                    struct gg_benefit_booking **out, size_t *n, int *more, struct gg_error *err)
{
	void *items = NULL;
	enum gg_err rc = use_list(db, q, SELECT_BOOKING, 'b', q->status >= 0 ? booking_tokens[q->status] : NULL,
	                          booking_row, sizeof **out, &items, n, more, err);

	*out = items;
	return rc;
}

/* ---- redemptions ---- */

#define SELECT_REDEMPTION                                                                                       \
	"SELECT r.id, r.item_id, i.name, i.name_en, i.category, i.provider_id, o.name, r.card_id, c.talent_id," \
	" COALESCE(r.booking_id, 0), r.year, COALESCE(r.note, ''), COALESCE(r.redeemed_by, 0),"                 \
	" COALESCE(u.display_name, ''), r.redeemed_at FROM benefit_redemptions r"                               \
	" JOIN benefit_items i ON i.id = r.item_id JOIN orgs o ON o.id = i.provider_id"                         \
	" JOIN cards c ON c.id = r.card_id JOIN talents t ON t.id = c.talent_id LEFT JOIN users u ON u.id = "   \
	"r.redeemed_by"

static void redemption_row(struct gg_stmt *st, void *out)
{
	struct gg_benefit_redemption *r = out;

	memset(r, 0, sizeof *r);
	r->id = gg_db_col_i64(st, 0);
	r->item_id = gg_db_col_i64(st, 1);
	gg_db_col_copy(st, 2, r->item_name, sizeof r->item_name);
	gg_db_col_copy(st, 3, r->item_name_en, sizeof r->item_name_en);
	gg_db_col_copy(st, 4, r->category, sizeof r->category);
	r->provider_id = gg_db_col_i64(st, 5);
	gg_db_col_copy(st, 6, r->provider, sizeof r->provider);
	r->card_id = gg_db_col_i64(st, 7);
	r->talent_id = gg_db_col_i64(st, 8);
	r->booking_id = gg_db_col_i64(st, 9);
	r->year = (int)gg_db_col_i64(st, 10);
	gg_db_col_copy(st, 11, r->note, sizeof r->note);
	r->redeemed_by = gg_db_col_i64(st, 12);
	gg_db_col_copy(st, 13, r->redeemed_by_name, sizeof r->redeemed_by_name);
	r->redeemed_at = gg_db_col_i64(st, 14);
}

enum gg_err gg_benefit_redemption_get(struct gg_db *db, int64_t id, struct gg_benefit_redemption *out,
                                      struct gg_error *err)
{
	return gg_db_get_by_id(db, SELECT_REDEMPTION " WHERE r.id = ?", id, redemption_row, out, "redemption", err);
}

enum gg_err gg_benefit_redemption_list(struct gg_db *db, const struct gg_benefit_list_query *q,
                                       struct gg_benefit_redemption **out, size_t *n, int *more, struct gg_error *err)
{
	void *items = NULL;
	enum gg_err rc =
	    use_list(db, q, SELECT_REDEMPTION, 'r', NULL, redemption_row, sizeof **out, &items, n, more, err);

	*out = items;
	return rc;
}

/* The card's booked booking of item for a slot of today (the earliest); *id 0 when none. */
static enum gg_err booking_today(struct gg_db *db, int64_t card, int64_t item, int64_t now, int64_t *id,
                                 struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t today = local_day(now), start = 0;
	int row = 0;
	enum gg_err rc;

	*id = 0;
	if (gg_clock_day_start(gg_clock_zone(), today, &start) != 0)
		start = today * 86400;
	rc = gg_db_prepare(db,
	                   "SELECT b.id FROM benefit_bookings b JOIN benefit_slots s ON s.id = b.slot_id"
	                   " WHERE b.card_id = ? AND b.item_id = ? AND b.status = 'booked' AND s.starts_at >= ?"
	                   " AND s.starts_at < ? ORDER BY s.starts_at, b.id LIMIT 1",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, card);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, item);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, start);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, start + 86400 + 3600); /* a day of the zone, with room for a DST shift */
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_benefit_redeem(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                              const struct gg_benefit_redeem_in *in, int64_t *id, enum gg_cardtoken_reason *reason,
                              struct gg_error *err)
{
	struct gg_card_verdict *v = calloc(1, sizeof(*v));
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_benefit_card card;
	struct gg_benefit_booking b;
	struct gg_stmt *st = NULL;
	char token[GG_CARDTOKEN_MAX];
	char card_text[24], item_text[24], booking_text[24], year_text[8];
	const char *field = in->code && !in->token ? "code" : "token";
	int64_t now = gg_clock_now(), booking = in->booking_id;
	int row = 0, found = 0, year = 0, began = 0;
	enum gg_err rc = GG_OK;

	*id = 0;
	if (reason)
		*reason = GG_CTR_MALFORMED;
	if (!v || !it) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if ((in->token == NULL) == (in->code == NULL)) {
		rc = gg_error_field(err, GG_E_INVALID, "token", "give the card's token or its code, one of the two");
		goto out;
	}
	if (in->note && (chars(in->note) > GG_BENEFIT_NOTE_MAX || has_control(in->note))) {
		rc = gg_error_field(err, GG_E_INVALID, "note",
		                    "a note is at most %d characters, without control characters", GG_BENEFIT_NOTE_MAX);
		goto out;
	}
	/* the verdict reads only: asked before the write lock, the card's state checked again under it */
	if (in->token)
		rc = gg_cardtoken_verify(db, in->token, now, 0, v, err);
	else
		rc = gg_cardtoken_verify_code(db, in->code, now, 0, v, token, err);
	if (rc != GG_OK)
		goto out;
	if (reason)
		*reason = v->reason;
	if (v->reason != GG_CTR_VALID) {
		rc = gg_error_field(err, GG_E_CARD_INVALID, field, "the card's %s is not valid: %s", field,
		                    gg_cardtoken_reason_token(v->reason));
		goto out;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	began = 1;
	if ((rc = item_load(db, in->item_id, it, err)) != GG_OK && rc != GG_E_NOT_FOUND)
		goto out;
	if (rc == GG_E_NOT_FOUND || !reaches_org(pr, GG_PERM_benefits_redeem, it->provider_id)) {
		gg_error_init(err);
		rc = gg_error_field(err, GG_E_NOT_FOUND, "item_id", "unknown benefit item %lld of your organisation",
		                    (long long)in->item_id);
		goto out;
	}
	if ((rc = card_load(db, v->claims.card_id, &card, err)) != GG_OK)
		goto out;
	if (card_active(&card, err) != GG_OK) {
		gg_error_init(err);
		rc = gg_error_field(err, GG_E_CARD_INVALID, field, "the card's %s is not valid: card %s", field,
		                    card.status);
		goto out;
	}
	if (!it->active) {
		rc = gg_error_field(err, GG_E_RULE, "item_id", "benefit item %lld is not offered now",
		                    (long long)it->id);
		goto out;
	}
	if (!item_has_tier(it, card.tier)) {
		rc = gg_error_field(err, GG_E_TIER_EXCLUDED, "item_id",
		                    "benefit item %lld (%s) is not for the card's tier %s", (long long)it->id,
		                    it->name_en, card.tier[0] ? card.tier : "(none)");
		goto out;
	}
	if (it->needs_booking) {
		if (!booking && (rc = booking_today(db, card.id, it->id, now, &booking, err)) != GG_OK)
			goto out;
		if (!booking && (rc = usage_left(db, card.id, it, gg_benefit_year(now), err)) != GG_OK)
			goto out;
		if (!booking) {
			rc = gg_error_field(err, GG_E_BOOKING_REQUIRED, "booking_id",
			                    "benefit item %lld needs a booking: the card has none for today",
			                    (long long)it->id);
			goto out;
		}
		if ((rc = booking_load(db, booking, &b, err)) != GG_OK && rc != GG_E_NOT_FOUND)
			goto out;
		if (rc == GG_E_NOT_FOUND || b.card_id != card.id || b.item_id != it->id) {
			gg_error_init(err);
			rc = gg_error_field(err, GG_E_BOOKING_REQUIRED, "booking_id",
			                    "booking %lld is not a booking of this card for benefit item %lld",
			                    (long long)booking, (long long)it->id);
			goto out;
		}
		if (b.status != GG_BOOKING_BOOKED) {
			rc = gg_error_field(err, GG_E_CONFLICT, "booking_id", "booking %lld is %s", (long long)booking,
			                    booking_tokens[b.status]);
			goto out;
		}
		if (local_day(b.starts_at) != local_day(now)) {
			char s[24];

			gg_clock_iso(b.starts_at, s, sizeof s);
			rc = gg_error_field(err, GG_E_BOOKING_REQUIRED, "booking_id",
			                    "booking %lld is for a slot at %s, not today", (long long)booking, s);
			goto out;
		}
		year = b.year;
		rc = gg_db_prepare(db, "UPDATE benefit_bookings SET status = 'redeemed', updated_at = ? WHERE id = ?",
		                   &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, now);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 2, booking);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	} else {
		if (booking) {
			rc = gg_error_field(err, GG_E_INVALID, "booking_id", "benefit item %lld needs no booking",
			                    (long long)it->id);
			goto out;
		}
		year = gg_benefit_year(now);
		rc = usage_add(db, card.id, it, year, 1, err);
	}
	if (rc != GG_OK)
		goto out;
	rc = gg_db_prepare(db,
	                   "INSERT INTO benefit_redemptions (item_id, card_id, booking_id, year, note, redeemed_by,"
	                   " redeemed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, it->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, card.id);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 3, booking);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, year);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, in->note && in->note[0] ? in->note : NULL);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK) {
		snprintf(card_text, sizeof card_text, "%lld", (long long)card.id);
		snprintf(item_text, sizeof item_text, "%lld", (long long)it->id);
		snprintf(booking_text, sizeof booking_text, "%lld", (long long)booking);
		snprintf(year_text, sizeof year_text, "%d", year);
		const struct gg_audit_change ch[] = {{"card_id", NULL, card_text},
		                                     {"item_id", NULL, item_text},
		                                     {"booking_id", NULL, booking ? booking_text : NULL},
		                                     {"year", NULL, year_text}};
		rc = gg_audit_by(db, actor, "benefit.redeem", "benefit_redemption", *id, ch, 4, err);
	}
out:
	if (began)
		rc = commit_or_rollback(db, rc, err);
	if (rc != GG_OK)
		*id = 0;
	free(v);
	free(it);
	return rc;
}

/* ---- usage ---- */

enum gg_err gg_benefit_card_usage(struct gg_db *db, int64_t card_id, int64_t provider_id, int year,
                                  struct gg_benefit_usage *out, size_t max, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT i.id, i.category, i.name, i.name_en, i.description, i.provider_id, o.name,"
	                   " COALESCE(i.annual_quota, 0), i.needs_booking, i.active, i.created_at, i.updated_at,"
	                   " i.version, COALESCE(u.used, 0), u.card_id IS NOT NULL, COALESCE(u.quota, 0)"
	                   " FROM cards c JOIN benefit_item_tiers bt ON bt.tier = c.tier"
	                   " JOIN benefit_items i ON i.id = bt.item_id JOIN orgs o ON o.id = i.provider_id"
	                   " JOIN benefit_categories cat ON cat.token = i.category"
	                   " LEFT JOIN benefit_usage u ON u.card_id = c.id AND u.item_id = i.id AND u.year = ?"
	                   " WHERE c.id = ? AND i.active = 1 AND (? = 0 OR i.provider_id = ?) ORDER BY cat.rank, i.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, year);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, card_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, provider_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, provider_id);
	while (rc == GG_OK && *n < max && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_benefit_usage *u = &out[(*n)++];

		item_row(st, &u->item);
		u->used = gg_db_col_i64(st, 13);
		/* the quota a year's usage row was made with holds for that year (benefit_usage.quota) */
		u->quota = gg_db_col_i64(st, 14) ? gg_db_col_i64(st, 15) : u->item.annual_quota;
		u->remaining = u->quota ? (u->quota > u->used ? u->quota - u->used : 0) : -1;
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < *n; i++)
		rc = item_tiers(db, &out[i].item, err);
	gg_db_rollback(db);
	return rc;
}
