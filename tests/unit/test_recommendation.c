/*
 * test_recommendation: the recruitment list on a migrated SQLite database
 * with the shipped policy pack (recommendation_quota 5) and the clock set
 * by GUANGGU_TEST_NOW. The state machine table is whole and
 * docs/recommendations.md shows it row by row; allowed_actions
 * per role follow it; a recommendation goes draft -> submitted -> under
 * review -> approved, opening and closing its review task, recognising the
 * talent with a trace that names the quota, the version and the reason,
 * and keeping its history; a decision without a reason, an action the
 * state does not allow, a stale version, another organisation, an
 * invisible talent, a second live recommendation and strategic_scientist
 * are refused with nothing written; the quota counts per employer and
 * calendar year of the first submission (Asia/Shanghai): drafts do not
 * count, a returned and resubmitted one counts once, a rejected one
 * counts, a withdrawal before review frees the slot, one after review
 * does not.
 */
#include "unit_recognition.h"

#include "core/clock.h"
#include "domain/recommendation.h"

static const struct gg_actor employer_actor = {8, "hr1", "req-8"};

static struct gg_principal officer, employer, employer2, admin, leader;

static void principal(struct gg_principal *p, int64_t uid, enum gg_role role, int64_t org)
{
	memset(p, 0, sizeof *p);
	p->kind = GG_AUTH_SESSION;
	p->user_id = uid;
	p->nroles = 1;
	p->roles[0].role = role;
	p->roles[0].scope_kind = org ? GG_SCOPE_ORG : GG_SCOPE_NONE;
	p->roles[0].scope_id = org;
}

/* Besides the fixture's: organisation 2, two employers' accounts, talents 3-8 of organisation 1 and 9 of 2. */
#define ROWS                                                                                                             \
	"INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"                                       \
	" (2, '江城测试研究院', 'jiang cheng ce shi yan jiu yuan', 'rd_unit', 0, 0);"                             \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"                   \
	" (8, 'hr1', 'HR 1', 'x', 0, 0), (9, 'hr2', 'HR 2', 'x', 0, 0);"                                                 \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES"                      \
	" (3, '测试丙', 'ce shi bing', 'ceshibing', 1, 0, 0), (4, '测试丁', 'ce shi ding', 'ceshiding', 1, 0, 0)," \
	" (5, '测试戊', 'ce shi wu', 'ceshiwu', 1, 0, 0), (6, '测试己', 'ce shi ji', 'ceshiji', 1, 0, 0),"         \
	" (7, '测试庚', 'ce shi geng', 'ceshigeng', 1, 0, 0), (8, '测试辛', 'ce shi xin', 'ceshixin', 1, 0, 0),"   \
	" (9, '测试壬', 'ce shi ren', 'ceshiren', 2, 0, 0)"

static int setup(void **state)
{
	principal(&officer, 7, GG_ROLE_bureau_officer, 0);
	principal(&employer, 8, GG_ROLE_employer, 1);
	principal(&employer2, 9, GG_ROLE_employer, 2);
	principal(&admin, 10, GG_ROLE_bureau_admin, 0);
	principal(&leader, 11, GG_ROLE_leader, 0);
	*state = unit_recognition_open("2026-03-02T02:00:00Z", ROWS);
	return *state ? 0 : -1;
}

static int64_t count(struct gg_db *db, const char *sql)
{
	return unit_db_i64(db, sql);
}

/* A draft of org for talent at tier with a justification, by the employer of org 1 (NULL pr for others). */
static int64_t draft(struct rfx *r, int64_t org, int64_t talent, const char *tier)
{
	struct gg_recommendation_input in = {
	    .org_id = org, .talent_id = talent, .proposed_tier = tier, .justification = "团队在硅光芯片方向填补空白"};
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	if (gg_recommendation_create(r->fx->db, &employer_actor, org == 1 ? &employer : NULL, &in, &id, &err) != GG_OK)
		fail_msg("create: %s", gg_error_message(&err));
	return id;
}

