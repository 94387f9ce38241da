/*
 * verification: the annual verification of installments (verification.h,
 * docs/verification.md). The state machine is the table below; the
 * checks of every action and allowed_actions both read it. Pricing on
 * accept reuses the evaluator's gg_policy_price_year under the plan's own
 * version, so an accepted amount is the amount the evaluator would give
 * that year with the salary actually paid.
 */
#include "verification.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/money.h"
#include "ledger.h"
#include "pack.h"
#include "policy.h"
#include "task.h"

static const char *const status_tokens[GG_VER__COUNT] = {"open", "submitted", "accepted", "returned", "lapsed"};

#define ST(s) (1u << (s))

static const struct {
	const char *token;
	unsigned from;
	int to; /* -1: stays */
	enum gg_perm perm;
} machine[GG_VERA__COUNT] = {
    [GG_VERA_SUBMIT] = {"submit", ST(GG_VER_OPEN) | ST(GG_VER_RETURNED), GG_VER_SUBMITTED,
                        GG_PERM_verifications_submit},
    [GG_VERA_UPLOAD] = {"upload", ST(GG_VER_OPEN) | ST(GG_VER_RETURNED), -1, GG_PERM_verifications_submit},
    [GG_VERA_ACCEPT] = {"accept", ST(GG_VER_SUBMITTED), GG_VER_ACCEPTED, GG_PERM_verifications_review},
    [GG_VERA_RETURN] = {"return", ST(GG_VER_SUBMITTED), GG_VER_RETURNED, GG_PERM_verifications_review},
    [GG_VERA_LAPSE] = {"lapse", ST(GG_VER_OPEN) | ST(GG_VER_RETURNED), GG_VER_LAPSED, GG_PERM_verifications_review},
};

const char *gg_ver_status_token(enum gg_ver_status s)
{
	return (int)s >= 0 && s < GG_VER__COUNT ? status_tokens[s] : "";
}

int gg_ver_status_lookup(const char *token)
{
	for (int i = 0; token && i < GG_VER__COUNT; i++)
		if (strcmp(token, status_tokens[i]) == 0)
			return i;
	return -1;
}

const char *gg_ver_action_token(enum gg_ver_action a)
{
	return (int)a >= 0 && a < GG_VERA__COUNT ? machine[a].token : "";
}

void gg_verification_free(struct gg_verification *v)
{
	if (!v)
		return;
	free(v->talent_name);
	free(v->org_name);
	free(v->tax_record_no);
	free(v->files);
	free(v->trace);
	free(v->reason);
	free(v->submitted_by_name);
	free(v->decided_by_name);
	free(v);
}

void gg_verification_list_free(struct gg_verification **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		gg_verification_free(v[i]);
	free(v);
}

int gg_verification_may_read(const struct gg_principal *pr, int64_t org_id, int64_t talent_id)
{
	return gg_principal_reaches(pr, GG_PERM_verifications_read, org_id, talent_id);
}

/* The check of action a on v by pr (see verification.h). */
static enum gg_err check(const struct gg_verification *v, const struct gg_principal *pr, enum gg_ver_action a,
                         struct gg_error *err)
{
	const char *tok = machine[a].token;

	if (!gg_verification_may_read(pr, v->org_id, v->talent_id) &&
	    !gg_principal_reaches(pr, machine[a].perm, v->org_id, 0))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown verification %lld", (long long)v->id);
	if (!gg_principal_reaches(pr, machine[a].perm, v->org_id, 0))
		return gg_error_set(err, GG_E_FORBIDDEN, "you may not %s verification %lld", tok, (long long)v->id);
	if (!(machine[a].from & ST(v->status)))
		return gg_error_set(err, GG_E_CONFLICT, "cannot %s verification %lld: it is %s", tok, (long long)v->id,
		                    status_tokens[v->status]);
	if (a == GG_VERA_LAPSE && !v->overdue)
		return gg_error_set(err, GG_E_CONFLICT,
		                    "cannot lapse verification %lld: it is not overdue (deadline %s); a verification "
		                    "lapses only once its deadline has passed",
		                    (long long)v->id, v->deadline_on);
	return GG_OK;
}

unsigned gg_verification_allowed_actions(const struct gg_verification *v, const struct gg_principal *pr)
{
	unsigned bits = 0;
	struct gg_error e;

	for (int a = 0; a < GG_VERA__COUNT; a++) {
		gg_error_init(&e);
		if (check(v, pr, (enum gg_ver_action)a, &e) == GG_OK)
			bits |= 1u << a;
	}
	if ((bits & (1u << GG_VERA_UPLOAD)) && v->nfiles >= GG_VERIFICATION_FILES_MAX)
		bits &= ~(1u << GG_VERA_UPLOAD);
	return bits;
}

static char *dup_col(struct gg_stmt *st, int col, int *ok)
{
	const char *s = gg_db_col_text(st, col);
	char *d;

	if (!s)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*ok = 0;
	return d;
}

