/*
 * payee: the bank account a plan's installments are paid to (issue 6,
 * docs/payments.md). An officer enters it (payee name, bank, account
 * number of 8 to 32 digits), the account number is sealed at once
 * (crypto.h, field "payee_account") and only its last four digits are
 * kept in the clear for masks; entering a new one supersedes the active
 * one. The talent of the plan confirms it before anything is paid to it.
 * Every write runs in a write transaction of its own with its audit row.
 */
#ifndef GG_PAYEE_H
#define GG_PAYEE_H

#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"

#define GG_PAYEE_NAME_MAX    200 /* bytes of payee_name and bank */
#define GG_PAYEE_ACCOUNT_MIN 8
#define GG_PAYEE_ACCOUNT_MAX 32
#define GG_PAYEE_FIELD       "payee_account" /* the sealing field name */

struct gg_payee {
	int64_t id, plan_id, talent_id;
	char payee_name[GG_PAYEE_NAME_MAX + 1];
	char bank[GG_PAYEE_NAME_MAX + 1];
	char last4[5];
	int64_t entered_by, entered_at, confirmed_by, confirmed_at; /* confirmed_by 0: not confirmed */
};

/**
 * Checks and seals the account of plan_id, superseding the active one:
 * *payee_id the new row. GG_E_INVALID on field payee_name, bank or
 * account_no (digits only, 8..32); GG_E_NOT_FOUND for an unknown plan;
 * GG_E_CONFLICT for a plan that is not active.
 */
enum gg_err gg_payee_set(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t plan_id,
                         const char *payee_name, const char *bank, const char *account_no, int64_t *payee_id,
                         struct gg_error *err);
/**
 * The talent's confirmation of plan_id's active account. GG_E_NOT_FOUND
 * when the plan has none; GG_E_CONFLICT when confirmed already.
 */
enum gg_err gg_payee_confirm(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, struct gg_error *err);
/** The active payee of plan_id into *out; GG_E_NOT_FOUND when none. */
enum gg_err gg_payee_get(struct gg_db *db, int64_t plan_id, struct gg_payee *out, struct gg_error *err);
/** The talent of plan_id; GG_E_NOT_FOUND for an unknown plan. */
enum gg_err gg_payee_plan_talent(struct gg_db *db, int64_t plan_id, int64_t *talent_id, struct gg_error *err);
/**
 * Opens a sealed account number (sealed, len) into out (at least
 * GG_PAYEE_ACCOUNT_MAX + 1 bytes). GG_E_INTERNAL when it does not
 * authenticate.
 */
enum gg_err gg_payee_open(const struct gg_keys *keys, const void *sealed, size_t len, char *out, size_t outsz,
                          struct gg_error *err);
/**
 * The unmasked account of plan_id's active payee into out, with an audit
 * row (payee.reveal) in a write transaction of its own, as pii reads are.
 */
enum gg_err gg_payee_reveal(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t plan_id,
                            char *out, size_t outsz, struct gg_error *err);
/** "**** 1234" of last4 into out (at least 10 bytes). */
void gg_payee_mask(const char *last4, char *out, size_t outsz);

#endif
