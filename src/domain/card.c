/*
 * card: the digital talent card's application and life (card.h,
 * docs/cards.md). The state machine is the table below: the checks of
 * every action and allowed_actions both read it, so the UI follows the
 * same table the server enforces. Every state change writes the card,
 * a card_events row, an audit row card.<action> and its tasks in one
 * write transaction.
 */
#include "card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "pack.h"
#include "talent.h"
#include "task.h"

static const char *const status_tokens[GG_CARD__COUNT] = {"applied",  "approved",  "issuing", "active",
                                                          "rejected", "suspended", "revoked", "expired"};

#define ST(s) (1u << (s))

static const struct {
	const char *token;
	unsigned from;
	enum gg_card_status to;
	enum gg_perm perm;
	int needs_reason;
} machine[GG_CARDA__COUNT] = {
    [GG_CARDA_APPROVE] = {"approve", ST(GG_CARD_APPLIED), GG_CARD_APPROVED, GG_PERM_cards_review, 0},
    [GG_CARDA_REJECT] = {"reject", ST(GG_CARD_APPLIED) | ST(GG_CARD_APPROVED) | ST(GG_CARD_ISSUING), GG_CARD_REJECTED,
                         GG_PERM_cards_review, 1},
    [GG_CARDA_ACCEPT] = {"accept", ST(GG_CARD_APPROVED), GG_CARD_ISSUING, GG_PERM_cards_issue, 0},
    [GG_CARDA_ISSUE] = {"issue", ST(GG_CARD_ISSUING), GG_CARD_ACTIVE, GG_PERM_cards_issue, 0},
    [GG_CARDA_BANK_REJECT] = {"bank_reject", ST(GG_CARD_APPROVED) | ST(GG_CARD_ISSUING), GG_CARD_REJECTED,
                              GG_PERM_cards_issue, 1},
    [GG_CARDA_SUSPEND] = {"suspend", ST(GG_CARD_ACTIVE), GG_CARD_SUSPENDED, GG_PERM_cards_review, 1},
    [GG_CARDA_RESUME] = {"resume", ST(GG_CARD_SUSPENDED), GG_CARD_ACTIVE, GG_PERM_cards_review, 0},
    [GG_CARDA_REVOKE] = {"revoke", ST(GG_CARD_ACTIVE) | ST(GG_CARD_SUSPENDED), GG_CARD_REVOKED, GG_PERM_cards_review,
                         1},
};

const char *gg_card_status_token(enum gg_card_status s)
{
	return (int)s >= 0 && s < GG_CARD__COUNT ? status_tokens[s] : "";
}

int gg_card_status_lookup(const char *token)
{
	for (int i = 0; token && i < GG_CARD__COUNT; i++)
		if (strcmp(token, status_tokens[i]) == 0)
			return i;
	return -1;
}

const char *gg_card_action_token(enum gg_card_action a)
{
	return (int)a >= 0 && a < GG_CARDA__COUNT ? machine[a].token : "";
}

int gg_card_luhn_ok(const char *digits)
{
	size_t n = digits ? strlen(digits) : 0;
	int sum = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int d = digits[n - 1 - i] - '0';

		if (d < 0 || d > 9)
			return 0;
		if (i % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return sum % 10 == 0;
}

int gg_card_number(int64_t id, char out[GG_CARD_NO_LEN + 1])
{
	int sum = 0;

	out[0] = '\0';
	if (id <= 0 || id > 99999999999LL)
		return -1;
	snprintf(out, GG_CARD_NO_LEN + 1, GG_CARD_PREFIX "%011lld", (long long)id);
	/* the check digit: doubling every second digit from the right, the check digit's place being the first */
	for (int i = 0; i < GG_CARD_NO_LEN - 1; i++) {
		int d = out[GG_CARD_NO_LEN - 2 - i] - '0';

		if (i % 2 == 0 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	out[GG_CARD_NO_LEN - 1] = (char)('0' + (10 - sum % 10) % 10);
	out[GG_CARD_NO_LEN] = '\0';
	return 0;
}

/* 1 when grant g (of a principal with user uid) reaches card c. The commissioner role reaches assigned talents. */
static int grant_reaches(const struct gg_role_grant *g, int64_t uid, const struct gg_card *c)
{
	if (g->role == GG_ROLE_commissioner)
		return c->commissioner_id != 0 && c->commissioner_id == uid;
	switch (g->scope_kind) {
	case GG_SCOPE_NONE:
		return 1;
	case GG_SCOPE_ORG:
		return g->scope_id == c->bank_id;
	case GG_SCOPE_TALENT:
		return g->scope_id == c->talent_id;
	case GG_SCOPE_STATION:
		break;
	}
	return 0;
}

/* 1 when pr holds perm reaching c (NULL pr: the command line, 1). */
static int reaches(const struct gg_principal *pr, enum gg_perm perm, const struct gg_card *c)
{
	if (!pr)
		return 1;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++)
		if (gg_role_grants(pr->roles[i].role, perm) && grant_reaches(&pr->roles[i], pr->user_id, c))
			return 1;
	return 0;
}

int gg_card_may_read(const struct gg_principal *pr, const struct gg_card *c)
{
	return reaches(pr, GG_PERM_cards_read, c);
}

int gg_card_may_show(const struct gg_principal *pr, const struct gg_card *c)
{
	if (!pr || gg_principal_can(pr, GG_PERM_cards_review))
		return 1;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++)
		if (pr->roles[i].scope_kind == GG_SCOPE_TALENT && pr->roles[i].scope_id == c->talent_id &&
		    gg_role_grants(pr->roles[i].role, GG_PERM_cards_read))
			return 1;
	return 0;
}

/* The check of action a on c by pr (see card.h). */
static enum gg_err check(const struct gg_card *c, const struct gg_principal *pr, enum gg_card_action a,
                         struct gg_error *err)
{
	const char *tok = machine[a].token;

	if (!gg_card_may_read(pr, c) && !reaches(pr, machine[a].perm, c))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)c->id);
	if (!reaches(pr, machine[a].perm, c))
		return gg_error_set(err, GG_E_FORBIDDEN, "you may not %s card %lld", tok, (long long)c->id);
	if (!(machine[a].from & ST(c->status)))
		return gg_error_set(err, GG_E_CONFLICT, "cannot %s card %lld: it is %s", tok, (long long)c->id,
		                    status_tokens[c->status]);
	return GG_OK;
}