/* Takes action on id as actor/pr with reason; returns the result, err filled. */
static enum gg_err act(struct rfx *r, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
                       enum gg_rec_action a, const char *reason, struct gg_error *err)
{
	struct gg_rec_request rq = {.action = a, .reason = reason};

	gg_error_init(err);
	return gg_recommendation_act(r->fx->db, r->set, actor, pr, id, &rq, err);
}

static void ok(struct rfx *r, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
               enum gg_rec_action a, const char *reason)
{
	struct gg_error err;

	if (act(r, actor, pr, id, a, reason, &err) != GG_OK)
		fail_msg("%s %lld: %s", gg_rec_machine[a].token, (long long)id, gg_error_message(&err));
}

static unsigned allowed(struct rfx *r, int64_t id, const struct gg_principal *pr)
{
	struct gg_recommendation *rec = NULL;
	struct gg_error err;
	unsigned bits;

	gg_error_init(&err);
	assert_int_equal(gg_recommendation_get(r->fx->db, id, 0, &rec, &err), GG_OK);
	bits = gg_recommendation_allowed_actions(rec, pr);
	gg_recommendation_free(rec);
	return bits;
}

#define A(x) (1u << GG_REC_##x)

static void test_machine(void **state)
{
	(void)state;
	for (int a = 0; a < GG_REC_ACTION__COUNT; a++) {
		const struct gg_rec_transition *t = &gg_rec_machine[a];
		assert_non_null(t->token);
		assert_int_equal(gg_rec_action_lookup(t->token), a);
		assert_true(t->from != 0);
		assert_true(t->to >= -1 && t->to < GG_REC_STATUS__COUNT);
		/* no action leaves a decided state */
		assert_int_equal(t->from & (GG_REC_STATE(GG_REC_APPROVED) | GG_REC_STATE(GG_REC_REJECTED) |
		                            GG_REC_STATE(GG_REC_WITHDRAWN)),
		                 0);
	}
	for (int s = 0; s < GG_REC_STATUS__COUNT; s++)
		assert_int_equal(gg_rec_status_lookup(gg_rec_status_token((enum gg_rec_status)s)), s);
	assert_int_equal(gg_rec_action_lookup("create"), -1);
	assert_int_equal(gg_rec_status_lookup("pending"), -1);
	/* the decisions need a reason; approve alone takes a tier */
	assert_true(gg_rec_machine[GG_REC_APPROVE].needs_reason && gg_rec_machine[GG_REC_REJECT].needs_reason &&
	            gg_rec_machine[GG_REC_RETURN].needs_reason);
	assert_false(gg_rec_machine[GG_REC_SUBMIT].needs_reason || gg_rec_machine[GG_REC_WITHDRAW].needs_reason);
	for (int a = 0; a < GG_REC_ACTION__COUNT; a++)
		assert_int_equal(gg_rec_machine[a].takes_tier, a == GG_REC_APPROVE);
}

/* docs/recommendations.md shows the machine's table: each row as the code has it. */
static void test_machine_documented(void **state)
{
	char doc[32768], line[512], from[160], perm[64];

	(void)state;
	unit_read_file("docs/recommendations.md", doc, sizeof doc);
	for (int a = 0; a < GG_REC_ACTION__COUNT; a++) {
		const struct gg_rec_transition *t = &gg_rec_machine[a];
		size_t n = 0;

		from[0] = '\0';
		for (int st = 0; st < GG_REC_STATUS__COUNT; st++)
			if (t->from & GG_REC_STATE(st))
				n += (size_t)snprintf(from + n, sizeof from - n, "%s%s", n ? ", " : "",
				                      gg_rec_status_token((enum gg_rec_status)st));
		snprintf(perm, sizeof perm, "%s", gg_perm_token(t->perm));
		snprintf(line, sizeof line, "| `%s` | %s | %s | `%s` | %s | %s |", t->token, from,
		         t->to < 0 ? "(unchanged)" : gg_rec_status_token((enum gg_rec_status)t->to), perm,
		         t->needs_reason ? "required" : "no",
		         !t->task                       ? "\xE2\x80\x94"
		         : strcmp(t->task, "open") == 0 ? "opens"
		                                        : "closes");
		if (!strstr(doc, line))
			fail_msg("docs/recommendations.md lacks the row: %s", line);
	}
}