#define SELECT_VER                                                                                                  \
	"SELECT v.id, v.status, v.deadline_on, v.installment_id, i.year, i.due_on, i.base_fen, i.amount_fen, "      \
	"i.status,"                                                                                                 \
	" p.id, p.kind, p.contract_fen, p.pack, p.version, p.start_on, p.talent_id, t.name, COALESCE(v.org_id, 0)," \
	" o.name, v.employed, v.end_on, v.salary_paid_fen, v.tax_record_no, v.amount_fen, v.trace, v.reason,"       \
	" COALESCE(v.submitted_by, 0), COALESCE(v.submitted_at, 0), COALESCE(v.decided_by, 0),"                     \
	" COALESCE(v.decided_at, 0), su.display_name, du.display_name, v.version, v.created_at"                     \
	" FROM verifications v JOIN installments i ON i.id = v.installment_id"                                      \
	" JOIN subsidy_plans p ON p.id = i.plan_id JOIN talents t ON t.id = p.talent_id"                            \
	" LEFT JOIN orgs o ON o.id = v.org_id LEFT JOIN users su ON su.id = v.submitted_by"                         \
	" LEFT JOIN users du ON du.id = v.decided_by"

/* The current row of a SELECT_VER statement; NULL on out of memory. */
static struct gg_verification *row_of(struct gg_stmt *st, const char *today)
{
	struct gg_verification *v = calloc(1, sizeof(*v));
	int ok = v != NULL, s;

	if (!ok)
		return NULL;
	v->id = gg_db_col_i64(st, 0);
	s = gg_ver_status_lookup(gg_db_col_text(st, 1));
	v->status = s < 0 ? GG_VER_OPEN : (enum gg_ver_status)s;
	gg_db_col_copy(st, 2, v->deadline_on, sizeof v->deadline_on);
	v->overdue = (v->status == GG_VER_OPEN || v->status == GG_VER_RETURNED) && strcmp(today, v->deadline_on) > 0;
	v->installment_id = gg_db_col_i64(st, 3);
	v->year = (int)gg_db_col_i64(st, 4);
	gg_db_col_copy(st, 5, v->due_on, sizeof v->due_on);
	v->base_fen = gg_db_col_i64(st, 6);
	v->planned_fen = gg_db_col_i64(st, 7);
	gg_db_col_copy(st, 8, v->inst_status, sizeof v->inst_status);
	v->plan_id = gg_db_col_i64(st, 9);
	gg_db_col_copy(st, 10, v->plan_kind, sizeof v->plan_kind);
	v->contract_fen = gg_db_col_i64(st, 11);
	gg_db_col_copy(st, 12, v->pack, sizeof v->pack);
	gg_db_col_copy(st, 13, v->policy_version, sizeof v->policy_version);
	gg_db_col_copy(st, 14, v->start_on, sizeof v->start_on);
	v->talent_id = gg_db_col_i64(st, 15);
	v->talent_name = dup_col(st, 16, &ok);
	v->org_id = gg_db_col_i64(st, 17);
	v->org_name = dup_col(st, 18, &ok);
	v->employed = gg_db_col_is_null(st, 19) ? -1 : (int)gg_db_col_i64(st, 19);
	gg_db_col_copy(st, 20, v->end_on, sizeof v->end_on);
	v->salary_paid_fen = gg_db_col_is_null(st, 21) ? -1 : gg_db_col_i64(st, 21);
	v->tax_record_no = dup_col(st, 22, &ok);
	v->amount_fen = gg_db_col_is_null(st, 23) ? -1 : gg_db_col_i64(st, 23);
	v->trace = dup_col(st, 24, &ok);
	v->reason = dup_col(st, 25, &ok);
	v->submitted_by = gg_db_col_i64(st, 26);
	v->submitted_at = gg_db_col_i64(st, 27);
	v->decided_by = gg_db_col_i64(st, 28);
	v->decided_at = gg_db_col_i64(st, 29);
	v->submitted_by_name = dup_col(st, 30, &ok);
	v->decided_by_name = dup_col(st, 31, &ok);
	v->version = gg_db_col_i64(st, 32);
	v->created_at = gg_db_col_i64(st, 33);
	if (!ok) {
		gg_verification_free(v);
		return NULL;
	}
	return v;
}

static enum gg_err today_text(char out[11], struct gg_error *err)
{
	int64_t day;
	enum gg_err rc = gg_clock_today(&day, err);

	if (rc == GG_OK)
		gg_clock_day_text(day, out);
	return rc;
}