unsigned gg_card_allowed_actions(const struct gg_card *c, const struct gg_principal *pr)
{
	unsigned bits = 0;
	struct gg_error e;

	for (int a = 0; a < GG_CARDA__COUNT; a++) {
		gg_error_init(&e);
		if (check(c, pr, (enum gg_card_action)a, &e) == GG_OK)
			bits |= 1u << a;
	}
	return bits;
}

#define SELECT_CARD                                                                                              \
	"SELECT c.id, c.talent_id, t.name, COALESCE(t.commissioner_id, 0), c.bank_id, o.name, c.status, c.tier," \
	" c.eligible, c.auto_approved, c.policy_pack, c.policy_version, c.card_no, c.valid_from, c.valid_to,"    \
	" c.debit_last4, c.debit_issued_on, c.reason, COALESCE(c.applied_by, 0), c.applied_at,"                  \
	" COALESCE(c.decided_by, 0), COALESCE(c.decided_at, 0), COALESCE(c.bank_accepted_by, 0),"                \
	" COALESCE(c.bank_accepted_at, 0), u.display_name, c.updated_at, c.version"                              \
	" FROM cards c JOIN talents t ON t.id = c.talent_id JOIN orgs o ON o.id = c.bank_id"                     \
	" LEFT JOIN users u ON u.id = c.applied_by"

static void row_of(struct gg_stmt *st, void *out)
{
	struct gg_card *c = out;

	int s;

	memset(c, 0, sizeof *c);
	c->id = gg_db_col_i64(st, 0);
	c->talent_id = gg_db_col_i64(st, 1);
	gg_db_col_copy(st, 2, c->talent_name, sizeof c->talent_name);
	c->commissioner_id = gg_db_col_i64(st, 3);
	c->bank_id = gg_db_col_i64(st, 4);
	gg_db_col_copy(st, 5, c->bank_name, sizeof c->bank_name);
	s = gg_card_status_lookup(gg_db_col_text(st, 6));
	c->status = s < 0 ? GG_CARD_APPLIED : (enum gg_card_status)s;
	gg_db_col_copy(st, 7, c->tier, sizeof c->tier);
	c->eligible = (int)gg_db_col_i64(st, 8);
	c->auto_approved = (int)gg_db_col_i64(st, 9);
	gg_db_col_copy(st, 10, c->policy_pack, sizeof c->policy_pack);
	gg_db_col_copy(st, 11, c->policy_version, sizeof c->policy_version);
	gg_db_col_copy(st, 12, c->card_no, sizeof c->card_no);
	gg_db_col_copy(st, 13, c->valid_from, sizeof c->valid_from);
	gg_db_col_copy(st, 14, c->valid_to, sizeof c->valid_to);
	gg_db_col_copy(st, 15, c->debit_last4, sizeof c->debit_last4);
	gg_db_col_copy(st, 16, c->debit_issued_on, sizeof c->debit_issued_on);
	gg_db_col_copy(st, 17, c->reason, sizeof c->reason);
	c->applied_by = gg_db_col_i64(st, 18);
	c->applied_at = gg_db_col_i64(st, 19);
	c->decided_by = gg_db_col_i64(st, 20);
	c->decided_at = gg_db_col_i64(st, 21);
	c->bank_accepted_by = gg_db_col_i64(st, 22);
	c->bank_accepted_at = gg_db_col_i64(st, 23);
	gg_db_col_copy(st, 24, c->applied_by_name, sizeof c->applied_by_name);
	c->updated_at = gg_db_col_i64(st, 25);
	c->version = gg_db_col_i64(st, 26);
}

