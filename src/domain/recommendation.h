/*
 * recommendation: the recruitment list (光谷招聘名单, DOMAIN.md programme
 * 2). An employer recommends a talent it can see for recognition at a
 * tier, with a justification: the recommendation is drafted, submitted,
 * taken up for review by a bureau officer, and approved (the talent is
 * recognised at the decided tier, with the officer's reason), rejected
 * (reason required) or returned for changes (reason required; the
 * employer edits and submits it again); the employer may withdraw it
 * while it is not decided. The state machine is one table
 * (gg_rec_machine: action, the states it applies to, the state after, the
 * permission, whether a reason is required); the checks of every action
 * and the allowed_actions the API answers both read it, so they cannot
 * disagree.
 *
 * The quota (recommendation_quota of the policy version in force on the
 * day of submission) counts per employer per calendar year of the first
 * submission in the `timezone` setting: drafts do not count, a returned
 * and resubmitted one counts once (in the year of its first submission),
 * a rejected one still counts, one withdrawn before an officer took it up
 * frees its slot.
 *
 * Every action is one write transaction with its audit row
 * (recommendation.<action>) and its history row (recommendation_events).
 * Submitting opens a recommendation_review task for the officers; taking
 * it up, deciding it or withdrawing it closes that task. Approving
 * records the recognition (gg_recognition_record_tx, basis
 * recommendation) in the same transaction, stamped with the policy
 * version in force on the day of approval, with a trace naming the quota,
 * the versions and the officer's reason.
 *
 * Who may: a principal acts through a role granting the action's
 * permission unscoped (the bureau) or scoped to the recommendation's
 * organisation (org:ID, the employer). A NULL principal is the command
 * line or the demo, allowed everything the states allow.
 */
#ifndef GG_RECOMMENDATION_H
#define GG_RECOMMENDATION_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "policyset.h"
#include "recognition.h"
#include "role.h"

#define GG_RECOMMENDATION_JUSTIFICATION_MAX 4000                      /* characters of a justification */
#define GG_RECOMMENDATION_REASON_MAX        GG_RECOGNITION_REASON_MAX /* characters of a reason */
#define GG_RECOMMENDATION_LIMIT_MAX         200                       /* a list page */
#define GG_RECOMMENDATION_HISTORY_MAX       1000                      /* events a record reads at most */

enum gg_rec_status {
	GG_REC_DRAFT,
	GG_REC_SUBMITTED,
	GG_REC_UNDER_REVIEW,
	GG_REC_APPROVED,
	GG_REC_REJECTED,
	GG_REC_RETURNED,
	GG_REC_WITHDRAWN,
	GG_REC_STATUS__COUNT
};

enum gg_rec_action {
	GG_REC_EDIT,
	GG_REC_SUBMIT,
	GG_REC_WITHDRAW,
	GG_REC_REVIEW,
	GG_REC_APPROVE,
	GG_REC_REJECT,
	GG_REC_RETURN,
	GG_REC_ACTION__COUNT
};

#define GG_REC_STATE(s) (1u << (s))

/* One row of the state machine. */
struct gg_rec_transition {
	const char *token; /* the action's token: "approve" */
	unsigned from;     /* GG_REC_STATE bits of the states it applies to */
	int to;            /* the state after; -1: the state stays (edit) */
	enum gg_perm perm; /* needed for the recommendation's organisation */
	int needs_reason;  /* 1: refused without a reason (GG_E_RULE) */
	int takes_tier;    /* 1: the decided tier (approve; default: the proposed tier) */
	const char *task;  /* the review task: "open", "close" or NULL (none) */
};
/* The state machine, indexed by enum gg_rec_action. */
extern const struct gg_rec_transition gg_rec_machine[GG_REC_ACTION__COUNT];

/** "draft", "submitted", ... */
const char *gg_rec_status_token(enum gg_rec_status s);
/** The status a token names; -1 when unknown. */
int gg_rec_status_lookup(const char *token);
/** The action a token names ("submit"); -1 when unknown. */
int gg_rec_action_lookup(const char *token);

/* One row of a recommendation's history. */
struct gg_rec_event {
	int64_t id;
	char action[16];      /* "create", "edit" or an action token */
	char from_status[16]; /* "" for create */
	char to_status[16];
	char *reason; /* NULL: none */
	int64_t actor_id;
	char *actor_name;
	int64_t at;
};

/* A recommendation as stored; strings owned (gg_recommendation_free), NULL: no value. */
struct gg_recommendation {
	int64_t id;
	int64_t org_id;
	char *org_name;
	int64_t talent_id;
	char *talent_name;
	char *talent_tier; /* the talent's tier now */
	char *proposed_tier;
	char *justification; /* "" while none */
	enum gg_rec_status status;
	char submitted_on[11]; /* the first submission's day; "" while never submitted */
	int quota_year;        /* the year whose quota it counts in; 0: none */
	int64_t quota_limit;   /* recommendation_quota on the day of the first submission */
	int quota_seq;         /* the slot it took: 1 for the first of the year */
	char *quota_pack, *quota_version;
	char *decided_tier;
	char *decision_reason; /* of the last decision (approve, reject, return) */
	int64_t reviewer_id;   /* 0: none, or the command line */
	char *reviewer_name;
	int64_t recognition_id; /* 0: none */
	int64_t version;
	int64_t created_at, updated_at;
	int64_t created_by; /* 0: the command line */
	char *created_by_name;
	struct gg_rec_event *events; /* oldest first; only from gg_recommendation_get with history */
	size_t nevents;
};
void gg_recommendation_free(struct gg_recommendation *r); /* NULL is a no-op */

/*
 * A create (org_id, talent_id, proposed_tier required) or an edit (the
 * set_* fields only). Strings are borrowed, NFKC-normalised by the write.
 */