static void test_flow_to_approval(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_recommendation *rec = NULL;
	struct gg_recognition *recog = NULL;
	struct gg_rec_request rq = {
	    .action = GG_REC_APPROVE, .reason = "满足推荐条件，同意认定", .tier = "leading_talent"};
	struct gg_error err;
	int64_t id = draft(r, 1, 1, "high_level");

	/* a draft: the employer edits, submits or withdraws it; the bureau has nothing to do yet */
	assert_int_equal(allowed(r, id, &employer), A(EDIT) | A(SUBMIT) | A(WITHDRAW));
	assert_int_equal(allowed(r, id, &officer), 0);
	assert_int_equal(allowed(r, id, &leader), 0);
	assert_int_equal(allowed(r, id, &employer2), 0);
	assert_int_equal(allowed(r, id, &admin), A(EDIT) | A(SUBMIT) | A(WITHDRAW));

	ok(r, &employer_actor, &employer, id, GG_REC_SUBMIT, NULL);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'recommendation_review' AND closed_at IS NULL"), 1);
	assert_int_equal(allowed(r, id, &employer), A(WITHDRAW));
	assert_int_equal(allowed(r, id, &officer), A(REVIEW));

	ok(r, &unit_officer, &officer, id, GG_REC_REVIEW, NULL);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'recommendation_review' AND closed_at IS NULL"), 0);
	assert_int_equal(allowed(r, id, &officer), A(APPROVE) | A(REJECT) | A(RETURN));
	assert_int_equal(allowed(r, id, &admin), A(WITHDRAW) | A(APPROVE) | A(REJECT) | A(RETURN));

	/* approve at a tier other than the one proposed */
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &unit_officer, &officer, id, &rq, &err), GG_OK);
	assert_int_equal(gg_recommendation_get(db, id, 1, &rec, &err), GG_OK);
	assert_int_equal(rec->status, GG_REC_APPROVED);
	assert_string_equal(rec->decided_tier, "leading_talent");
	assert_string_equal(rec->decision_reason, "满足推荐条件,同意认定"); /* NFKC */
	assert_string_equal(rec->submitted_on, "2026-03-02");
	assert_int_equal(rec->quota_year, 2026);
	assert_int_equal(rec->quota_seq, 1);
	assert_int_equal(rec->quota_limit, 5);
	assert_string_equal(rec->reviewer_name, "olga");
	assert_int_equal(rec->reviewer_id, 7);
	assert_true(rec->recognition_id > 0);
	assert_int_equal(allowed(r, id, &admin), 0);
	/* the history: create, submit, review, approve */
	assert_int_equal(rec->nevents, 4);
	assert_string_equal(rec->events[0].action, "create");
	assert_string_equal(rec->events[0].from_status, "");
	assert_string_equal(rec->events[1].action, "submit");
	assert_string_equal(rec->events[2].to_status, "under_review");
	assert_string_equal(rec->events[3].action, "approve");
	assert_string_equal(rec->events[3].reason, "满足推荐条件,同意认定");
	assert_string_equal(rec->events[3].actor_name, "olga");

	/* the recognition: basis recommendation, the employer, the approval day, a trace naming quota, version, reason
	 */
	assert_int_equal(gg_recognition_get(db, rec->recognition_id, &recog, &err), GG_OK);
	assert_int_equal(recog->basis, GG_BASIS_RECOMMENDATION);
	assert_int_equal(recog->source_id, id);
	assert_int_equal(recog->org_id, 1);
	assert_string_equal(recog->tier, "leading_talent");
	assert_string_equal(recog->effective_on, "2026-03-02");
	assert_string_equal(recog->reason, "满足推荐条件,同意认定");
	assert_string_equal(recog->version, "2024.1");
	assert_non_null(strstr(recog->trace, "slot 1 of 5 for 2026"));
	assert_non_null(strstr(recog->trace, "taken up for review on 2026-03-02 by 'olga'"));
	assert_non_null(strstr(recog->trace, "recommendation_quota 5 of optics-valley-2024 version 2024.1"));
	assert_non_null(strstr(recog->trace, "(proposed: 'high_level')"));
	assert_non_null(strstr(recog->trace, "reason: 满足推荐条件,同意认定"));
	assert_non_null(strstr(recog->trace, "tier of talent 1: none -> leading_talent"));
	gg_recognition_free(recog);
	gg_recommendation_free(rec);

	/* every action audited with the history row beside it */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'recommendation' AND entity_id = 1"),
	                 4);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'recommendation.approve'"
	                           " AND changes LIKE '%decided_tier%' AND changes LIKE '%recognition_id%'"),
	                 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM talents WHERE id = 1 AND tier = 'leading_talent'"), 1);
	/* an approved one is not live: the employer may recommend the talent again */
	assert_true(draft(r, 1, 1, "top_scientist") > id);
}