/* Reads card id inside the caller's transaction. */
static enum gg_err load(struct gg_db *db, int64_t id, struct gg_card *out, struct gg_error *err)
{
	return gg_db_row_by_id(db, SELECT_CARD " WHERE c.id = ?", id, row_of, out, "card", err);
}

enum gg_err gg_card_get(struct gg_db *db, int64_t id, struct gg_card *out, struct gg_error *err)
{
	return gg_db_get_by_id(db, SELECT_CARD " WHERE c.id = ?", id, row_of, out, "card", err);
}

/* The bank's name when bank_id is an org of kind bank; GG_E_INVALID on field bank_id otherwise. */
static enum gg_err bank_of(struct gg_db *db, int64_t bank_id, char *name, size_t namesz, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db, "SELECT name FROM orgs WHERE id = ? AND kind = 'bank'", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, bank_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		gg_db_col_copy(st, 0, name, namesz);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_field(err, GG_E_INVALID, "bank_id", "organisation %lld is not a partner bank",
		                    (long long)bank_id);
	return rc;
}

static void notice_text(struct gg_card_notice *n)
{
	snprintf(n->text, sizeof n->text,
	         "光谷数字人才卡申请告知：为办理与%s联名发行的人才卡（含联名借记卡），"
	         "我们将向%s提供您的以下个人信息：姓名、证件号码、手机号码，仅用于该行的客户身份核验与发卡；"
	         "银行每次查阅均被记录，您可在个人页面查看。\n"
	         "Digital talent card notice: to issue the card co-branded with %s (with its debit card), "
	         "we give %s the following personal data: name, ID number and phone number, used only for "
	         "the bank's customer checks and the issue; every read by the bank is recorded and shown to you.",
	         n->bank_name, n->bank_name, n->bank_name, n->bank_name);
	gg_crypto_sha256_hex(n->text, strlen(n->text), n->hash);
}

enum gg_err gg_card_notice(struct gg_db *db, int64_t bank_id, struct gg_card_notice *out, struct gg_error *err)
{
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	out->bank_id = bank_id;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = bank_of(db, bank_id, out->bank_name, sizeof out->bank_name, err);
	gg_db_rollback(db);
	if (rc == GG_OK)
		notice_text(out);
	return rc;
}