static enum gg_err load_files(struct gg_db *db, struct gg_verification *v, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	if ((v->files = calloc(GG_VERIFICATION_FILES_MAX, sizeof(*v->files))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db,
	                   "SELECT vf.kind, " GG_FILE_COLUMNS " FROM verification_files vf"
	                   " JOIN files f ON f.id = vf.file_id WHERE vf.verification_id = ? ORDER BY f.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, v->id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row &&
	       v->nfiles < GG_VERIFICATION_FILES_MAX) {
		struct gg_verification_file *vf = &v->files[v->nfiles++];

		gg_db_col_copy(st, 0, vf->kind, sizeof vf->kind);
		gg_file_row(st, 1, &vf->f);
	}
	gg_db_done(st);
	return rc;
}

/* Reads verification id with its files inside the caller's transaction. */
static enum gg_err load(struct gg_db *db, int64_t id, struct gg_verification **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char today[11];
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	if ((rc = today_text(today, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, SELECT_VER " WHERE v.id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row && (*out = row_of(st, today)) == NULL)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown verification %lld", (long long)id);
	if (rc == GG_OK)
		rc = load_files(db, *out, err);
	if (rc != GG_OK) {
		gg_verification_free(*out);
		*out = NULL;
	}
	return rc;
}

enum gg_err gg_verification_get(struct gg_db *db, int64_t id, struct gg_verification **out, struct gg_error *err)
{
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = load(db, id, out, err);
	gg_db_rollback(db);
	return rc;
}

/*
 * Opens task kind on verification id in the caller's transaction, labelled
 * "<talent> 第<year>年<what>", scoped to org_id (0: unscoped), due on due
 * (NULL: no due day).
 */
static enum gg_err open_task(struct gg_db *db, const struct gg_actor *actor, enum gg_task_kind kind, int64_t id,
                             int64_t org_id, const char *talent, int year, const char *what, const char *due,
                             struct gg_error *err)
{
	char label[256], link[64];
	struct gg_task_new t = {.kind = kind,
	                        .subject_id = id,
	                        .label = label,
	                        .link = link,
	                        .scope_kind = org_id ? GG_SCOPE_ORG : GG_SCOPE_NONE,
	                        .scope_id = org_id,
	                        .due_on = due};

	snprintf(label, sizeof label, "%.120s 第%d年%s", talent ? talent : "", year, what);
	snprintf(link, sizeof link, "/verifications/%lld", (long long)id);
	return gg_task_open(db, actor, &t, NULL, NULL, err);
}

/* The verification_answer task of id (scoped to its org, due by the deadline). */
static enum gg_err open_answer_task(struct gg_db *db, const struct gg_actor *actor, int64_t id, int64_t org_id,
                                    const char *talent, int year, const char *deadline, struct gg_error *err)
{
	return open_task(db, actor, GG_TASK_verification_answer, id, org_id, talent, year, "补贴年度核查", deadline,
	                 err);
}

struct due {
	int64_t inst, org;
	int year;
	int64_t due_day;
	char *talent;
};

enum gg_err gg_verification_open_due(struct gg_db *db, const struct gg_actor *actor, int64_t today_day, int days,
                                     int64_t *opened, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct due *list = NULL;
	size_t n = 0, cap = 0;
	char today[11];
	int row = 0;
	enum gg_err rc;

	*opened = 0;
	if (days < 1 || days > 3650)
		return gg_error_field(err, GG_E_INVALID, "verification_days", "verification_days is 1 to 3650, not %d",
		                      days);
	gg_clock_day_text(today_day, today);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT i.id, COALESCE(r.org_id, 0), i.year, i.due_on, t.name FROM installments i"
	                   " JOIN subsidy_plans p ON p.id = i.plan_id JOIN recognitions r ON r.id = p.recognition_id"
	                   " JOIN talents t ON t.id = p.talent_id WHERE i.status = 'planned' AND p.status = 'active'"
	                   " AND i.due_on <= ? AND NOT EXISTS (SELECT 1 FROM verifications v"
	                   " WHERE v.installment_id = i.id) ORDER BY i.due_on, i.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, today);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct due *d;
		int ok = 1;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct due *g = realloc(list, ncap * sizeof(*list));
			if (!g) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			list = g;
			cap = ncap;
		}
		d = &list[n++];
		memset(d, 0, sizeof(*d));
		d->inst = gg_db_col_i64(st, 0);
		d->org = gg_db_col_i64(st, 1);
		d->year = (int)gg_db_col_i64(st, 2);
		if (gg_pack_parse_day(gg_db_col_text(st, 3), &d->due_day) != 0)
			rc = gg_error_set(err, GG_E_INTERNAL, "installment %lld has a malformed due day",
			                  (long long)d->inst);
		d->talent = dup_col(st, 4, &ok);
		if (!ok)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		char deadline[11], inst_text[24];
		int64_t id = 0, now = gg_clock_now();
		int found = 0;

		gg_clock_day_text(list[i].due_day + days, deadline);
		rc = gg_db_prepare(db,
		                   "INSERT INTO verifications (installment_id, org_id, deadline_on, created_at)"
		                   " VALUES (?, ?, ?, ?)",
		                   &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, list[i].inst);
		if (rc == GG_OK)
			rc = gg_db_bind_id(st, 2, list[i].org);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, deadline);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, now);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
		if (rc == GG_OK)
			rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, &id, &found, err);
		if (rc == GG_OK) {
			const struct gg_audit_change ch[] = {{"installment", NULL, inst_text},
			                                     {"status", NULL, "open"},
			                                     {"deadline_on", NULL, deadline}};
			snprintf(inst_text, sizeof inst_text, "%lld", (long long)list[i].inst);
			rc = gg_audit_by(db, actor, "verification.open", "verification", id, ch, 3, err);
		}
		if (rc == GG_OK)
			rc = open_answer_task(db, actor, id, list[i].org, list[i].talent, list[i].year, deadline, err);
		if (rc == GG_OK)
			(*opened)++;
	}
	for (size_t i = 0; i < n; i++)
		free(list[i].talent);
	free(list);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*opened = 0;
	return rc;
}

