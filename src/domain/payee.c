/*
 * payee: the sealed bank account of a plan (payee.h). The account number
 * never reaches the database in the clear: it is sealed with the
 * installation's data key under the field name "payee_account", and only
 * its last four digits stay readable for masks.
 */
#include "payee.h"

#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"

#define SEALED_MAX 256

static enum gg_err check_text(const char *s, const char *field, const char *what, struct gg_error *err)
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", what);
	if (len > GG_PAYEE_NAME_MAX)
		return gg_error_field(err, GG_E_INVALID, field, "%s is at most %d bytes", what, GG_PAYEE_NAME_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return gg_error_field(err, GG_E_INVALID, field, "%s has a control character", what);
	return GG_OK;
}

static enum gg_err check_account(const char *s, struct gg_error *err)
{
	size_t len = s ? strlen(s) : 0;

	if (len < GG_PAYEE_ACCOUNT_MIN || len > GG_PAYEE_ACCOUNT_MAX || strspn(s, "0123456789") != len)
		return gg_error_field(err, GG_E_INVALID, "account_no", "an account number is %d to %d digits",
		                      GG_PAYEE_ACCOUNT_MIN, GG_PAYEE_ACCOUNT_MAX);
	return GG_OK;
}

enum gg_err gg_payee_plan_talent(struct gg_db *db, int64_t plan_id, int64_t *talent_id, struct gg_error *err)
{
	int found = 0;
	enum gg_err rc;

	*talent_id = 0;
	rc = gg_db_query_i64(db, "SELECT talent_id FROM subsidy_plans WHERE id = ?", &plan_id, 1, talent_id, &found,
	                     err);
	if (rc == GG_OK && !found)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)plan_id);
	return rc;
}

void gg_payee_mask(const char *last4, char *out, size_t outsz)
{
	snprintf(out, outsz, "**** %s", last4 ? last4 : "");
}

enum gg_err gg_payee_set(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t plan_id,
                         const char *payee_name, const char *bank, const char *account_no, int64_t *payee_id,
                         struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf sealed;
	char status[16] = "", mask[16], plan_text[24];
	int64_t old = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	*payee_id = 0;
	check_text(payee_name, "payee_name", "the payee's name", err);
	check_text(bank, "bank", "the bank", err);
	check_account(account_no, err);
	if (err->code != GG_OK)
		return err->code;
	gg_buf_init(&sealed, SEALED_MAX);
	if (gg_crypto_seal(keys, GG_PAYEE_FIELD, account_no, &sealed) != GG_OK) {
		gg_buf_release(&sealed);
		return gg_error_set(err, GG_E_INTERNAL, "the account number cannot be sealed");
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, "SELECT status FROM subsidy_plans WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		snprintf(status, sizeof(status), "%s", gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "");
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)plan_id);
	if (rc == GG_OK && strcmp(status, "active") != 0)
		rc = gg_error_set(err, GG_E_CONFLICT, "plan %lld is %s, not active", (long long)plan_id, status);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT id FROM payees WHERE plan_id = ? AND status = 'active'", &plan_id, 1,
		                     &old, &found, err);
	if (rc == GG_OK && found)
		rc = gg_db_run_i64(db, "UPDATE payees SET status = 'superseded' WHERE id = ?", &old, 1, err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO payees (plan_id, payee_name, bank, account_sealed, account_last4,"
		                   " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, payee_name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, bank);
	if (rc == GG_OK)
		rc = gg_db_bind_blob(st, 4, sealed.buf, sealed.len);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, account_no + strlen(account_no) - 4);
	if (rc == GG_OK)
		rc = actor->id > 0 ? gg_db_bind_i64(st, 6, actor->id) : gg_db_bind_null(st, 6);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, payee_id, &found, err);
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {
		    {"plan", NULL, plan_text},
		    {"payee_name", NULL, payee_name},
		    {"bank", NULL, bank},
		    {"account", NULL, mask},
		};

		snprintf(plan_text, sizeof(plan_text), "%lld", (long long)plan_id);
		gg_payee_mask(account_no + strlen(account_no) - 4, mask, sizeof(mask));
		rc = gg_audit_by(db, actor, "payee.set", "payee", *payee_id, changes,
		                 sizeof changes / sizeof changes[0], err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
out:
	if (rc != GG_OK)
		*payee_id = 0;
	gg_buf_release(&sealed);
	return rc;
}