enum gg_err gg_card_banks(struct gg_db *db, struct gg_card_bank *out, size_t max, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT id, name FROM orgs WHERE kind = 'bank' ORDER BY pinyin, id", &st, err);
	while (rc == GG_OK && *n < max && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		out[*n].id = gg_db_col_i64(st, 0);
		gg_db_col_copy(st, 1, out[*n].name, sizeof out[*n].name);
		(*n)++;
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}

/* Appends a card_events row. */
static enum gg_err event(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *from, const char *to,
                         const char *reason, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "INSERT INTO card_events (card_id, from_status, to_status, reason, by_user, at)"
	                   " VALUES (?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, from);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, to);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

/* Opens task kind about card id for talent, scoped to bank (0: unscoped). */
static enum gg_err open_task(struct gg_db *db, const struct gg_actor *actor, enum gg_task_kind kind, int64_t id,
                             int64_t bank, const char *talent, struct gg_error *err)
{
	char label[256], link[64];
	struct gg_task_new t = {.kind = kind,
	                        .subject_id = id,
	                        .label = label,
	                        .link = link,
	                        .scope_kind = bank ? GG_SCOPE_ORG : GG_SCOPE_NONE,
	                        .scope_id = bank};

	snprintf(label, sizeof label, "%.120s 人才卡%s", talent ? talent : "",
	         kind == GG_TASK_card_review ? "申请待审核" : "待发卡");
	snprintf(link, sizeof link, "/cards/%lld", (long long)id);
	return gg_task_open(db, actor, &t, NULL, NULL, err);
}

static int is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* The talent's name, tier and commissioner, in the caller's transaction; GG_E_NOT_FOUND when unknown or merged. */
static enum gg_err talent_of(struct gg_db *db, int64_t id, struct gg_card *c, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT name, tier, COALESCE(commissioner_id, 0) FROM talents WHERE id = ?"
	                   " AND merged_into IS NULL",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		c->talent_id = id;
		gg_db_col_copy(st, 0, c->talent_name, sizeof c->talent_name);
		gg_db_col_copy(st, 1, c->tier, sizeof c->tier);
		c->commissioner_id = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_field(err, GG_E_NOT_FOUND, "talent_id", "unknown talent %lld", (long long)id);
	return rc;
}

enum gg_err gg_card_apply(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                          const struct gg_principal *pr, const struct gg_card_apply *in, int64_t *id,
                          struct gg_error *err)
{
	struct gg_card c;
	struct gg_card_notice notice;
	struct gg_policy_params params;
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *pver = NULL;
	struct gg_stmt *st = NULL;
	int64_t today = 0, now = gg_clock_now();
	int row = 0, eligible, found = 0;
	enum gg_err rc;

	*id = 0;
	memset(&c, 0, sizeof c);
	if (in->talent_id <= 0)
		gg_error_field(err, GG_E_INVALID, "talent_id", "talent_id is a talent's id");
	if (in->bank_id <= 0)
		gg_error_field(err, GG_E_INVALID, "bank_id", "bank_id is a partner bank's id");
	if (in->consent != 1)
		gg_error_field(err, GG_E_INVALID, "consent", "consent must be true: the notice must be accepted");
	if (!is_hex64(in->consent_hash))
		gg_error_field(err, GG_E_INVALID, "consent_hash",
		               "consent_hash is the hash of the notice shown (64 lower-case hex digits)");
	if (err->code != GG_OK)
		return err->code;
	if ((rc = gg_policyset_need(set, err)) != GG_OK || (rc = gg_clock_today(&today, err)) != GG_OK)
		return rc;
	if ((rc = gg_policyset_params_on(set, NULL, today, &params, &pack, &pver, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = talent_of(db, in->talent_id, &c, err)) != GG_OK)
		goto out;
	c.bank_id = in->bank_id;
	if (!reaches(pr, GG_PERM_cards_apply, &c)) {
		rc = gg_error_field(err, GG_E_NOT_FOUND, "talent_id", "unknown talent %lld", (long long)in->talent_id);
		goto out;
	}
	memset(&notice, 0, sizeof notice);
	if ((rc = bank_of(db, in->bank_id, notice.bank_name, sizeof notice.bank_name, err)) != GG_OK)
		goto out;
	notice_text(&notice);
	if (strcmp(notice.hash, in->consent_hash) != 0) {
		rc = gg_error_field(err, GG_E_CONFLICT, "consent_hash",
		                    "the notice of bank %lld is not the one consented to: show it again",
		                    (long long)in->bank_id);
		goto out;
	}
	if ((rc = gg_db_query_i64(db,
	                          "SELECT id FROM cards WHERE talent_id = ? AND status IN ('applied', 'approved',"
	                          " 'issuing', 'active', 'suspended')",
	                          &in->talent_id, 1, id, &found, err)) != GG_OK)
		goto out;
	if (found) {
		rc = gg_error_set(err, GG_E_DUPLICATE, "talent %lld already holds card %lld", (long long)in->talent_id,
		                  (long long)*id);
		*id = 0;
		goto out;
	}
	if ((rc = gg_policyset_stamp(db, pack, pver, NULL, err)) != GG_OK)
		goto out;
	eligible = gg_pack_card_tier(pver, c.tier[0] ? c.tier : NULL);
	rc = gg_db_prepare(db,
	                   "INSERT INTO cards (talent_id, bank_id, status, tier, eligible, auto_approved, policy_pack,"
	                   " policy_version, consent_hash, consent_at, applied_by, applied_at, decided_at, updated_at)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, in->bank_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, eligible ? "approved" : "applied");
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, c.tier[0] ? c.tier : NULL);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, eligible);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, eligible);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, pack->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 8, pver->version);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 9, in->consent_hash);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, now);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 11, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 12, now);
	if (rc == GG_OK)
		rc = eligible ? gg_db_bind_i64(st, 13, now) : gg_db_bind_null(st, 13);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 14, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_E_DUPLICATE) /* a concurrent application won the live-card index */
		rc = gg_error_set(err, GG_E_DUPLICATE, "talent %lld already holds a live card",
		                  (long long)in->talent_id);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK)
		rc = event(db, actor, *id, NULL, "applied", NULL, err);
	if (rc == GG_OK && eligible)
		rc = event(db, actor, *id, "applied", "approved", "auto_approved", err);
	if (rc == GG_OK) {
		char bank[24];
		const struct gg_audit_change ch[] = {{"talent", NULL, c.talent_name},
		                                     {"bank", NULL, bank},
		                                     {"status", NULL, eligible ? "approved" : "applied"},
		                                     {"tier", NULL, c.tier[0] ? c.tier : NULL},
		                                     {"eligible", NULL, eligible ? "true" : "false"},
		                                     {"policy", NULL, pver->version},
		                                     {"consent_hash", NULL, in->consent_hash}};
		snprintf(bank, sizeof bank, "%lld", (long long)in->bank_id);
		rc = gg_audit_by(db, actor, "card.apply", "card", *id, ch, 7, err);
	}
	if (rc == GG_OK)
		rc = eligible ? open_task(db, actor, GG_TASK_card_issue, *id, in->bank_id, c.talent_name, err)
		              : open_task(db, actor, GG_TASK_card_review, *id, 0, c.talent_name, err);
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*id = 0;
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

