/*
 * api_recognitions: recognitions over HTTP. GET /api/v1/recognitions
 * lists them newest first (?talent=, ?org=, ?basis=, ?tier=) and GET
 * /api/v1/recognitions/{id} reads one: who was recognised at which tier,
 * on which basis, by which policy version (pack, version and the hash of
 * its content), the decision's trace line by line and the subsidy plan
 * with its installments: what the printable recognition notice shows. The
 * router has checked recognitions_read; the scope is applied here: the
 * bureau, finance and leaders see every recognition, an employer (org:ID)
 * those of its organisation's hires and recommendations, a talent
 * (talent:ID) its own, a commissioner those of the talents assigned to
 * it. A recognition outside the scope answers 404 as an unknown one.
 * Also the recognition and plan objects every handler answers with.
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/recognition.h"
#include "../domain/subsidy.h"
#include "../domain/talent.h"
#include "../domain/vocabulary.h"
#include "api.h"

struct gg_json *gg_api_lines_json(const char *text)
{
	struct gg_json *a = gg_json_array();

	while (a && text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, len);

		if (!line || gg_json_append(a, gg_json_string(line)) != GG_OK) {
			free(line);
			gg_json_free(a);
			return NULL;
		}
		free(line);
		text += len + (nl != NULL);
	}
	return a;
}

struct gg_json *gg_api_plan_json(const struct gg_plan *p)
{
	struct gg_json *o = gg_json_object(), *inst = gg_json_array();
	int ok = o && inst;

	for (size_t i = 0; ok && i < p->ninst; i++) {
		const struct gg_installment *x = &p->inst[i];
		struct gg_json *j = gg_json_object();

		ok = j && gg_json_set_int(j, "year", x->year) == GG_OK &&
		     gg_json_set_str(j, "due_on", x->due_on) == GG_OK &&
		     gg_json_set_int(j, "base_fen", x->base_fen) == GG_OK &&
		     gg_json_set_int(j, "amount_fen", x->amount_fen) == GG_OK &&
		     gg_json_set_str(j, "status", x->status) == GG_OK;
		ok = ok ? gg_json_append(inst, j) == GG_OK : (gg_json_free(j), 0);
	}
	if (ok) {
		ok &= gg_json_set_int(o, "id", p->id) == GG_OK;
		ok &= gg_json_set_str(o, "kind", p->kind == GG_PLAN_FORMULA ? "formula" : "strategic") == GG_OK;
		ok &= gg_json_set_str(o, "pack", p->pack) == GG_OK;
		ok &= gg_json_set_str(o, "version", p->version) == GG_OK;
		ok &= gg_json_set_int(o, "contract_fen", p->contract_fen) == GG_OK;
		ok &= gg_json_set_str(o, "start_on", p->start_on) == GG_OK;
		ok &= gg_json_set_int(o, "total_fen", p->total_fen) == GG_OK;
		ok &= gg_json_set_str(o, "status", p->status) == GG_OK;
		ok &= gg_json_set(o, "installments", inst) == GG_OK;
		inst = NULL;
		gg_api_set_time(o, "created_at", p->created_at, &ok);
	}
	gg_json_free(inst);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

struct gg_json *gg_api_recognition_json(const struct gg_recognition *r, const struct gg_plan *plan)
{
	struct gg_json *o = gg_json_object(), *policy = gg_json_object();
	int ok = o && policy;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(policy);
		return NULL;
	}
	ok &= gg_json_set_int(o, "id", r->id) == GG_OK;
	ok &= gg_json_set(o, "talent", gg_api_ref_json(r->talent_id, r->talent_name)) == GG_OK;
	ok &= gg_json_set_str(o, "tier", r->tier) == GG_OK;
	ok &= gg_json_set_str(o, "basis", gg_recognition_basis_token(r->basis)) == GG_OK;
	ok &= gg_json_set_int(o, "source_id", r->source_id) == GG_OK;
	gg_api_set_ref(o, "org", r->org_id, r->org_name, &ok);
	ok &= gg_json_set_str(policy, "pack", r->pack) == GG_OK &&
	      gg_json_set_str(policy, "version", r->version) == GG_OK &&
	      gg_json_set_str(policy, "hash", r->policy_hash) == GG_OK;
	ok &= gg_json_set(o, "policy", policy) == GG_OK;
	ok &= gg_json_set_str(o, "effective_on", r->effective_on) == GG_OK;
	ok &= gg_json_set_str(o, "reason", r->reason) == GG_OK;
	ok &= gg_json_set(o, "trace", gg_api_lines_json(r->trace)) == GG_OK;
	gg_api_set_ref(o, "decided_by", r->decided_by, r->decided_by_name, &ok);
	gg_api_set_time(o, "created_at", r->created_at, &ok);
	ok &= gg_json_set(o, "plan", plan ? gg_api_plan_json(plan) : gg_json_null()) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* ---- scope ---- */

/*
 * The caller's recognitions_read grants as the list query's scope: an
 * unscoped grant sees everything; employers their organisations, talents
 * themselves, a commissioner (unscoped role, assigned talents) the talents
 * whose commissioner it is; a station scope reaches no recognition.
 */