struct gg_recommendation_input {
	int64_t org_id;
	int64_t talent_id;
	int set_tier;
	const char *proposed_tier; /* a tier token or label; not strategic_scientist (a bureau decision) */
	int set_justification;
	const char *justification; /* 0..GG_RECOMMENDATION_JUSTIFICATION_MAX characters; required to submit */
};

/**
 * Creates a draft in a write transaction of its own (recommendation.create
 * audit row and history row); *id its id. pr (NULL: the command line) must
 * hold recommendations_write for in->org_id (GG_E_FORBIDDEN naming the
 * organisation) and see the talent (GG_E_NOT_FOUND on field talent_id, as
 * for an unknown one). GG_E_NOT_FOUND for an unknown organisation,
 * GG_E_INVALID for an unknown tier or a text over its limit, GG_E_RULE for
 * strategic_scientist, GG_E_DUPLICATE when the talent has a live
 * recommendation of the organisation.
 */
enum gg_err gg_recommendation_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                     const struct gg_recommendation_input *in, int64_t *id, struct gg_error *err);
/** gg_recommendation_create inside the caller's write transaction. */
enum gg_err gg_recommendation_create_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                        const struct gg_recommendation_input *in, int64_t *id, struct gg_error *err);

/* What an action carries besides the recommendation. Strings borrowed. */
struct gg_rec_request {
	enum gg_rec_action action;
	const char *reason; /* NULL or "": none */
	const char *tier;   /* approve: the decided tier (NULL: the proposed one); other actions: must be NULL */
	const struct gg_recommendation_input *edit; /* GG_REC_EDIT: the changes */
	int64_t expected_version;                   /* 0: any; else GG_E_STALE when the record is at another */
};

/**
 * Takes action rq->action on recommendation id in a write transaction of
 * its own, as the file comment says. Refusals: GG_E_NOT_FOUND when pr may
 * not read the organisation's recommendations (as for an unknown id),
 * GG_E_FORBIDDEN when pr lacks the action's permission for it,
 * GG_E_CONFLICT when the state does not allow the action ("cannot approve
 * recommendation 7: it is submitted"), GG_E_STALE, GG_E_RULE when a
 * required reason or, to submit, the justification is missing, when the
 * quota of the year is reached ("quota of 5 recommendations for 2026
 * reached (org 'X')") or when no policy version is in force today,
 * GG_E_INVALID for a reason over GG_RECOMMENDATION_REASON_MAX or an
 * unknown tier. set: the installation's policy packs (submit, approve).
 * An edit that changes nothing writes nothing.
 */
enum gg_err gg_recommendation_act(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                  const struct gg_principal *pr, int64_t id, const struct gg_rec_request *rq,
                                  struct gg_error *err);
/** gg_recommendation_act inside the caller's write transaction. */
enum gg_err gg_recommendation_act_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                     const struct gg_principal *pr, int64_t id, const struct gg_rec_request *rq,
                                     struct gg_error *err);

/**
 * The actions pr may take on r now, as GG_REC_STATE-like bits (1u <<
 * action): from gg_rec_machine and pr's grants, by the same check that
 * gg_recommendation_act applies.
 */
unsigned gg_recommendation_allowed_actions(const struct gg_recommendation *r, const struct gg_principal *pr);

/** 1 when pr holds permission perm unscoped or scoped to organisation org_id (NULL pr: the command line, 1). */
int gg_recommendation_reach(const struct gg_principal *pr, enum gg_perm perm, int64_t org_id);

/**
 * Reads recommendation id (with its history when history is 1) in a read
 * transaction of its own. GG_E_NOT_FOUND "unknown recommendation 7".
 */
enum gg_err gg_recommendation_get(struct gg_db *db, int64_t id, int history, struct gg_recommendation **out,
                                  struct gg_error *err);

struct gg_recommendation_query {
	int64_t org_id;    /* 0: any */
	int64_t talent_id; /* 0: any */
	int status;        /* -1: any */
	int limit;         /* 1..GG_RECOMMENDATION_LIMIT_MAX */
	int64_t before_id; /* newest first; 0: from the newest */
	/* scope: unscoped 1, else only the organisations scope_orgs[0..nscope) (none: nothing) */
	int unscoped;
	int64_t scope_orgs[GG_PRINCIPAL_ROLES_MAX];
	size_t nscope;
};
/** Fills q's scope from pr's recommendations_read grants. */
void gg_recommendation_scope(const struct gg_principal *pr, struct gg_recommendation_query *q);
/** Lists newest first, without history; *more 1 when older ones follow. Free with gg_recommendation_list_free. */
enum gg_err gg_recommendation_list(struct gg_db *db, const struct gg_recommendation_query *q,
                                   struct gg_recommendation ***out, size_t *n, int *more, struct gg_error *err);
void gg_recommendation_list_free(struct gg_recommendation **rs, size_t n);

struct gg_recommendation_quota {
	int64_t org_id;
	char org_name[4 * 128 + 1];
	int year;
	int64_t quota, used, remaining;
	char pack[GG_POLICY_NAME_MAX], version[GG_POLICY_NAME_MAX];
	char on[11]; /* the day whose version gives the quota */
};
/**
 * The quota of organisation org_id in calendar year year: the
 * recommendation_quota of the version in force today when year is this
 * year, else on the last day of a past year or the first day of a later
 * one, and the slots used. GG_E_NOT_FOUND for an unknown organisation,
 * GG_E_RULE when no version is in force on that day, GG_E_INVALID for a
 * year outside 1970..9999. Own read transaction.
 */
enum gg_err gg_recommendation_quota(struct gg_db *db, const struct gg_policyset *set, int64_t org_id, int year,
                                    struct gg_recommendation_quota *out, struct gg_error *err);

#endif
