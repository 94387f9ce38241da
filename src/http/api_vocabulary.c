/*
 * api_vocabulary: GET /api/v1/vocabulary, every controlled value of the
 * registry with its Chinese and English label, so that forms, filters and
 * the CSV templates of the UI come from the same lists the server checks:
 * tiers, chains with their segments (database rows), the fixed lists
 * (organisation kinds, statuses, honours, genders, document types) and
 * the kinds of the tasks inbox (task.tbl).
 */
#include <stdlib.h>

#include "../domain/task.h"
#include "../domain/vocabulary.h"
#include "api.h"

/* {"token","zh","en"} */
static struct gg_json *item_json(const char *token, const char *zh, const char *en)
{
	struct gg_json *o = gg_json_object();

	if (!o || gg_json_set_str(o, "token", token) != GG_OK || gg_json_set_str(o, "zh", zh) != GG_OK ||
	    gg_json_set_str(o, "en", en) != GG_OK) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *fixed_list(enum gg_vocab_list list)
{
	struct gg_json *arr = gg_json_array();
	size_t n = 0;
	const struct gg_vocab_item *items = gg_vocab_items(list, &n);

	for (size_t i = 0; arr && i < n; i++) {
		struct gg_json *o = item_json(items[i].token, items[i].zh, items[i].en);
		if (!o || gg_json_append(arr, o) != GG_OK) {
			gg_json_free(arr);
			return NULL;
		}
	}
	return arr;
}

/* The kinds of the tasks inbox (task.tbl), for its kind filter. */
static struct gg_json *task_kinds(void)
{
	struct gg_json *arr = gg_json_array();

	for (int k = 0; arr && k < GG_TASK__COUNT; k++) {
		struct gg_json *o = item_json(gg_task_kinds[k].token, gg_task_kinds[k].zh, gg_task_kinds[k].en);
		if (!o || gg_json_append(arr, o) != GG_OK) {
			gg_json_free(arr);
			return NULL;
		}
	}
	return arr;
}

static struct gg_json *vocabulary_json(const struct gg_vocabulary *v)
{
	struct gg_json *body = gg_json_object(), *tiers = gg_json_array(), *chains = gg_json_array();
	int ok = body && tiers && chains;

	for (size_t i = 0; ok && i < v->ntiers; i++) {
		const struct gg_vocab_tier *t = &v->tiers[i];
		struct gg_json *o = item_json(t->token, t->zh, t->en);
		ok = o && gg_json_set_bool(o, "high_level", t->high_level) == GG_OK;
		ok = ok ? gg_json_append(tiers, o) == GG_OK : (gg_json_free(o), 0);
	}
	for (size_t i = 0; ok && i < v->nchains; i++) {
		const struct gg_vocab_chain *c = &v->chains[i];
		struct gg_json *o = item_json(c->token, c->zh, c->en), *segs = gg_json_array();
		ok = o && segs;
		for (size_t j = 0; ok && j < c->nsegments; j++) {
			const struct gg_vocab_segment *s = &v->segments[c->first_segment + j];
			struct gg_json *so = item_json(s->token, s->zh, s->en);
			ok = so && gg_json_append(segs, so) == GG_OK;
		}
		if (!ok) {
			gg_json_free(segs);
			gg_json_free(o);
			break;
		}
		ok = gg_json_set(o, "segments", segs) == GG_OK;
		ok = ok ? gg_json_append(chains, o) == GG_OK : (gg_json_free(o), 0);
	}
	if (!ok) {
		gg_json_free(tiers);
		gg_json_free(chains);
		gg_json_free(body);
		return NULL;
	}
	ok &= gg_json_set(body, "tiers", tiers) == GG_OK;
	ok &= gg_json_set(body, "chains", chains) == GG_OK;
	for (int l = 0; l < GG_VOCAB__COUNT; l++)
		ok &= gg_json_set(body, gg_vocab_list_name((enum gg_vocab_list)l), fixed_list((enum gg_vocab_list)l)) ==
		      GG_OK;
	ok &= gg_json_set(body, "task_kinds", task_kinds()) == GG_OK;
	if (!ok) {
		gg_json_free(body);
		return NULL;
	}
	return body;
}

enum gg_err api_vocabulary_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_vocabulary *v = NULL;
	struct gg_json *body;
	enum gg_err rc;

	if ((rc = gg_vocab_load(gg_req_db(req), &v, err)) != GG_OK)
		return rc;
	body = vocabulary_json(v);
	gg_vocab_free(v);
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return gg_resp_json(req, 200, body);
}