static void scope_of(const struct gg_principal *pr, struct gg_recognition_query *q)
{
	int unscoped = 0;

	q->scoped = 1;
	for (size_t i = 0; pr && i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, GG_PERM_recognitions_read))
			continue;
		if (g->role == GG_ROLE_commissioner)
			q->scope_commissioner = pr->user_id;
		else if (g->scope_kind == GG_SCOPE_NONE)
			unscoped = 1;
		else if (g->scope_kind == GG_SCOPE_ORG && q->nscope_orgs < GG_RECOGNITION_SCOPE_MAX)
			q->scope_orgs[q->nscope_orgs++] = g->scope_id;
		else if (g->scope_kind == GG_SCOPE_TALENT && q->nscope_talents < GG_RECOGNITION_SCOPE_MAX)
			q->scope_talents[q->nscope_talents++] = g->scope_id;
	}
	if (unscoped)
		q->scoped = 0;
}

static int in_list(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Whether the scope of q reaches r (the list's condition, for one record). */
static int visible(struct gg_db *db, const struct gg_principal *pr, const struct gg_recognition_query *q,
                   const struct gg_recognition *r)
{
	if (!q->scoped || (r->org_id && in_list(q->scope_orgs, q->nscope_orgs, r->org_id)) ||
	    in_list(q->scope_talents, q->nscope_talents, r->talent_id))
		return 1;
	return q->scope_commissioner > 0 && gg_talent_visible(db, pr, r->talent_id);
}

/* ---- handlers ---- */

static enum gg_err read_query(struct gg_req *req, struct gg_recognition_query *q, char *tier, size_t tiersz,
                              struct gg_error *err)
{
	const char *s;
	int found = 0;
	enum gg_err rc;

	memset(q, 0, sizeof *q);
	q->basis = -1;
	if ((rc = gg_req_page(req, &q->limit, &q->before_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "talent", &q->talent_id, err);
	gg_req_query_id(req, "org", &q->org_id, err);
	if ((s = gg_req_query(req, "basis")) != NULL && (q->basis = gg_recognition_basis_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "basis", "basis must be order, recommendation or strategic");
	if ((s = gg_req_query_text(req, "tier", 64, err)) != NULL) {
		if ((rc = gg_vocab_tier_lookup(gg_req_db(req), s, tier, tiersz, &found, err)) != GG_OK)
			return rc;
		if (!found)
			gg_error_field(err, GG_E_INVALID, "tier", "unknown tier '%.64s'", s);
		q->tier = tier;
	}
	return err->code;
}

/* Appends r (with its plan) to items; 0 on failure (err set). */
static int append(struct gg_db *db, struct gg_json *items, const struct gg_recognition *r, struct gg_error *err)
{
	struct gg_plan *plan = NULL;
	int ok;

	if (gg_subsidy_plan_of(db, r->id, &plan, err) != GG_OK)
		return 0;
	ok = gg_json_append(items, gg_api_recognition_json(r, plan)) == GG_OK;
	gg_plan_free(plan);
	if (!ok)
		gg_error_set(err, GG_E_NOMEM, NULL);
	return ok;
}

enum gg_err api_recognitions_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_db *db = gg_req_db(req);
	struct gg_recognition_query q;
	struct gg_recognition **rs = NULL;
	struct gg_json *items = gg_json_array();
	char tier[64];
	size_t n = 0;
	int more = 0;
	enum gg_err rc;

	if (!items)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = read_query(req, &q, tier, sizeof tier, err)) != GG_OK)
		goto out;
	scope_of(gg_req_principal(req), &q);
	if ((rc = gg_recognition_list(db, &q, &rs, &n, &more, err)) != GG_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!append(db, items, rs[i], err)) {
			rc = err->code;
			goto out;
		}
	rc = gg_resp_list(req, items, more, n ? rs[n - 1]->id : 0, err);
	items = NULL;
out:
	gg_recognition_list_free(rs, n);
	gg_json_free(items);
	return rc;
}

enum gg_err api_recognitions_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_db *db = gg_req_db(req);
	struct gg_recognition *r = NULL;
	struct gg_plan *plan = NULL;
	struct gg_recognition_query q;
	struct gg_json *body;
	int64_t id;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		goto out;
	if ((rc = gg_recognition_get(db, id, &r, err)) != GG_OK)
		goto out;
	scope_of(gg_req_principal(req), &q);
	if (!visible(db, gg_req_principal(req), &q, r)) {
		gg_error_init(err);
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown recognition %lld", (long long)id);
		goto out;
	}
	if ((rc = gg_subsidy_plan_of(db, id, &plan, err)) != GG_OK)
		goto out;
	if (!(body = gg_api_recognition_json(r, plan))) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
out:
	gg_plan_free(plan);
	gg_recognition_free(r);
	return rc;
}

/* Plans (issue 6, api_plans.c): a plan is seen by whoever sees its recognition. */
int gg_api_recognition_visible(struct gg_req *req, const struct gg_recognition *r)
{
	struct gg_recognition_query q;

	memset(&q, 0, sizeof q);
	scope_of(gg_req_principal(req), &q);
	return visible(gg_req_db(req), gg_req_principal(req), &q, r);
}