/* Begins a write transaction and loads id, checked for action a and expected (0: any). */
static enum gg_err begin_action(struct gg_db *db, const struct gg_principal *pr, int64_t id, enum gg_ver_action a,
                                int64_t expected, struct gg_verification **v, struct gg_error *err)
{
	enum gg_err rc;

	*v = NULL;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = load(db, id, v, err)) == GG_OK && (rc = check(*v, pr, a, err)) == GG_OK && expected &&
	    expected != (*v)->version)
		rc = gg_error_set(err, GG_E_STALE, "verification %lld is at version %lld, not %lld", (long long)id,
		                  (long long)(*v)->version, (long long)expected);
	if (rc != GG_OK) {
		gg_db_rollback(db);
		gg_verification_free(*v);
		*v = NULL;
	}
	return rc;
}

/* Commits or rolls back by rc; frees v. */
static enum gg_err end_action(struct gg_db *db, struct gg_verification *v, enum gg_err rc, struct gg_error *err)
{
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	gg_verification_free(v);
	return rc;
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

/* Sets status, reason (may be NULL: unchanged) and the decision's who and when; bumps the version. */
static enum gg_err set_status(struct gg_db *db, const struct gg_actor *actor, int64_t id, enum gg_ver_status to,
                              const char *reason, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "UPDATE verifications SET status = ?, reason = COALESCE(?, reason), decided_by = ?,"
	                   " decided_at = ?, version = version + 1 WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, status_tokens[to]);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 3, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_verification_submit(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const struct gg_verification_answer *in, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	struct gg_stmt *st = NULL;
	char paid[GG_MONEY_TEXT_MAX];
	int64_t end_day = 0;
	int row = 0;
	enum gg_err rc;

	if (in->employed != 0 && in->employed != 1)
		gg_error_field(err, GG_E_INVALID, "employed", "employed is true or false");
	if (in->employed == 0 && (in->end_on == NULL || gg_pack_parse_day(in->end_on, &end_day) != 0))
		gg_error_field(err, GG_E_INVALID, "end_on",
		               "end_on (YYYY-MM-DD, the day employment ended) is required when employed is false");
	if (in->employed == 1 && in->end_on != NULL)
		gg_error_field(err, GG_E_INVALID, "end_on", "end_on is given only when employed is false");
	if (in->salary_paid_fen < 0 || in->salary_paid_fen > GG_MONEY_MAX_FEN)
		gg_error_field(err, GG_E_INVALID, "salary_paid", "salary_paid is an amount of 0 or more");
	if (in->tax_record_no == NULL || chars(in->tax_record_no) < 1 ||
	    chars(in->tax_record_no) > GG_VERIFICATION_TAX_MAX || has_control(in->tax_record_no))
		gg_error_field(err, GG_E_INVALID, "tax_record_no", "tax_record_no is 1 to %d characters",
		               GG_VERIFICATION_TAX_MAX);
	if (err->code != GG_OK)
		return err->code;
	if ((rc = begin_action(db, pr, id, GG_VERA_SUBMIT, in->expected_version, &v, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db,
	    "UPDATE verifications SET status = 'submitted', employed = ?, end_on = ?, salary_paid_fen = ?,"
	    " tax_record_no = ?, submitted_by = ?, submitted_at = ?, version = version + 1 WHERE id = ?",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->employed);
	if (rc == GG_OK)
		rc = in->employed ? gg_db_bind_null(st, 2) : gg_db_bind_text(st, 2, in->end_on);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, in->salary_paid_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, in->tax_record_no);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {
		    {"status", status_tokens[v->status], "submitted"},
		    {"employed", NULL, in->employed ? "true" : "false"},
		    {"end_on", NULL, in->employed ? NULL : in->end_on},
		    {"salary_paid", NULL, gg_money_format(in->salary_paid_fen, paid)},
		    {"tax_record_no", NULL, in->tax_record_no},
		};
		rc = gg_audit_by(db, actor, "verification.submit", "verification", id, ch, 5, err);
	}
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_answer, id, "submitted", NULL, err);
	if (rc == GG_OK)
		rc = open_task(db, actor, GG_TASK_verification_review, id, 0, v->talent_name, v->year, "补贴核查待审核",
		               NULL, err);
	return end_action(db, v, rc, err);
}