static void test_refusals_write_nothing(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_recommendation_input in = {.org_id = 2, .talent_id = 9, .proposed_tier = "high_level"};
	struct gg_rec_request rq = {0};
	struct gg_error err;
	int64_t id = draft(r, 1, 2, "high_level"), other = 0, audit_rows, events;
	char big[GG_RECOMMENDATION_REASON_MAX + 2];

	/* an employer for another organisation: forbidden, naming it */
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "organisation 2"));
	/* a talent it cannot see: as unknown */
	in.org_id = 1;
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_E_NOT_FOUND);
	assert_string_equal(err.fields[0].field, "talent_id");
	/* a second live recommendation of the talent */
	in.talent_id = 2;
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_E_DUPLICATE);
	/* strategic scientists are a bureau decision; unknown tiers are bad input */
	in.talent_id = 3;
	in.proposed_tier = "strategic_scientist";
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_E_RULE);
	in.proposed_tier = "emperor";
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_E_INVALID);
	/* a Chinese label names the tier too */
	in.proposed_tier = "高层次人才";
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_create(db, &employer_actor, &employer, &in, &other, &err), GG_OK);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM recommendations WHERE talent_id = 3 AND proposed_tier = 'high_level'"), 1);
	/* submitting without a justification is a rule refusal */
	assert_int_equal(act(r, &employer_actor, &employer, other, GG_REC_SUBMIT, NULL, &err), GG_E_RULE);
	assert_string_equal(err.fields[0].field, "justification");

	audit_rows = count(db, "SELECT COUNT(*) FROM audit_log");
	events = count(db, "SELECT COUNT(*) FROM recommendation_events");
	/* the state does not allow it */
	assert_int_equal(act(r, &unit_officer, &officer, id, GG_REC_APPROVE, "好", &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "cannot approve recommendation"));
	assert_non_null(strstr(err.message, "it is draft"));
	/* the officer may not submit an employer's recommendation; another employer does not see it */
	assert_int_equal(act(r, &unit_officer, &officer, id, GG_REC_SUBMIT, NULL, &err), GG_E_FORBIDDEN);
	assert_int_equal(act(r, &employer_actor, &employer2, id, GG_REC_SUBMIT, NULL, &err), GG_E_NOT_FOUND);
	assert_int_equal(act(r, &employer_actor, &employer, 999, GG_REC_SUBMIT, NULL, &err), GG_E_NOT_FOUND);
	ok(r, &employer_actor, &employer, id, GG_REC_SUBMIT, NULL);
	ok(r, &unit_officer, &officer, id, GG_REC_REVIEW, NULL);
	audit_rows = count(db, "SELECT COUNT(*) FROM audit_log");
	events = count(db, "SELECT COUNT(*) FROM recommendation_events");
	/* decisions without a reason: refused on field reason */
	for (enum gg_rec_action a = GG_REC_APPROVE; a <= GG_REC_RETURN; a++) {
		assert_int_equal(act(r, &unit_officer, &officer, id, a, NULL, &err), GG_E_RULE);
		assert_string_equal(err.fields[0].field, "reason");
		assert_int_equal(act(r, &unit_officer, &officer, id, a, " \xE3\x80\x80 ", &err), GG_E_RULE); /* blank */
	}
	/* a reason over the limit; a tier on reject; a stale version */
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(act(r, &unit_officer, &officer, id, GG_REC_REJECT, big, &err), GG_E_INVALID);
	rq.action = GG_REC_REJECT;
	rq.reason = "不符合";
	rq.tier = "high_level";
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &unit_officer, &officer, id, &rq, &err), GG_E_INVALID);
	rq.tier = NULL;
	rq.expected_version = 1;
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &unit_officer, &officer, id, &rq, &err), GG_E_STALE);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recommendation_events"), events);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recognitions"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recommendations WHERE id = 1 AND status = 'under_review'"), 1);

	/* reject with a reason: decided, still counted, no recognition */
	ok(r, &unit_officer, &officer, id, GG_REC_REJECT, "材料不足");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recommendations WHERE id = 1 AND status = 'rejected'"
	                           " AND decision_reason = '材料不足' AND quota_year = 2026"),
	                 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recognitions"), 0);
	assert_int_equal(allowed(r, id, &admin), 0);
}