/* The day of day plus years years (29 February to 1 March). */
static int64_t plus_years(int64_t day, int years)
{
	int64_t y;
	int m, d;

	gg_clock_civil_from_days(day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		m = 3;
		d = 1;
	}
	return gg_clock_days_from_civil(y, m, d);
}

/* Checks an action's input before any transaction. */
static enum gg_err check_input(enum gg_card_action a, const struct gg_card_act *in, int64_t today, struct gg_error *err)
{
	int64_t issued = 0;

	if (machine[a].needs_reason) {
		if (!in->reason || !in->reason[0])
			gg_error_field(err, GG_E_INVALID, "reason", "a reason is required");
		else if (chars(in->reason) > GG_CARD_REASON_MAX)
			gg_error_field(err, GG_E_INVALID, "reason", "a reason is at most %d characters",
			               GG_CARD_REASON_MAX);
	}
	if (a == GG_CARDA_ISSUE) {
		const char *l4 = in->debit_last4;

		if (!l4 || strlen(l4) != 4 || strspn(l4, "0123456789") != 4)
			gg_error_field(err, GG_E_INVALID, "debit_last4",
			               "debit_last4 is the last four digits of the co-branded debit card");
		if (!in->issued_on || gg_pack_parse_day(in->issued_on, &issued) != 0)
			gg_error_field(err, GG_E_INVALID, "issued_on", "issued_on is the day of issue, YYYY-MM-DD");
		else if (issued > today)
			gg_error_field(err, GG_E_INVALID, "issued_on", "issued_on %s is after today", in->issued_on);
		if (in->valid_years < 1 || in->valid_years > 20)
			gg_error_field(err, GG_E_INVALID, "valid_years", "card_valid_years is 1 to 20, not %d",
			               in->valid_years);
	}
	return err->code;
}

enum gg_err gg_card_act(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
                        enum gg_card_action a, const struct gg_card_act *in, struct gg_error *err)
{
	static const struct gg_card_act none = {0};
	struct gg_card c;
	struct gg_stmt *st = NULL;
	char no[GG_CARD_NO_LEN + 1] = "", from[11] = "", to[11] = "";
	const char *reason;
	int64_t today = 0, now = gg_clock_now();
	int row = 0;
	enum gg_err rc;

	if ((int)a < 0 || a >= GG_CARDA__COUNT)
		return gg_error_set(err, GG_E_INVALID, "unknown card action");
	if (!in)
		in = &none;
	if ((rc = gg_clock_today(&today, err)) != GG_OK || (rc = check_input(a, in, today, err)) != GG_OK)
		return rc;
	reason = machine[a].needs_reason ? in->reason : NULL;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = load(db, id, &c, err)) != GG_OK || (rc = check(&c, pr, a, err)) != GG_OK)
		goto out;
	if (in->expected_version && in->expected_version != c.version) {
		rc = gg_error_set(err, GG_E_STALE, "card %lld is at version %lld, not %lld", (long long)id,
		                  (long long)c.version, (long long)in->expected_version);
		goto out;
	}
	if (a == GG_CARDA_ISSUE) {
		if (gg_card_number(id, no) != 0) {
			rc = gg_error_set(err, GG_E_INTERNAL, "card %lld has no number", (long long)id);
			goto out;
		}
		gg_clock_day_text(today, from);
		gg_clock_day_text(plus_years(today, in->valid_years), to);
	}
	rc = gg_db_prepare(
	    db,
	    "UPDATE cards SET status = ?, reason = COALESCE(?, reason), updated_at = ?, version = version + 1,"
	    " decided_by = CASE WHEN ? THEN ? ELSE decided_by END, decided_at = CASE WHEN ? THEN ? ELSE decided_at END,"
	    " bank_accepted_by = CASE WHEN ? THEN ? ELSE bank_accepted_by END,"
	    " bank_accepted_at = CASE WHEN ? THEN ? ELSE bank_accepted_at END,"
	    " card_no = COALESCE(?, card_no), valid_from = COALESCE(?, valid_from), valid_to = COALESCE(?, valid_to),"
	    " debit_last4 = COALESCE(?, debit_last4), debit_issued_on = COALESCE(?, debit_issued_on) WHERE id = ?",
	    &st, err);
	{
		int decided = a == GG_CARDA_APPROVE || (a == GG_CARDA_REJECT && c.status == GG_CARD_APPLIED);
		int accepted = a == GG_CARDA_ACCEPT;
		int issue = a == GG_CARDA_ISSUE;
		int64_t uid = actor ? actor->id : 0;

		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 1, status_tokens[machine[a].to]);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 2, reason);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 3, now);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, decided);
		if (rc == GG_OK)
			rc = gg_db_bind_id(st, 5, uid);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 6, decided);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 7, now);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 8, accepted);
		if (rc == GG_OK)
			rc = gg_db_bind_id(st, 9, uid);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 10, accepted);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 11, now);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 12, issue ? no : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 13, issue ? from : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 14, issue ? to : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 15, issue ? in->debit_last4 : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 16, issue ? in->issued_on : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 17, id);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	if (rc == GG_OK)
		rc = event(db, actor, id, status_tokens[c.status], status_tokens[machine[a].to], reason, err);
	if (rc == GG_OK) {
		char action[32];
		const struct gg_audit_change ch[] = {
		    {"status", status_tokens[c.status], status_tokens[machine[a].to]},
		    {"reason", NULL, reason},
		    {"card_no", NULL, a == GG_CARDA_ISSUE ? no : NULL},
		    {"valid_to", NULL, a == GG_CARDA_ISSUE ? to : NULL},
		    {"debit_last4", NULL, a == GG_CARDA_ISSUE ? in->debit_last4 : NULL}};
		snprintf(action, sizeof action, "card.%s", machine[a].token);
		rc = gg_audit_by(db, actor, action, "card", id, ch, a == GG_CARDA_ISSUE ? 5 : 2, err);
	}
	/* the tasks: the officer's review closes on a decision, the bank's on its own */
	if (rc == GG_OK && (a == GG_CARDA_APPROVE || a == GG_CARDA_REJECT))
		rc = gg_task_close(db, actor, GG_TASK_card_review, id, a == GG_CARDA_APPROVE ? "approved" : "rejected",
		                   NULL, err);
	if (rc == GG_OK && a == GG_CARDA_APPROVE)
		rc = open_task(db, actor, GG_TASK_card_issue, id, c.bank_id, c.talent_name, err);
	if (rc == GG_OK && (a == GG_CARDA_ISSUE || a == GG_CARDA_BANK_REJECT || a == GG_CARDA_REJECT))
		rc = gg_task_close(db, actor, GG_TASK_card_issue, id, a == GG_CARDA_ISSUE ? "issued" : "rejected", NULL,
		                   err);
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