enum gg_err gg_verification_attach(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const char *kind, const char *dir, const char *name, const void *data,
                                   size_t len, int64_t max_bytes, struct gg_file *file, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	int64_t args[3];
	char fid[24];
	enum gg_err rc;

	memset(file, 0, sizeof(*file));
	if (!kind ||
	    (strcmp(kind, "contract") != 0 && strcmp(kind, "tax_certificate") != 0 && strcmp(kind, "other") != 0))
		return gg_error_field(err, GG_E_INVALID, "kind", "kind is contract, tax_certificate or other");
	if ((rc = begin_action(db, pr, id, GG_VERA_UPLOAD, 0, &v, err)) != GG_OK)
		return rc;
	if (v->nfiles >= GG_VERIFICATION_FILES_MAX)
		rc = gg_error_field(err, GG_E_RULE, "file",
		                    "verification %lld has %d files already, the most it may have", (long long)id,
		                    GG_VERIFICATION_FILES_MAX);
	if (rc == GG_OK)
		rc = gg_file_store_tx(db, actor, dir, name, "verification", data, len, max_bytes, file, err);
	if (rc == GG_OK) {
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(
		    db, "INSERT INTO verification_files (verification_id, file_id, kind) VALUES (?, ?, ?)", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 2, file->id);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, kind);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	if (rc == GG_OK) {
		args[0] = id;
		rc = gg_db_run_i64(db, "UPDATE verifications SET version = version + 1 WHERE id = ?", args, 1, err);
	}
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"file", NULL, fid}, {"kind", NULL, kind}, {"name", NULL, name}};
		snprintf(fid, sizeof fid, "%lld", (long long)file->id);
		rc = gg_audit_by(db, actor, "verification.attach", "verification", id, ch, 3, err);
	}
	return end_action(db, v, rc, err);
}

/* Sets installment inst lapsed (amount 0) and releases what it has committed; a trace line into t. */
static enum gg_err lapse_installment(struct gg_db *db, const struct gg_actor *actor, int64_t inst, struct gg_buf *t,
                                     struct gg_error *err)
{
	int64_t committed = 0, entry = 0, args[1] = {inst};
	char a[GG_MONEY_TEXT_MAX];
	enum gg_err rc;

	rc = gg_db_run_i64(db, "UPDATE installments SET status = 'lapsed', amount_fen = 0 WHERE id = ?", args, 1, err);
	if (rc == GG_OK)
		rc = gg_ledger_installment_committed(db, inst, &committed, err);
	if (rc == GG_OK && committed > 0)
		rc = gg_ledger_release_installment_tx(db, actor, inst, 0, &entry, err);
	if (rc == GG_OK && committed > 0 && t)
		gg_buf_addf(t, "installment %lld lapsed: its commitment of %s released\n", (long long)inst,
		            gg_money_format_grouped(committed, a));
	return rc;
}

/* The talent's cap room used before v: installments before it that did not lapse, minus clawbacks. */
static enum gg_err cap_used_before(struct gg_db *db, const struct gg_verification *v, int64_t *used,
                                   struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t claw = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	*used = 0;
	rc = gg_db_prepare(
	    db,
	    "SELECT COALESCE(SUM(CASE WHEN w.status = 'accepted' THEN w.amount_fen ELSE i.amount_fen END), 0)"
	    " FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	    " LEFT JOIN verifications w ON w.installment_id = i.id"
	    " WHERE p.talent_id = ? AND p.kind = 'formula' AND i.id <> ? AND i.status = 'planned'"
	    " AND (p.status = 'active' OR EXISTS (SELECT 1 FROM payments y WHERE y.installment_id = i.id"
	    " AND y.status = 'paid')) AND (i.due_on < ? OR (i.due_on = ? AND i.id < ?))",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, v->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, v->installment_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, v->due_on);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, v->due_on);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, v->installment_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*used = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db,
		                     "SELECT COALESCE(SUM(c.amount_fen), 0) FROM clawbacks c JOIN payments y"
		                     " ON y.id = c.payment_id WHERE y.talent_id = ?",
		                     &v->talent_id, 1, &claw, &found, err);
	*used -= claw;
	if (*used < 0)
		*used = 0;
	return rc;
}

/* Lapses the later planned installments of v's plan (employment ended), with their open verifications. */
static enum gg_err lapse_later(struct gg_db *db, const struct gg_actor *actor, const struct gg_verification *v,
                               struct gg_buf *t, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t ids[GG_POLICY_YEARS_MAX], vers[GG_POLICY_YEARS_MAX];
	int years[GG_POLICY_YEARS_MAX];
	size_t n = 0;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT i.id, i.year, COALESCE(w.id, 0) FROM installments i LEFT JOIN verifications w"
	                   " ON w.installment_id = i.id AND w.status IN ('open', 'returned', 'submitted')"
	                   " WHERE i.plan_id = ? AND i.year > ? AND i.status = 'planned' ORDER BY i.year",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, v->plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, v->year);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && n < GG_POLICY_YEARS_MAX) {
		ids[n] = gg_db_col_i64(st, 0);
		years[n] = (int)gg_db_col_i64(st, 1);
		vers[n++] = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		char reason[160];

		gg_buf_addf(t, "year %d: lapsed by rule employment_ended (employment ended %s)\n", years[i], v->end_on);
		rc = lapse_installment(db, actor, ids[i], t, err);
		if (rc == GG_OK && vers[i]) {
			snprintf(reason, sizeof reason, "employment ended %s (verification %lld)", v->end_on,
			         (long long)v->id);
			rc = set_status(db, actor, vers[i], GG_VER_LAPSED, reason, err);
			if (rc == GG_OK)
				rc =
				    gg_task_close(db, actor, GG_TASK_verification_answer, vers[i], "lapsed", NULL, err);
			if (rc == GG_OK)
				rc =
				    gg_task_close(db, actor, GG_TASK_verification_review, vers[i], "lapsed", NULL, err);
			if (rc == GG_OK) {
				const struct gg_audit_change ch[] = {{"status", NULL, "lapsed"},
				                                     {"reason", NULL, reason}};
				rc = gg_audit_by(db, actor, "verification.lapse", "verification", vers[i], ch, 2, err);
			}
		}
	}
	return rc;
}

