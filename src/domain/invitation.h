/*
 * invitation: a one-time activation link with which a person invited by
 * the bureau (an employer's HR person, a talent) sets a password and so
 * creates an account with the invited role and scope. The link carries a
 * random token; the database keeps its SHA-256. A link is good for
 * invitation_hours and for one activation.
 */
#ifndef GG_INVITATION_H
#define GG_INVITATION_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "role.h"
#include "user.h"

struct gg_invitation {
	int64_t id;
	char username[GG_USERNAME_MAX];
	char display_name[GG_DISPLAY_NAME_MAX];
	struct gg_role_grant grant;
	int64_t invited_by;
	int64_t created_at, expires_at;
	int64_t accepted_at; /* 0: not yet */
	int64_t user_id;     /* the account created, 0 until accepted */
};

struct gg_invitation_new {
	const char *username;     /* as for accounts; not taken by an account or a pending invitation */
	const char *display_name; /* NULL: the username */
	struct gg_role_grant grant;
	int hours; /* validity, the invitation_hours setting */
};

/**
 * Invites someone (invitation.create); actor->id is the inviting account.
 * GG_E_DUPLICATE on field "username" when an account or a pending
 * invitation has the name; GG_E_INVALID on field "scope" when the scope
 * names no record (gg_user_check_scopes_tx). token (>= GG_TOKEN_MAX) gets the link's token,
 * shown only now; out (may be NULL) the stored record.
 */
enum gg_err gg_invitation_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_invitation_new *in,
                                 char *token, size_t tokensz, struct gg_invitation *out, struct gg_error *err);

/** Invitations by id ascending after after_id; invited_by 0: everyone's. *out free()d by the caller. */
enum gg_err gg_invitation_list(struct gg_db *db, int64_t invited_by, int64_t after_id, int limit,
                               struct gg_invitation **out, size_t *n, int *more, struct gg_error *err);

/** Finds a pending invitation by token: GG_E_NOT_FOUND when unknown, GG_E_GONE when used or expired. */
enum gg_err gg_invitation_lookup(struct gg_db *db, const char *token, struct gg_invitation *out, struct gg_error *err);

/**
 * Activates: checks the password (field "password"), then in one write
 * transaction creates the account (must_change_password off) with the
 * invited role and scope and marks the invitation accepted
 * (user.create and invitation.accept, the new account as actor).
 * GG_E_NOT_FOUND unknown token; GG_E_GONE used or expired (a second
 * activation); GG_E_DUPLICATE when the name was taken meanwhile.
 * *user_id gets the new account's id. request_id may be NULL.
 */
enum gg_err gg_invitation_activate(struct gg_db *db, const char *token, const char *password, int min_password_length,
                                   const char *request_id, int64_t *user_id, struct gg_error *err);

#endif