enum gg_err gg_card_expire(struct gg_db *db, const struct gg_actor *actor, int64_t today_day, int64_t *expired,
                           struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t *ids = NULL;
	char(*from)[16] = NULL, today[11];
	size_t n = 0, cap = 0;
	int row = 0;
	enum gg_err rc;

	*expired = 0;
	gg_clock_day_text(today_day, today);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT id, status FROM cards WHERE status IN ('active', 'suspended') AND valid_to <= ?"
	                   " ORDER BY id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, today);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *gi = realloc(ids, ncap * sizeof *ids);
			char(*gf)[16];

			if (gi)
				ids = gi;
			gf = gi ? realloc(from, ncap * sizeof *from) : NULL;
			if (!gf) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			from = gf;
			cap = ncap;
		}
		ids[n] = gg_db_col_i64(st, 0);
		gg_db_col_copy(st, 1, from[n], sizeof from[n]);
		n++;
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		const int64_t args[] = {gg_clock_now(), ids[i]};
		const struct gg_audit_change ch[] = {{"status", from[i], "expired"}};

		rc = gg_db_run_i64(
		    db, "UPDATE cards SET status = 'expired', updated_at = ?, version = version + 1 WHERE id = ?", args,
		    2, err);
		if (rc == GG_OK)
			rc = event(db, actor, ids[i], from[i], "expired", NULL, err);
		if (rc == GG_OK)
			rc = gg_audit_by(db, actor, "card.expire", "card", ids[i], ch, 1, err);
		if (rc == GG_OK)
			(*expired)++;
	}
	free(ids);
	free(from);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*expired = 0;
	return rc;
}

enum gg_err gg_card_events(struct gg_db *db, int64_t id, struct gg_card_event *out, size_t max, size_t *n,
                           struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT e.id, e.from_status, e.to_status, e.reason, COALESCE(e.by_user, 0), u.display_name,"
	                   " e.at FROM card_events e LEFT JOIN users u ON u.id = e.by_user WHERE e.card_id = ?"
	                   " ORDER BY e.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	while (rc == GG_OK && *n < max && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_card_event *e = &out[(*n)++];

		memset(e, 0, sizeof *e);
		e->id = gg_db_col_i64(st, 0);
		gg_db_col_copy(st, 1, e->from_status, sizeof e->from_status);
		gg_db_col_copy(st, 2, e->to_status, sizeof e->to_status);
		gg_db_col_copy(st, 3, e->reason, sizeof e->reason);
		e->by_user = gg_db_col_i64(st, 4);
		gg_db_col_copy(st, 5, e->by_name, sizeof e->by_name);
		e->at = gg_db_col_i64(st, 6);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}