enum gg_err gg_verification_accept(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                   const struct gg_principal *pr, int64_t id, int64_t expected_version,
                                   struct gg_error *err)
{
	struct gg_verification *v = NULL;
	struct gg_policy_params params;
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *pver = NULL;
	struct gg_policy_price price;
	struct gg_buf t;
	struct gg_stmt *st = NULL;
	char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX], amount_text[GG_MONEY_TEXT_MAX];
	int64_t start_day = 0, used = 0, base, amount = 0, committed = 0, entry = 0;
	int lapsed = 0, ended, row = 0;
	enum gg_err rc;

	if ((rc = gg_policyset_need(set, err)) != GG_OK)
		return rc;
	if ((rc = begin_action(db, pr, id, GG_VERA_ACCEPT, expected_version, &v, err)) != GG_OK)
		return rc;
	gg_buf_init(&t, GG_POLICY_TRACE_MAX);
	memset(&price, 0, sizeof price);
	if (gg_pack_parse_day(v->start_on, &start_day) != 0) {
		rc = gg_error_set(err, GG_E_INTERNAL, "plan %lld has a malformed start day", (long long)v->plan_id);
		goto out;
	}
	if ((rc = gg_policyset_params_on(set, v->pack, start_day, &params, &pack, &pver, err)) != GG_OK)
		goto out;
	if (strcmp(pver->version, v->policy_version) != 0) {
		rc = gg_error_set(err, GG_E_RULE,
		                  "plan %lld is governed by policy '%s' version '%s', which is not loaded",
		                  (long long)v->plan_id, v->pack, v->policy_version);
		goto out;
	}
	if ((rc = cap_used_before(db, v, &used, err)) != GG_OK)
		goto out;
	base = v->salary_paid_fen < v->contract_fen ? v->salary_paid_fen : v->contract_fen;
	ended = v->employed == 0 && strcmp(v->end_on, v->due_on) < 0;
	gg_buf_addf(&t, "verification %lld of year %d (due %s) under %s %s\n", (long long)v->id, v->year, v->due_on,
	            v->pack, v->policy_version);
	gg_buf_addf(&t, "salary paid %s, contract %s: base %s\n", gg_money_format_grouped(v->salary_paid_fen, a),
	            gg_money_format_grouped(v->contract_fen, b), gg_money_format_grouped(base, c));
	if (ended && (params.lapse_rules & GG_LAPSE_EMPLOYMENT_ENDED)) {
		lapsed = 1;
		gg_buf_addf(&t,
		            "year %d (due %s): lapsed by rule employment_ended, employment ended %s before the "
		            "anniversary; every later year lapses too\n",
		            v->year, v->due_on, v->end_on);
	} else if (strcmp(v->plan_kind, "strategic") == 0) {
		/* a tranche of a package agreed case by case: its amount, not the formula */
		amount = v->planned_fen;
		gg_buf_addf(&t, "tranche %d of a strategic package: the agreed %s\n", v->year,
		            gg_money_format_grouped(amount, a));
	} else {
		if (ended)
			gg_buf_addf(&t,
			            "year %d (due %s): employment ended %s before the anniversary, but %s has no lapse "
			            "rule employment_ended\n",
			            v->year, v->due_on, v->end_on, v->policy_version);
		else if (v->employed == 0)
			gg_buf_addf(&t, "employment ended %s, on or after the anniversary: the year is complete\n",
			            v->end_on);
		if ((rc = gg_policy_price_year(&params, v->salary_paid_fen, base, used, &price, err)) != GG_OK)
			goto out;
		if (price.lapsed) {
			lapsed = 1;
			gg_buf_addf(
			    &t,
			    "year %d (due %s): lapsed by rule paid_below_threshold, salary paid %s < threshold %s\n",
			    v->year, v->due_on, gg_money_format_grouped(v->salary_paid_fen, a),
			    gg_money_format_grouped(params.threshold_fen, b));
		} else {
			if (price.below)
				gg_buf_addf(
				    &t,
				    "salary paid %s < threshold %s, but %s has no lapse rule paid_below_threshold\n",
				    gg_money_format_grouped(v->salary_paid_fen, a),
				    gg_money_format_grouped(params.threshold_fen, b), v->policy_version);
			gg_buf_addf(&t, "cap %s, used by earlier installments %s, room %s\n",
			            gg_money_format_grouped(params.cap_fen, a), gg_money_format_grouped(used, b),
			            gg_money_format_grouped(price.room_fen, c));
			if (price.capped)
				gg_buf_addf(&t, "year %d (due %s): base %s x %lld bp = %s, capped at %s\n", v->year,
				            v->due_on, gg_money_format_grouped(base, a), (long long)params.rate_bp,
				            gg_money_format_grouped(price.priced_fen, b),
				            gg_money_format_grouped(price.amount_fen, c));
			else
				gg_buf_addf(&t, "year %d (due %s): base %s x %lld bp = %s\n", v->year, v->due_on,
				            gg_money_format_grouped(base, a), (long long)params.rate_bp,
				            gg_money_format_grouped(price.priced_fen, b));
			amount = price.amount_fen;
		}
	}
	if ((rc = gg_ledger_installment_committed(db, v->installment_id, &committed, err)) != GG_OK)
		goto out;
	if (lapsed) {
		rc = lapse_installment(db, actor, v->installment_id, &t, err);
		if (rc == GG_OK && ended && (params.lapse_rules & GG_LAPSE_EMPLOYMENT_ENDED))
			rc = lapse_later(db, actor, v, &t, err);
	} else if (amount < committed) {
		rc = gg_ledger_release_installment_tx(db, actor, v->installment_id, committed - amount, &entry, err);
		gg_buf_addf(&t, "planned %s, committed %s: %s released\n", gg_money_format_grouped(v->planned_fen, a),
		            gg_money_format_grouped(committed, b), gg_money_format_grouped(committed - amount, c));
	} else if (amount > committed) {
		int64_t available = 0;

		rc = gg_ledger_available(db, &available, err);
		if (rc == GG_OK && available >= amount - committed) {
			rc = gg_ledger_commit_installment_tx(db, actor, v->installment_id, amount - committed, &entry,
			                                     err);
			gg_buf_addf(&t, "committed %s: %s more committed\n", gg_money_format_grouped(committed, a),
			            gg_money_format_grouped(amount - committed, b));
		} else if (rc == GG_OK) {
			gg_buf_addf(
			    &t,
			    "committed %s: the fund cannot cover %s more now (%s available); left to the approval\n",
			    gg_money_format_grouped(committed, a), gg_money_format_grouped(amount - committed, b),
			    gg_money_format_grouped(available, c));
		}
	}
	if (rc != GG_OK)
		goto out;
	gg_buf_addf(&t, "accepted amount %s\n", gg_money_format_grouped(amount, a));
	rc = gg_db_prepare(db,
	                   "UPDATE verifications SET status = 'accepted', amount_fen = ?, trace = ?, decided_by = ?,"
	                   " decided_at = ?, version = version + 1 WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, amount);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, t.buf);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 3, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", "submitted", "accepted"},
		                                     {"amount", NULL, gg_money_format(amount, amount_text)},
		                                     {"lapsed", NULL, lapsed ? "true" : "false"}};
		rc = gg_audit_by(db, actor, "verification.accept", "verification", id, ch, 3, err);
	}
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_review, id, "accepted", NULL, err);
out:
	gg_buf_release(&t);
	return end_action(db, v, rc, err);
}