static void test_return_and_edit(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_recommendation_input change = {.set_tier = 1,
	                                         .proposed_tier = "top_scientist",
	                                         .set_justification = 1,
	                                         .justification = "补充：主持国家重点研发计划"};
	struct gg_rec_request rq = {.action = GG_REC_EDIT, .edit = &change};
	struct gg_recommendation *rec = NULL;
	struct gg_error err;
	int64_t id = draft(r, 1, 4, "high_level"), audit_rows;

	ok(r, &employer_actor, &employer, id, GG_REC_SUBMIT, NULL);
	/* no edit once submitted */
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &employer_actor, &employer, id, &rq, &err), GG_E_CONFLICT);
	ok(r, &unit_officer, &officer, id, GG_REC_REVIEW, NULL);
	ok(r, &unit_officer, &officer, id, GG_REC_RETURN, "请补充代表性成果");
	assert_int_equal(allowed(r, id, &employer), A(EDIT) | A(SUBMIT) | A(WITHDRAW));
	assert_int_equal(allowed(r, id, &officer), 0);
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &employer_actor, &employer, id, &rq, &err), GG_OK);
	/* the same edit again changes nothing and writes nothing */
	audit_rows = count(db, "SELECT COUNT(*) FROM audit_log");
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_act(db, r->set, &employer_actor, &employer, id, &rq, &err), GG_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	ok(r, &employer_actor, &employer, id, GG_REC_SUBMIT, NULL);
	assert_int_equal(gg_recommendation_get(db, id, 1, &rec, &err), GG_OK);
	assert_int_equal(rec->status, GG_REC_SUBMITTED);
	assert_string_equal(rec->proposed_tier, "top_scientist");
	assert_string_equal(rec->decision_reason, "请补充代表性成果");
	assert_int_equal(rec->quota_seq, 1);
	/* create, submit, review, return, edit, submit */
	assert_int_equal(rec->nevents, 6);
	assert_string_equal(rec->events[4].action, "edit");
	assert_string_equal(rec->events[4].from_status, "returned");
	assert_string_equal(rec->events[4].to_status, "returned");
	gg_recommendation_free(rec);
	/* resubmitted: counted once */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recommendations WHERE quota_year = 2026"), 1);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'recommendation_review' AND closed_at IS NULL"), 1);
}

