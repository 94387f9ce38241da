/*
 * recognition: a talent recognised at a tier, and why. Three ways lead
 * here (basis): a hire under a recruitment order that the rules recognise
 * at once (order), an employer's recommendation approved by an officer
 * (recommendation), a bureau decision case by case on a strategic
 * scientist (strategic). Each recognition is stamped with the policy
 * version in force on its effective day (gg_policyset_stamp records the
 * version's hash on first use) and keeps the trace of the decision, so a
 * notice printed years later says which rules made it and how. Recording
 * one, in the caller's write transaction: the recognition row, its audit
 * row (recognition.create), the talent's tier raised to it (a talent keeps
 * the highest tier recognised; recording a lower one leaves the tier as it
 * is and says so in the trace), and, when the tier is high-level and the
 * talent has no commissioner, a commissioner_assignment task for the
 * bureau's officers. Recognitions are never edited or deleted.
 */
#ifndef GG_RECOGNITION_H
#define GG_RECOGNITION_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "pack.h"

#define GG_RECOGNITION_REASON_MAX 2000 /* characters of a reason or rationale */
#define GG_RECOGNITION_LIMIT_MAX  200
#define GG_RECOGNITION_SCOPE_MAX  8 /* organisations or talents of one caller's scope */
/* Bytes of a recognition's stored trace: twice the evaluator's. */
#define GG_RECOGNITION_TRACE_MAX (GG_POLICY_TRACE_MAX * 2)
/* Bytes of the trace a caller passes: what is kept less room for the tier line recording adds. */
#define GG_RECOGNITION_INPUT_TRACE_MAX (GG_RECOGNITION_TRACE_MAX - 256)

enum gg_recognition_basis { GG_BASIS_ORDER, GG_BASIS_RECOMMENDATION, GG_BASIS_STRATEGIC, GG_BASIS__COUNT };
/** "order", "recommendation", "strategic". */
const char *gg_recognition_basis_token(enum gg_recognition_basis b);
/** The basis a token names; -1 when unknown. */
int gg_recognition_basis_lookup(const char *token);

/* A recognition to record. Strings are borrowed. */
struct gg_recognition_new {
	int64_t talent_id;
	const char *tier; /* a tier token of the installation */
	enum gg_recognition_basis basis;
	int64_t source_id;          /* the hire, recommendation or strategic decision: unique per basis */
	int64_t org_id;             /* the employer (0: none) */
	const struct gg_pack *pack; /* the policy version that governs it */
	const struct gg_pack_version *version;
	const char *effective_on; /* YYYY-MM-DD: the hire's start, the approval's or decision's day */
	const char *reason;       /* the officer's reason or the rationale; NULL for order */
	const char *trace;        /* the decision's trace (lines ending in '\n') */
};

/**
 * Records r inside the caller's write transaction as the file comment
 * says; *id gets the new recognition's id. GG_E_NOT_FOUND for an unknown
 * or merged talent, GG_E_INVALID for an unknown tier, a reason over the
 * limit or a malformed day, GG_E_DUPLICATE when the basis and source
 * already have a recognition, GG_E_CONFLICT when the policy version
 * changed since its first use.
 */
enum gg_err gg_recognition_record_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_recognition_new *r,
                                     int64_t *id, struct gg_error *err);

struct gg_recognition {
	int64_t id;
	int64_t talent_id;
	char *talent_name;
	char *tier;
	enum gg_recognition_basis basis;
	int64_t source_id;
	int64_t org_id; /* 0: none */
	char *org_name; /* NULL when none */
	char *pack, *version, *policy_hash;
	char effective_on[11];
	char *reason; /* NULL when none */
	char *trace;
	int64_t decided_by; /* account id; 0: the command line */
	char *decided_by_name;
	int64_t created_at;
};

/** Reads one recognition. GG_E_NOT_FOUND "unknown recognition 7". Freed with gg_recognition_free. */
enum gg_err gg_recognition_get(struct gg_db *db, int64_t id, struct gg_recognition **out, struct gg_error *err);
/** The recognition of a basis and source (*out NULL when none). */
enum gg_err gg_recognition_of(struct gg_db *db, enum gg_recognition_basis basis, int64_t source_id,
                              struct gg_recognition **out, struct gg_error *err);
void gg_recognition_free(struct gg_recognition *r); /* NULL is a no-op */

struct gg_recognition_query {
	int64_t talent_id; /* 0: any */
	int64_t org_id;    /* 0: any */
	int basis;         /* -1: any */
	const char *tier;  /* NULL: any */
	int limit;         /* 1..GG_RECOGNITION_LIMIT_MAX */
	int64_t before_id; /* newest first; 0: from the newest */
	/*
	 * The caller's scope. scoped 0: every recognition. scoped 1: only
	 * those whose employer is one of scope_orgs, whose talent is one of
	 * scope_talents, or whose talent has scope_commissioner (an account
	 * id; 0: none) as its commissioner; nothing when none of these is set.
	 */
	int scoped;
	int64_t scope_orgs[GG_RECOGNITION_SCOPE_MAX], scope_talents[GG_RECOGNITION_SCOPE_MAX];
	size_t nscope_orgs, nscope_talents;
	int64_t scope_commissioner;
};
/** Lists recognitions newest first (one more than limit tells *more). Freed with gg_recognition_list_free. */
enum gg_err gg_recognition_list(struct gg_db *db, const struct gg_recognition_query *q, struct gg_recognition ***out,
                                size_t *n, int *more, struct gg_error *err);
void gg_recognition_list_free(struct gg_recognition **rs, size_t n);

#endif