static enum gg_err check_reason(const char *reason, struct gg_error *err)
{
	if (reason == NULL || reason[0] == '\0')
		return gg_error_field(err, GG_E_INVALID, "reason", "a reason is required");
	if (chars(reason) > GG_VERIFICATION_REASON_MAX)
		return gg_error_field(err, GG_E_INVALID, "reason", "a reason is at most %d characters",
		                      GG_VERIFICATION_REASON_MAX);
	return GG_OK;
}

/*
 * The start of a decision that gives a reason (return, lapse): checks the
 * reason, begins action a on id and moves it to the table's state with the
 * reason. *v is NULL when nothing was begun; otherwise the caller ends the
 * action with end_action, whatever this returns.
 */
static enum gg_err begin_reasoned(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                  int64_t id, enum gg_ver_action a, const char *reason, int64_t expected,
                                  struct gg_verification **v, struct gg_error *err)
{
	enum gg_err rc;

	*v = NULL;
	if ((rc = check_reason(reason, err)) != GG_OK)
		return rc;
	if ((rc = begin_action(db, pr, id, a, expected, v, err)) != GG_OK)
		return rc;
	return set_status(db, actor, id, (enum gg_ver_status)machine[a].to, reason, err);
}

enum gg_err gg_verification_return(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const char *reason, int64_t expected_version, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	enum gg_err rc;

	rc = begin_reasoned(db, actor, pr, id, GG_VERA_RETURN, reason, expected_version, &v, err);
	if (!v)
		return rc;
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", "submitted", "returned"}, {"reason", NULL, reason}};
		rc = gg_audit_by(db, actor, "verification.return", "verification", id, ch, 2, err);
	}
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_review, id, "returned", NULL, err);
	if (rc == GG_OK)
		rc = open_answer_task(db, actor, id, v->org_id, v->talent_name, v->year, v->deadline_on, err);
	return end_action(db, v, rc, err);
}

enum gg_err gg_verification_lapse(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                  int64_t id, const char *reason, int64_t expected_version, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	enum gg_err rc;

	rc = begin_reasoned(db, actor, pr, id, GG_VERA_LAPSE, reason, expected_version, &v, err);
	if (!v)
		return rc;
	if (rc == GG_OK)
		rc = lapse_installment(db, actor, v->installment_id, NULL, err);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", status_tokens[v->status], "lapsed"},
		                                     {"reason", NULL, reason},
		                                     {"deadline_on", NULL, v->deadline_on}};
		rc = gg_audit_by(db, actor, "verification.lapse", "verification", id, ch, 3, err);
	}
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_answer, id, "lapsed", NULL, err);
	return end_action(db, v, rc, err);
}