static void quota_of(struct rfx *r, int64_t org, int year, struct gg_recommendation_quota *q)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_recommendation_quota(r->fx->db, r->set, org, year, q, &err) != GG_OK)
		fail_msg("quota: %s", gg_error_message(&err));
}

static void test_quota(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_recommendation_quota q;
	struct gg_error err;
	int64_t ids[8];

	for (int i = 0; i < 8; i++)
		ids[i] = draft(r, 1, i + 1, "high_level");
	/* drafts do not count */
	quota_of(r, 1, 2026, &q);
	assert_int_equal(q.quota, 5);
	assert_int_equal(q.used, 0);
	assert_int_equal(q.remaining, 5);
	assert_string_equal(q.pack, "optics-valley-2024");
	assert_string_equal(q.version, "2024.1");
	assert_string_equal(q.org_name, "光谷测试科技");

	for (int i = 0; i < 5; i++)
		ok(r, &employer_actor, &employer, ids[i], GG_REC_SUBMIT, NULL);
	quota_of(r, 1, 2026, &q);
	assert_int_equal(q.used, 5);
	assert_int_equal(q.remaining, 0);
	/* the sixth: refused with the quota, the year and the organisation */
	assert_int_equal(act(r, &employer_actor, &employer, ids[5], GG_REC_SUBMIT, NULL, &err), GG_E_RULE);
	assert_non_null(strstr(err.message, "quota of 5 recommendations for 2026 reached (org '光谷测试科技'"));
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recommendations WHERE status = 'submitted'"), 5);
	/* another employer has its own quota */
	ok(r, &employer_actor, NULL, draft(r, 2, 9, "high_level"), GG_REC_SUBMIT, NULL);
	quota_of(r, 2, 2026, &q);
	assert_int_equal(q.used, 1);

	/* withdrawn before review: the slot is free again */
	ok(r, &employer_actor, &employer, ids[0], GG_REC_WITHDRAW, "人才已离职");
	quota_of(r, 1, 2026, &q);
	assert_int_equal(q.used, 4);
	ok(r, &employer_actor, &employer, ids[5], GG_REC_SUBMIT, NULL);
	/* rejected: still counts; withdrawn after review: still counts */
	ok(r, &unit_officer, &officer, ids[1], GG_REC_REVIEW, NULL);
	ok(r, &unit_officer, &officer, ids[1], GG_REC_REJECT, "不符合条件");
	ok(r, &unit_officer, &officer, ids[2], GG_REC_REVIEW, NULL);
	ok(r, &employer_actor, &employer, ids[2], GG_REC_WITHDRAW, NULL);
	/* returned and resubmitted: counts once */
	ok(r, &unit_officer, &officer, ids[3], GG_REC_REVIEW, NULL);
	ok(r, &unit_officer, &officer, ids[3], GG_REC_RETURN, "请补充材料");
	ok(r, &employer_actor, &employer, ids[3], GG_REC_SUBMIT, NULL);
	quota_of(r, 1, 2026, &q);
	assert_int_equal(q.used, 5);
	assert_int_equal(act(r, &employer_actor, &employer, ids[6], GG_REC_SUBMIT, NULL, &err), GG_E_RULE);

	/* a new calendar year in Asia/Shanghai (17:00 UTC on 31 December is 1 January there) */
	setenv("GUANGGU_TEST_NOW", "2026-12-31T17:00:00Z", 1);
	ok(r, &employer_actor, &employer, ids[6], GG_REC_SUBMIT, NULL);
	assert_int_equal(count(db, "SELECT quota_year FROM recommendations WHERE id = 7"), 2027);
	quota_of(r, 1, 2027, &q);
	assert_int_equal(q.used, 1);
	assert_string_equal(q.on, "2027-01-01");
	quota_of(r, 1, 2026, &q);
	assert_int_equal(q.used, 5);
	assert_string_equal(q.on, "2026-12-31");
	/* a year before the pack: no version in force */
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_quota(db, r->set, 1, 2023, &q, &err), GG_E_RULE);
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_quota(db, r->set, 99, 2026, &q, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_quota(db, r->set, 1, 10000, &q, &err), GG_E_INVALID);
}