void gg_card_scope(const struct gg_principal *pr, struct gg_card_query *q)
{
	q->unscoped = 0;
	q->nbanks = q->ntalents = 0;
	q->scope_commissioner = 0;
	if (!pr) {
		q->unscoped = 1;
		return;
	}
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, GG_PERM_cards_read))
			continue;
		if (g->role == GG_ROLE_commissioner)
			q->scope_commissioner = pr->user_id;
		else if (g->scope_kind == GG_SCOPE_NONE) {
			q->unscoped = 1;
			q->nbanks = q->ntalents = 0;
			q->scope_commissioner = 0;
			return;
		} else if (g->scope_kind == GG_SCOPE_ORG && q->nbanks < 16)
			q->scope_banks[q->nbanks++] = g->scope_id;
		else if (g->scope_kind == GG_SCOPE_TALENT && q->ntalents < 16)
			q->scope_talents[q->ntalents++] = g->scope_id;
	}
}

static int scope_empty(const struct gg_card_query *q)
{
	return !q->unscoped && q->nbanks == 0 && q->ntalents == 0 && q->scope_commissioner == 0;
}

/* Appends the scope's condition; binds come after the others in the same order (bind_scope). */
static void add_scope(struct gg_buf *sql, const struct gg_card_query *q)
{
	if (q->unscoped)
		return;
	gg_buf_adds(sql, " AND (0");
	for (size_t i = 0; i < q->nbanks; i++)
		gg_buf_adds(sql, " OR c.bank_id = ?");
	for (size_t i = 0; i < q->ntalents; i++)
		gg_buf_adds(sql, " OR c.talent_id = ?");
	if (q->scope_commissioner)
		gg_buf_adds(sql, " OR t.commissioner_id = ?");
	gg_buf_adds(sql, ")");
}

static enum gg_err bind_scope(struct gg_stmt *st, int *idx, const struct gg_card_query *q)
{
	enum gg_err rc = GG_OK;

	if (q->unscoped)
		return GG_OK;
	for (size_t i = 0; rc == GG_OK && i < q->nbanks; i++)
		rc = gg_db_bind_i64(st, (*idx)++, q->scope_banks[i]);
	for (size_t i = 0; rc == GG_OK && i < q->ntalents; i++)
		rc = gg_db_bind_i64(st, (*idx)++, q->scope_talents[i]);
	if (rc == GG_OK && q->scope_commissioner)
		rc = gg_db_bind_i64(st, (*idx)++, q->scope_commissioner);
	return rc;
}

enum gg_err gg_card_list(struct gg_db *db, const struct gg_card_query *q, struct gg_card *out, size_t *n, int *more,
                         struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	char like[256];
	int idx = 1;
	enum gg_err rc;

	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_CARD_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_CARD_LIMIT_MAX);
	if (scope_empty(q))
		return GG_OK;
	if (q->q) {
		size_t j = 0;

		like[j++] = '%';
		for (const char *s = q->q; *s && j < sizeof like - 3; s++) {
			if (*s == '%' || *s == '_' || *s == '\\')
				like[j++] = '\\';
			like[j++] = *s;
		}
		like[j++] = '%';
		like[j] = '\0';
	}
	gg_buf_init(&sql, 8192);
	gg_buf_adds(&sql, SELECT_CARD " WHERE c.id > ?");
	if (q->status >= 0)
		gg_buf_adds(&sql, " AND c.status = ?");
	if (q->bank_id)
		gg_buf_adds(&sql, " AND c.bank_id = ?");
	if (q->talent_id)
		gg_buf_adds(&sql, " AND c.talent_id = ?");
	if (q->q)
		gg_buf_adds(&sql, " AND (t.name LIKE ? ESCAPE '\\' OR c.card_no LIKE ? ESCAPE '\\')");
	add_scope(&sql, q);
	gg_buf_adds(&sql, " ORDER BY c.id LIMIT ?");
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		gg_buf_release(&sql);
		return rc;
	}
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->after_id);
	if (rc == GG_OK && q->status >= 0)
		rc = gg_db_bind_text(st, idx++, status_tokens[q->status]);
	if (rc == GG_OK && q->bank_id)
		rc = gg_db_bind_i64(st, idx++, q->bank_id);
	if (rc == GG_OK && q->talent_id)
		rc = gg_db_bind_i64(st, idx++, q->talent_id);
	if (rc == GG_OK && q->q) {
		rc = gg_db_bind_text(st, idx++, like);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, idx++, like);
	}
	if (rc == GG_OK)
		rc = bind_scope(st, &idx, q);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->limit + 1);
	if (rc == GG_OK)
		rc = gg_db_page(st, row_of, out, sizeof *out, (size_t)q->limit, n, more, err);
	gg_db_done(st);
	gg_db_rollback(db);
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		*n = 0;
		*more = 0;
	}
	return rc;
}