enum gg_err gg_payee_get(struct gg_db *db, int64_t plan_id, struct gg_payee *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	rc = gg_db_prepare(db,
	                   "SELECT y.id, y.plan_id, p.talent_id, y.payee_name, y.bank, y.account_last4, y.entered_by,"
	                   " y.entered_at, y.confirmed_by, y.confirmed_at FROM payees y JOIN subsidy_plans p"
	                   " ON p.id = y.plan_id WHERE y.plan_id = ? AND y.status = 'active'",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		out->id = gg_db_col_i64(st, 0);
		out->plan_id = gg_db_col_i64(st, 1);
		out->talent_id = gg_db_col_i64(st, 2);
		snprintf(out->payee_name, sizeof(out->payee_name), "%s", gg_db_col_text(st, 3));
		snprintf(out->bank, sizeof(out->bank), "%s", gg_db_col_text(st, 4));
		snprintf(out->last4, sizeof(out->last4), "%s", gg_db_col_text(st, 5));
		out->entered_by = gg_db_col_i64(st, 6);
		out->entered_at = gg_db_col_i64(st, 7);
		out->confirmed_by = gg_db_col_i64(st, 8);
		out->confirmed_at = gg_db_col_i64(st, 9);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "plan %lld has no payee account", (long long)plan_id);
	return rc;
}

enum gg_err gg_payee_confirm(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, struct gg_error *err)
{
	struct gg_payee p;
	int64_t args[3];
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_payee_get(db, plan_id, &p, err);
	if (rc == GG_OK && p.confirmed_at != 0)
		rc = gg_error_set(err, GG_E_CONFLICT, "the payee account of plan %lld is confirmed already",
		                  (long long)plan_id);
	if (rc == GG_OK) {
		args[0] = actor->id;
		args[1] = gg_clock_now();
		args[2] = p.id;
		rc = gg_db_run_i64(db, "UPDATE payees SET confirmed_by = NULLIF(?, 0), confirmed_at = ? WHERE id = ?",
		                   args, 3, err);
	}
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {{"confirmed", "false", "true"}};

		rc = gg_audit_by(db, actor, "payee.confirm", "payee", p.id, changes, 1, err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

enum gg_err gg_payee_open(const struct gg_keys *keys, const void *sealed, size_t len, char *out, size_t outsz,
                          struct gg_error *err)
{
	struct gg_buf plain;
	enum gg_err rc = GG_OK;

	gg_buf_init(&plain, SEALED_MAX);
	if (gg_crypto_open(keys, GG_PAYEE_FIELD, sealed, len, &plain) != GG_OK || plain.len >= outsz)
		rc = gg_error_set(err, GG_E_INTERNAL,
		                  "a sealed account number does not open with this installation's key");
	else
		memcpy(out, plain.buf, plain.len + 1);
	if (plain.alloc)
		memset(plain.buf, 0, plain.len);
	gg_buf_release(&plain);
	return rc;
}

enum gg_err gg_payee_reveal(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t plan_id,
                            char *out, size_t outsz, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t id = 0;
	int row = 0;
	enum gg_err rc;

	out[0] = '\0';
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT id, account_sealed FROM payees WHERE plan_id = ? AND status = 'active'", &st,
	                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		size_t len = 0;
		const void *blob = gg_db_col_blob(st, 1, &len);

		id = gg_db_col_i64(st, 0);
		rc = gg_payee_open(keys, blob, len, out, outsz, err);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "plan %lld has no payee account", (long long)plan_id);
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {{"field", NULL, "account_no"}};

		rc = gg_audit_by(db, actor, "payee.reveal", "payee", id, changes, 1, err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		out[0] = '\0';
	return rc;
}