enum gg_err gg_verification_file_visible(struct gg_db *db, const struct gg_principal *pr, int64_t file_id,
                                         struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0, ok = 0;
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT COALESCE(v.org_id, 0), p.talent_id FROM verification_files vf"
	                   " JOIN verifications v ON v.id = vf.verification_id JOIN installments i"
	                   " ON i.id = v.installment_id JOIN subsidy_plans p ON p.id = i.plan_id WHERE vf.file_id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, file_id);
	while (rc == GG_OK && !ok && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		ok = gg_verification_may_read(pr, gg_db_col_i64(st, 0), gg_db_col_i64(st, 1));
	gg_db_done(st);
	gg_db_rollback(db);
	if (rc == GG_OK && !ok)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown file %lld", (long long)file_id);
	return rc;
}

void gg_verification_scope(const struct gg_principal *pr, struct gg_verification_query *q)
{
	q->unscoped = gg_principal_scope(pr, GG_PERM_verifications_read, q->scope_orgs,
	                                 sizeof q->scope_orgs / sizeof q->scope_orgs[0], &q->norgs, q->scope_talents,
	                                 sizeof q->scope_talents / sizeof q->scope_talents[0], &q->ntalents);
}

static enum gg_err list_tx(struct gg_db *db, const struct gg_verification_query *q, struct gg_verification ***out,
                           size_t *n, int *more, struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	struct gg_verification **v = NULL;
	char today[11], year[8];
	int idx = 1, row = 0;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_VERIFICATION_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_VERIFICATION_LIMIT_MAX);
	if ((rc = today_text(today, err)) != GG_OK)
		return rc;
	if (!q->unscoped && q->norgs == 0 && q->ntalents == 0)
		return GG_OK;
	if ((v = calloc((size_t)q->limit + 1, sizeof(*v))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	snprintf(year, sizeof year, "%04d", q->year);
	gg_buf_init(&sql, 8192);
	gg_buf_adds(&sql, SELECT_VER " WHERE v.id > ?");
	if (q->status >= 0)
		gg_buf_adds(&sql, " AND v.status = ?");
	if (q->overdue)
		gg_buf_adds(&sql, " AND v.status IN ('open', 'returned') AND v.deadline_on < ?");
	if (q->org_id)
		gg_buf_adds(&sql, " AND v.org_id = ?");
	if (q->talent_id)
		gg_buf_adds(&sql, " AND p.talent_id = ?");
	if (q->year)
		gg_buf_adds(&sql, " AND substr(i.due_on, 1, 4) = ?");
	if (!q->unscoped) {
		gg_buf_adds(&sql, " AND (0");
		for (size_t i = 0; i < q->norgs; i++)
			gg_buf_adds(&sql, " OR v.org_id = ?");
		for (size_t i = 0; i < q->ntalents; i++)
			gg_buf_adds(&sql, " OR p.talent_id = ?");
		gg_buf_adds(&sql, ")");
	}
	gg_buf_adds(&sql, " ORDER BY v.id LIMIT ?");
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->after_id);
	if (rc == GG_OK && q->status >= 0)
		rc = gg_db_bind_text(st, idx++, status_tokens[q->status]);
	if (rc == GG_OK && q->overdue)
		rc = gg_db_bind_text(st, idx++, today);
	if (rc == GG_OK && q->org_id)
		rc = gg_db_bind_i64(st, idx++, q->org_id);
	if (rc == GG_OK && q->talent_id)
		rc = gg_db_bind_i64(st, idx++, q->talent_id);
	if (rc == GG_OK && q->year)
		rc = gg_db_bind_text(st, idx++, year);
	for (size_t i = 0; rc == GG_OK && !q->unscoped && i < q->norgs; i++)
		rc = gg_db_bind_i64(st, idx++, q->scope_orgs[i]);
	for (size_t i = 0; rc == GG_OK && !q->unscoped && i < q->ntalents; i++)
		rc = gg_db_bind_i64(st, idx++, q->scope_talents[i]);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->limit + 1);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (*n == (size_t)q->limit) {
			*more = 1;
			break;
		}
		if ((v[*n] = row_of(st, today)) == NULL)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
		else
			(*n)++;
	}
	gg_db_done(st);
	gg_buf_release(&sql);
	for (size_t i = 0; rc == GG_OK && i < *n; i++)
		rc = load_files(db, v[i], err);
	if (rc != GG_OK) {
		gg_verification_list_free(v, *n);
		*n = 0;
		*more = 0;
		return rc;
	}
	*out = v;
	return GG_OK;
}

enum gg_err gg_verification_list(struct gg_db *db, const struct gg_verification_query *q, struct gg_verification ***out,
                                 size_t *n, int *more, struct gg_error *err)
{
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = list_tx(db, q, out, n, more, err);
	gg_db_rollback(db);
	return rc;
}