enum gg_err gg_card_stats(struct gg_db *db, const struct gg_card_query *scope, struct gg_card_stats *out,
                          struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	int idx = 1, row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	if (scope_empty(scope))
		return GG_OK;
	gg_buf_init(&sql, 4096);
	gg_buf_adds(&sql,
	            "SELECT c.bank_id, o.name, c.status, count(*) FROM cards c JOIN talents t ON t.id = c.talent_id"
	            " JOIN orgs o ON o.id = c.bank_id WHERE 1");
	add_scope(&sql, scope);
	gg_buf_adds(&sql, " GROUP BY c.bank_id, c.status ORDER BY c.bank_id");
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		gg_buf_release(&sql);
		return rc;
	}
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = bind_scope(st, &idx, scope);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t bank = gg_db_col_i64(st, 0), count = gg_db_col_i64(st, 3);
		int s = gg_card_status_lookup(gg_db_col_text(st, 2));
		struct gg_card_bank_stats *b = out->nbanks ? &out->banks[out->nbanks - 1] : NULL;

		if (s < 0)
			continue;
		out->total += count;
		out->by_status[s] += count;
		if (!b || b->bank_id != bank) {
			if (out->nbanks == GG_CARD_BANKS_MAX)
				continue;
			b = &out->banks[out->nbanks++];
			b->bank_id = bank;
			gg_db_col_copy(st, 1, b->bank_name, sizeof b->bank_name);
		}
		b->total += count;
		b->by_status[s] += count;
	}
	gg_db_done(st);
	gg_db_rollback(db);
	gg_buf_release(&sql);
	return rc;
}

void gg_card_applicant_wipe(struct gg_card_applicant *out)
{
	memset(out, 0, sizeof *out);
}

enum gg_err gg_card_applicant_read(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                                   const struct gg_principal *pr, int64_t id, struct gg_card_applicant *out,
                                   struct gg_error *err)
{
	struct gg_card c;
	struct gg_talent *t = NULL;
	struct gg_talent_pii pii;
	struct gg_stmt *st = NULL;
	char purpose[64];
	int row = 0;
	enum gg_err rc;

	gg_card_applicant_wipe(out);
	memset(&pii, 0, sizeof pii);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = load(db, id, &c, err)) != GG_OK)
		goto out;
	/* only the card's own bank (an org-scoped cards_pii grant) or an unscoped holder */
	if (!reaches(pr, GG_PERM_cards_pii, &c) || (pr && !gg_principal_can(pr, GG_PERM_cards_pii))) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)id);
		goto out;
	}
	if ((rc = gg_talent_get(db, c.talent_id, &t, err)) != GG_OK ||
	    (rc = gg_talent_decrypt(keys, t, GG_PII_DOCUMENT | GG_PII_PHONE, &pii, err)) != GG_OK)
		goto out;
	snprintf(purpose, sizeof purpose, "card %lld: the bank's customer checks", (long long)id);
	rc = gg_db_prepare(db,
	                   "INSERT INTO pii_reads (talent_id, reader_id, reader, fields, purpose, at, request_id)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, c.talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, actor && actor->name ? actor->name : "cli");
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, "document;phone");
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, purpose);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, actor ? actor->request_id : NULL);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		char talent[24];
		const struct gg_audit_change ch[] = {{"talent", NULL, talent}, {"fields", NULL, "name;document;phone"}};

		snprintf(talent, sizeof talent, "%lld", (long long)c.talent_id);
		rc = gg_audit_by(db, actor, "card.applicant_read", "card", id, ch, 2, err);
	}
	if (rc == GG_OK) {
		gg_strlcpy(out->name, c.talent_name, sizeof out->name);
		if (pii.present & GG_PII_DOCUMENT) {
			gg_strlcpy(out->doc_type, pii.doc_type, sizeof out->doc_type);
			gg_strlcpy(out->doc_number, pii.doc_number, sizeof out->doc_number);
		}
		if (pii.present & GG_PII_PHONE)
			gg_strlcpy(out->phone, pii.phone, sizeof out->phone);
	}
out:
	gg_talent_pii_wipe(&pii);
	gg_talent_free(t);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		gg_card_applicant_wipe(out);
	return rc;
}

enum gg_err gg_card_token(struct gg_db *db, const struct gg_keys *keys, const struct gg_principal *pr, int64_t id,
                          int ttl_seconds, struct gg_cardtoken_minted *out, struct gg_error *err)
{
	struct gg_card c;
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	/* a token is no state change of the card: no audit row (it is not a decision, and one is minted a minute) */
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = load(db, id, &c, err)) != GG_OK)
		goto out;
	if (!gg_card_may_read(pr, &c)) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)id);
		goto out;
	}
	if (!gg_card_may_show(pr, &c)) {
		rc = gg_error_set(err, GG_E_FORBIDDEN, "only the card's holder may show card %lld", (long long)id);
		goto out;
	}
	if (c.status != GG_CARD_ACTIVE) {
		rc = gg_error_set(err, GG_E_CONFLICT, "card %lld is %s, not active", (long long)id,
		                  status_tokens[c.status]);
		goto out;
	}
	rc = gg_cardtoken_mint(db, keys, id, c.tier[0] ? c.tier : "other", gg_clock_now(), ttl_seconds, out, err);
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}