static void test_list_scope(void **state)
{
	struct rfx *r = *state;
	struct gg_recommendation_query q = {.status = -1, .limit = 2};
	struct gg_recommendation **v = NULL;
	struct gg_error err;
	size_t n = 0;
	int more = 0;

	draft(r, 1, 1, "high_level");
	draft(r, 1, 2, "high_level");
	draft(r, 1, 3, "high_level");
	ok(r, &employer_actor, NULL, draft(r, 2, 9, "high_level"), GG_REC_SUBMIT, NULL);
	gg_error_init(&err);
	gg_recommendation_scope(&officer, &q);
	assert_int_equal(gg_recommendation_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	assert_int_equal(v[0]->id, 4);
	assert_string_equal(v[0]->org_name, "江城测试研究院");
	assert_string_equal(v[0]->talent_name, "测试壬");
	q.before_id = v[1]->id;
	gg_recommendation_list_free(v, n);
	assert_int_equal(gg_recommendation_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 0);
	gg_recommendation_list_free(v, n);
	/* the employer sees its own only; status filter */
	memset(&q, 0, sizeof q);
	q.status = -1;
	q.limit = 50;
	gg_recommendation_scope(&employer, &q);
	assert_int_equal(gg_recommendation_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 3);
	gg_recommendation_list_free(v, n);
	gg_recommendation_scope(&officer, &q);
	q.status = GG_REC_SUBMITTED;
	assert_int_equal(gg_recommendation_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	gg_recommendation_list_free(v, n);
	/* a principal with no recommendations_read sees nothing */
	struct gg_principal talent;
	principal(&talent, 12, GG_ROLE_talent, 0);
	talent.roles[0].scope_kind = GG_SCOPE_TALENT;
	talent.roles[0].scope_id = 1;
	gg_recommendation_scope(&talent, &q);
	assert_int_equal(gg_recommendation_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	gg_recommendation_list_free(v, n);
}

/* The longest reason, in 4-byte characters: the approval and its whole trace are kept. */
static void test_longest_reason(void **state)
{
	struct rfx *r = *state;
	static char reason[GG_RECOMMENDATION_REASON_MAX * 4 + 1];
	struct gg_recognition *recog = NULL;
	struct gg_recommendation *rec = NULL;
	struct gg_error err;
	int64_t id = draft(r, 1, 5, "high_level");

	for (size_t i = 0; i < GG_RECOMMENDATION_REASON_MAX; i++)
		memcpy(reason + 4 * i, "\xF0\xA0\x80\x80", 4); /* U+20000 */
	ok(r, &employer_actor, &employer, id, GG_REC_SUBMIT, NULL);
	ok(r, &unit_officer, &officer, id, GG_REC_REVIEW, NULL);
	ok(r, &unit_officer, &officer, id, GG_REC_APPROVE, reason);
	gg_error_init(&err);
	assert_int_equal(gg_recommendation_get(r->fx->db, id, 1, &rec, &err), GG_OK);
	assert_string_equal(rec->decision_reason, reason);
	assert_int_equal(gg_recognition_get(r->fx->db, rec->recognition_id, &recog, &err), GG_OK);
	assert_non_null(strstr(recog->trace, reason));
	gg_recognition_free(recog);
	gg_recommendation_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_machine),
	    cmocka_unit_test(test_machine_documented),
	    cmocka_unit_test_setup_teardown(test_flow_to_approval, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_return_and_edit, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_quota, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_list_scope, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_longest_reason, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
