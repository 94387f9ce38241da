/*
 * api_stats: GET /api/v1/stats/registry, the registry's counts for the
 * dashboards (permission talents_read). The talents are counted within
 * the scope the talents list applies (gg_api_talent_scope); the
 * organisation counts are answered only to callers who also hold
 * orgs_read, within the organisation list's scope (gg_org_scope). Labels
 * of tiers, chains and kinds are not repeated here: the UI has them from
 * GET /api/v1/vocabulary.
 */
#include "../core/clock.h"
#include "../domain/org.h"
#include "../domain/search.h"
#include "../domain/stats.h"
#include "api.h"

/* [{"<name>": key, "count": n}, ...]; an empty key is null (the tier of talents not recognised). */
static struct gg_json *counts_json(const char *name, const struct gg_stats_count *v, size_t n)
{
	struct gg_json *a = gg_json_array();

	for (size_t i = 0; a && i < n; i++) {
		struct gg_json *o = gg_json_object();
		int ok = o && gg_json_set_str(o, name, v[i].key[0] ? v[i].key : NULL) == GG_OK &&
		         gg_json_set_int(o, "count", v[i].count) == GG_OK;
		if (!ok || gg_json_append(a, o) != GG_OK) {
			if (!ok)
				gg_json_free(o);
			gg_json_free(a);
			return NULL;
		}
	}
	return a;
}

static struct gg_json *stats_json(const struct gg_registry_stats *s)
{
	struct gg_json *body = gg_json_object(), *t = gg_json_object(), *o = NULL;
	int ok = body && t;

	if (ok)
		gg_api_set_time(body, "as_of", s->as_of, &ok);
	ok = ok && gg_json_set_int(t, "total", s->talents) == GG_OK &&
	     gg_json_set(t, "by_tier", counts_json("tier", s->by_tier, s->ntiers)) == GG_OK &&
	     gg_json_set(t, "by_status", counts_json("status", s->by_status, s->nstatuses)) == GG_OK &&
	     gg_json_set(t, "by_chain", counts_json("chain", s->by_chain, s->nchains)) == GG_OK &&
	     gg_json_set(t, "created_by_month", counts_json("month", s->by_month, GG_STATS_MONTHS)) == GG_OK;
	if (ok) {
		ok = gg_json_set(body, "talents", t) == GG_OK;
		t = NULL;
	}
	if (ok && s->with_orgs) {
		o = gg_json_object();
		ok = o && gg_json_set_int(o, "total", s->orgs) == GG_OK &&
		     gg_json_set(o, "by_kind", counts_json("kind", s->by_kind, s->nkinds)) == GG_OK;
		ok = ok ? gg_json_set(body, "orgs", o) == GG_OK : (gg_json_free(o), 0);
	}
	if (!ok) {
		gg_json_free(t);
		gg_json_free(body);
		return NULL;
	}
	return body;
}

enum gg_err api_stats_registry(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_search_query q;
	struct gg_stats_scope scope = {&q, gg_principal_can(pr, GG_PERM_orgs_read), 0};
	struct gg_registry_stats s;
	struct gg_json *body;
	enum gg_err rc;

	gg_search_query_init(&q);
	gg_api_talent_scope(pr, &q);
	if (scope.orgs)
		gg_org_scope(pr, &scope.org_scope);
	if ((rc = gg_stats_registry(gg_req_db(req), &scope, gg_clock_now(), &s, err)) != GG_OK)
		return rc;
	body = stats_json(&s);
	gg_stats_registry_release(&s);
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return gg_resp_json(req, 200, body);
}
