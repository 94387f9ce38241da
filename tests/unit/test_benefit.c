/*
 * Tests of benefit (benefit.h): the catalogue (categories as data, items
 * with their checks, If-Match versions), slots, bookings (capacity,
 * quota, another item's or a past slot, cancellation releasing both),
 * redemptions by token and code (tier excluded, another provider's item,
 * a revoked card, a booking needed and redeemed), usage per card-year,
 * the scopes of the lists, and the quota under 50 threads redeeming at
 * once, each with its own connection: exactly one succeeds.
 */
#include <pthread.h>

#include "unit.h"

#include "core/clock.h"
#include "domain/benefit.h"
#include "domain/cardtoken.h"

/* 2026-06-01 10:00 in Asia/Shanghai */
#define NOW   "2026-06-01T02:00:00Z"
#define T_NOW 1780279200LL

#define ROWS                                                                                                                \
	"INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"                                          \
	" (1, '光谷测试科技', 'guang gu ce shi ke ji', 'leading_enterprise', 0, 0),"                                  \
	" (10, '协和国际医疗部', 'xie he', 'service_provider', 0, 0),"                                               \
	" (11, '天河机场贵宾服务', 'tian he', 'service_provider', 0, 0),"                                           \
	" (12, '汉口银行', 'han kou yin hang', 'bank', 0, 0);"                                                          \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"                      \
	" (7, 'olga', 'Olga', 'x', 0, 0), (8, 'prov', 'Provider', 'x', 0, 0), (9, 'comm', 'Comm', 'x', 0, 0),"              \
	" (20, 'tal1', 'Talent 1', 'x', 0, 0);"                                                                             \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, commissioner_id, created_at, updated_at) VALUES"        \
	" (1, '测试甲', 'ce shi jia', 'ceshijia', 1, 9, 0, 0), (2, '测试乙', 'ce shi yi', 'ceshiyi', 1, NULL, 0, 0)," \
	" (3, '测试丙', 'ce shi bing', 'ceshibing', 1, NULL, 0, 0);"                                                     \
	"INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, applied_at,"          \
	" card_no, valid_from, valid_to, reason, updated_at) VALUES"                                                        \
	" (1, 1, 12, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000018', '2026-01-01',"            \
	"  '2029-01-01', NULL, 0),"                                                                                         \
	" (2, 2, 12, 'active', 'high_level', 1, printf('%064d', 0), 0, 0, '8156000000000026', '2026-01-01',"                \
	"  '2029-01-01', NULL, 0),"                                                                                         \
	" (3, 3, 12, 'revoked', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000034', '2026-01-01',"           \
	"  '2029-01-01', 'lost', 0);"

static const struct gg_actor officer = {7, "olga", NULL};
static const struct gg_actor provider_actor = {8, "prov", NULL};

struct bfx {
	char tmp[256];
	char path[300];
	struct gg_db *db;
	struct gg_keys keys;
	int64_t checkup, vip, lounge, other; /* items */
};

static struct gg_principal provider(int64_t org)
{
	struct gg_principal p = {.kind = GG_AUTH_TOKEN, .user_id = 8, .nroles = 1};

	p.roles[0] = (struct gg_role_grant){GG_ROLE_provider, GG_SCOPE_ORG, org};
	return p;
}

static struct gg_principal talent(int64_t id)
{
	struct gg_principal p = {.kind = GG_AUTH_SESSION, .user_id = 20, .nroles = 1};

	p.roles[0] = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, id};
	return p;
}

static struct gg_principal commissioner(void)
{
	struct gg_principal p = {.kind = GG_AUTH_SESSION, .user_id = 9, .nroles = 1};

	p.roles[0] = (struct gg_role_grant){GG_ROLE_commissioner, GG_SCOPE_NONE, 0};
	return p;
}

static int64_t item(struct bfx *f, const char *category, int64_t provider_id, const char *tier1, const char *tier2,
                    int64_t quota, int booking)
{
	struct gg_benefit_item_in in = {.category = category,
	                                .name = "体检",
	                                .name_en = "Check-up",
	                                .provider_id = provider_id,
	                                .tiers = {tier1, tier2},
	                                .ntiers = tier2 ? 2 : 1,
	                                .annual_quota = quota,
	                                .needs_booking = booking,
	                                .active = 1};
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	if (gg_benefit_item_create(f->db, &officer, &in, &id, &err) != GG_OK)
		fail_msg("item: %s", gg_error_message(&err));
	return id;
}

static int setup(void **state)
{
	struct bfx *f = calloc(1, sizeof(*f));
	struct gg_error err;

	if (!f)
		return -1;
	setenv("GUANGGU_TEST_NOW", NOW, 1);
	unit_tmpdir(f->tmp, sizeof f->tmp);
	snprintf(f->path, sizeof f->path, "%s/g.db", f->tmp);
	memset(f->keys.data, 7, sizeof f->keys.data);
	memset(f->keys.index, 9, sizeof f->keys.index);
	gg_error_init(&err);
	if (unit_db_create(f->path, &f->db) != 0 || gg_db_exec(f->db, ROWS, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return -1;
	}
	f->checkup = item(f, "medical_services", 10, "leading_talent", "top_scientist", 1, 1);
	f->vip = item(f, "leisure_holidays", 11, "leading_talent", NULL, 6, 0);
	f->lounge = item(f, "leisure_holidays", 11, "top_scientist", NULL, 0, 0);
	f->other = item(f, "medical_services", 10, "leading_talent", "high_level", 1, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct bfx *f = *state;

	unsetenv("GUANGGU_TEST_NOW");
	gg_db_close(f->db);
	unit_rmtree(f->tmp);
	free(f);
	return 0;
}

/* A token (and code into code when not NULL) of card at tier, minted in its own write transaction. */
static void mint(struct bfx *f, int64_t card, const char *tier, char token[GG_CARDTOKEN_MAX], char *code)
{
	struct gg_cardtoken_minted m;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(f->db, GG_DB_WRITE, &err), GG_OK);
	if (gg_cardtoken_mint(f->db, &f->keys, card, tier, gg_clock_now(), 300, &m, &err) != GG_OK)
		fail_msg("mint: %s", gg_error_message(&err));
	assert_int_equal(gg_db_commit(f->db, &err), GG_OK);
	memcpy(token, m.token, GG_CARDTOKEN_MAX);
	if (code)
		memcpy(code, m.code, GG_CARDTOKEN_CODE_LEN + 1);
}

static enum gg_err redeem(struct bfx *f, const struct gg_principal *pr, const char *token, const char *code,
                          int64_t item_id, int64_t booking, int64_t *id, struct gg_error *err)
{
	struct gg_benefit_redeem_in in = {.token = token, .code = code, .item_id = item_id, .booking_id = booking};

	gg_error_init(err);
	return gg_benefit_redeem(f->db, &provider_actor, pr, &in, id, NULL, err);
}

static int64_t slot(struct bfx *f, int64_t item_id, const char *starts, int64_t capacity)
{
	struct gg_error err;
	int64_t s = 0, id = 0;

	assert_int_equal(gg_clock_parse_iso(starts, &s), 0);
	gg_error_init(&err);
	if (gg_benefit_slot_create(f->db, &officer, item_id, s, s + 3600, capacity, &id, &err) != GG_OK)
		fail_msg("slot: %s", gg_error_message(&err));
	return id;
}

static void test_categories(void **state)
{
	struct bfx *f = *state;
	struct gg_benefit_category c[GG_BENEFIT_CATEGORIES_MAX];
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	assert_int_equal(gg_benefit_categories(f->db, c, GG_BENEFIT_CATEGORIES_MAX, &n, &err), GG_OK);
	assert_int_equal(n, 9);
	assert_string_equal(c[0].token, "cobranded_card");
	assert_string_equal(c[2].token, "medical_services");
	assert_int_equal(c[2].items, 2);
	assert_string_equal(c[2].zh, "医疗服务");
	assert_int_equal(c[4].items, 2);
	assert_string_equal(c[8].token, "residence_entry_exit");
}

static void test_items(void **state)
{
	struct bfx *f = *state;
	struct gg_benefit_item_in in = {.category = "nope",
	                                .name = "",
	                                .name_en = "x",
	                                .provider_id = 1,
	                                .tiers = {"leading_talent", "leading_talent"},
	                                .ntiers = 2,
	                                .annual_quota = -1};
	struct gg_benefit_item it;
	struct gg_benefit_item_query q = {.active = -1, .limit = 50, .scope = {.unscoped = 1}};
	struct gg_benefit_item *list = NULL;
	struct gg_error err;
	size_t n = 0;
	int more = 0;
	int64_t id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_benefit_item_create(f->db, &officer, &in, &id, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 5);
	assert_string_equal(err.fields[0].field, "category");
	assert_string_equal(err.fields[1].field, "name");
	assert_string_equal(err.fields[2].field, "annual_quota");
	assert_string_equal(err.fields[3].field, "provider_id");
	assert_non_null(strstr(err.fields[3].message, "service_provider or bank"));
	assert_string_equal(err.fields[4].field, "tiers.1");
	in = (struct gg_benefit_item_in){.category = "housing",
	                                 .name = "人才公寓",
	                                 .name_en = "Talent flat",
	                                 .provider_id = 12,
	                                 .tiers = {"nobody"},
	                                 .ntiers = 1};
	gg_error_init(&err);
	assert_int_equal(gg_benefit_item_create(f->db, &officer, &in, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "tiers.0");
	in.tiers[0] = "high_level";
	in.active = 1;
	gg_error_init(&err);
	assert_int_equal(gg_benefit_item_create(f->db, &officer, &in, &id, &err), GG_OK);
	assert_int_equal(gg_benefit_item_get(f->db, id, &it, &err), GG_OK);
	assert_string_equal(it.provider, "汉口银行");
	assert_int_equal(it.annual_quota, 0);
	assert_int_equal(it.ntiers, 1);
	assert_int_equal(it.version, 1);
	/* an update at a stale version, then at the right one */
	memset(&in, 0, sizeof in);
	in.set_quota = 1;
	in.annual_quota = 2;
	in.set_tiers = 1;
	in.tiers[0] = "top_scientist";
	in.tiers[1] = "strategic_scientist";
	in.ntiers = 2;
	assert_int_equal(gg_benefit_item_update(f->db, &officer, id, &in, 5, &err), GG_E_STALE);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_item_update(f->db, &officer, id, &in, 1, &err), GG_OK);
	assert_int_equal(gg_benefit_item_get(f->db, id, &it, &err), GG_OK);
	assert_int_equal(it.annual_quota, 2);
	assert_int_equal(it.version, 2);
	assert_string_equal(it.tiers[0], "strategic_scientist"); /* in the vocabulary's order */
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action = 'benefit.item_update'"), 1);
	assert_int_equal(gg_benefit_item_update(f->db, &officer, 999, &in, 0, &err), GG_E_NOT_FOUND);
	/* lists: filters, a provider's scope */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_item_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 5);
	free(list);
	q.category = "leisure_holidays";
	assert_int_equal(gg_benefit_item_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	free(list);
	q.category = NULL;
	q.tier = "high_level";
	assert_int_equal(gg_benefit_item_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, f->other);
	free(list);
	q.tier = NULL;
	struct gg_principal p = provider(11);
	gg_benefit_scope(&p, GG_PERM_benefits_read, &q.scope);
	assert_int_equal(gg_benefit_item_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	free(list);
	p = talent(1);
	gg_benefit_scope(&p, GG_PERM_benefits_read, &q.scope);
	q.limit = 2;
	assert_int_equal(gg_benefit_item_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	free(list);
}

static void test_redeem(void **state)
{
	struct bfx *f = *state;
	struct gg_principal p10 = provider(10), p11 = provider(11);
	struct gg_benefit_usage u[16];
	char tok[GG_CARDTOKEN_MAX], code[16], tok2[GG_CARDTOKEN_MAX], tok3[GG_CARDTOKEN_MAX];
	struct gg_benefit_redeem_in in = {0};
	enum gg_cardtoken_reason reason;
	struct gg_error err;
	int64_t id = 0;
	size_t n = 0;

	mint(f, 1, "leading_talent", tok, code);
	mint(f, 2, "high_level", tok2, NULL);
	/* the VIP passage (quota 6) by token, then by code */
	assert_int_equal(redeem(f, &p11, tok, NULL, f->vip, 0, &id, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(redeem(f, &p11, NULL, code, f->vip, 0, &id, &err), GG_OK);
	assert_int_equal(unit_db_i64(f->db, "SELECT used FROM benefit_usage WHERE card_id = 1 AND year = 2026"), 2);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action = 'benefit.redeem'"), 2);
	/* another provider's item: as unknown */
	assert_int_equal(redeem(f, &p10, tok, NULL, f->vip, 0, &id, &err), GG_E_NOT_FOUND);
	assert_string_equal(err.fields[0].field, "item_id");
	/* the tier excludes it */
	assert_int_equal(redeem(f, &p11, tok, NULL, f->lounge, 0, &id, &err), GG_E_TIER_EXCLUDED);
	assert_non_null(strstr(gg_error_message(&err), "leading_talent"));
	/* quota 1 without booking: once, then refused */
	assert_int_equal(redeem(f, &p10, NULL, NULL, f->other, 0, &id, &err), GG_E_INVALID);
	assert_int_equal(redeem(f, &p10, tok2, NULL, f->other, 0, &id, &err), GG_OK);
	assert_int_equal(redeem(f, &p10, tok2, NULL, f->other, 0, &id, &err), GG_E_QUOTA_EXCEEDED);
	assert_int_equal(id, 0);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM benefit_redemptions WHERE card_id = 2"), 1);
	/* a booking is needed for the check-up */
	assert_int_equal(redeem(f, &p10, tok, NULL, f->checkup, 0, &id, &err), GG_E_BOOKING_REQUIRED);
	/* a booking_id for an item that needs none */
	assert_int_equal(redeem(f, &p10, tok2, NULL, f->other, 5, &id, &err), GG_E_INVALID);
	/* a forged token, an unknown code, a revoked card */
	assert_int_equal(redeem(f, &p11, "GC1.k1.1.leading_talent.9999999999.forged", NULL, f->vip, 0, &id, &err),
	                 GG_E_CARD_INVALID);
	assert_int_equal(redeem(f, &p11, NULL, "00000000", f->vip, 0, &id, &err), GG_E_CARD_INVALID);
	assert_string_equal(err.fields[0].field, "code");
	mint(f, 3, "leading_talent", tok3, NULL);
	in = (struct gg_benefit_redeem_in){.token = tok3, .item_id = f->vip};
	gg_error_init(&err);
	assert_int_equal(gg_benefit_redeem(f->db, &provider_actor, &p11, &in, &id, &reason, &err), GG_E_CARD_INVALID);
	assert_int_equal(reason, GG_CTR_REVOKED);
	assert_non_null(strstr(gg_error_message(&err), "revoked"));
	/* an item withdrawn from the catalogue */
	{
		struct gg_benefit_item_in up = {.set_active = 1, .active = 0};

		gg_error_init(&err);
		assert_int_equal(gg_benefit_item_update(f->db, &officer, f->vip, &up, 0, &err), GG_OK);
		assert_int_equal(redeem(f, &p11, tok, NULL, f->vip, 0, &id, &err), GG_E_RULE);
		up.active = 1;
		assert_int_equal(gg_benefit_item_update(f->db, &officer, f->vip, &up, 0, &err), GG_OK);
	}
	/* the card's benefits this year: its tier's items, used and remaining */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_card_usage(f->db, 1, 0, 2026, u, 16, &n, &err), GG_OK);
	assert_int_equal(n, 3); /* checkup, other (medical), vip (leisure) */
	assert_int_equal(u[0].item.id, f->checkup);
	assert_int_equal(u[0].remaining, 1);
	assert_int_equal(u[2].item.id, f->vip);
	assert_int_equal(u[2].used, 2);
	assert_int_equal(u[2].quota, 6);
	assert_int_equal(u[2].remaining, 4);
	assert_int_equal(gg_benefit_card_usage(f->db, 1, 11, 2026, u, 16, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(gg_benefit_card_usage(f->db, 1, 11, 2027, u, 16, &n, &err), GG_OK);
	assert_int_equal(u[0].used, 0);
	assert_int_equal(gg_benefit_year(T_NOW), 2026);
}

static void test_bookings(void **state)
{
	struct bfx *f = *state;
	struct gg_principal t1 = talent(1), t2 = talent(2), comm = commissioner(), p10 = provider(10),
	                    p11 = provider(11);
	struct gg_benefit_booking b;
	struct gg_benefit_slot slots[8];
	struct gg_benefit_list_query q = {.status = -1, .limit = 50};
	struct gg_benefit_booking *list = NULL;
	struct gg_benefit_redemption *rl = NULL;
	char tok[GG_CARDTOKEN_MAX];
	struct gg_error err;
	int64_t today, tomorrow, nextweek, bk = 0, bk2 = 0, id = 0, vipslot;
	size_t n = 0;
	int more = 0;

	today = slot(f, f->checkup, "2026-06-01T06:00:00Z", 5);    /* 14:00 local, today */
	tomorrow = slot(f, f->checkup, "2026-06-02T01:00:00Z", 1); /* capacity 1 */
	nextweek = slot(f, f->checkup, "2026-06-08T01:00:00Z", 5);
	gg_error_init(&err);
	/* slots: refused for items without booking, in the past, too long */
	assert_int_equal(gg_benefit_slot_create(f->db, &officer, f->vip, T_NOW + 100, T_NOW + 200, 1, &vipslot, &err),
	                 GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_slot_create(f->db, &officer, f->checkup, T_NOW - 100, T_NOW + 200, 0, &id, &err),
	                 GG_E_INVALID);
	assert_int_equal(err.nfields, 2);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_slot_list(f->db, f->checkup, T_NOW, slots, 8, &n, &err), GG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(slots[0].id, today);
	/* a slot that started: insert one directly in the past */
	unit_db_exec(f->db, "INSERT INTO benefit_slots (id, item_id, starts_at, ends_at, capacity) VALUES"
	                    " (900, 1, 1780270000, 1780290000, 3)");
	assert_int_equal(gg_benefit_book(f->db, &officer, &t1, 1, 900, 0, &bk, &err), GG_E_SLOT_UNAVAILABLE);
	assert_non_null(strstr(gg_error_message(&err), "future"));
	/* a slot of another item */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t1, 1, today, f->vip, &bk, &err), GG_E_SLOT_UNAVAILABLE);
	assert_string_equal(err.fields[0].field, "slot_id");
	/* another talent's card: as unknown */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t2, 1, today, 0, &bk, &err), GG_E_NOT_FOUND);
	/* card 2's tier is not included */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t2, 2, today, 0, &bk, &err), GG_E_TIER_EXCLUDED);
	/* a revoked card */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, NULL, 3, today, 0, &bk, &err), GG_E_CONFLICT);
	/* the commissioner books tomorrow for its assigned talent; the quota (1) refuses a second slot */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, &comm, 1, tomorrow, 0, &bk, &err), GG_OK);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t1, 1, nextweek, 0, &bk2, &err), GG_E_QUOTA_EXCEEDED);
	assert_int_equal(unit_db_i64(f->db, "SELECT booked FROM benefit_slots WHERE id = 2"), 1);
	/* the slot is full for another card of the tier */
	unit_db_exec(f->db, "UPDATE cards SET tier = 'top_scientist' WHERE id = 2");
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, NULL, 2, tomorrow, 0, &bk2, &err), GG_E_SLOT_FULL);
	unit_db_exec(f->db, "UPDATE cards SET tier = 'high_level' WHERE id = 2");
	/* allowed actions: the talent may cancel, the provider may not redeem tomorrow's */
	gg_error_init(&err);
	assert_int_equal(gg_benefit_booking_get(f->db, bk, &b, &err), GG_OK);
	assert_int_equal(gg_benefit_booking_allowed(&b, &t1), 1u << GG_BOOKA_CANCEL);
	assert_int_equal(gg_benefit_booking_allowed(&b, &p10), 0);
	assert_true(gg_benefit_booking_visible(&b, &p10));
	assert_false(gg_benefit_booking_visible(&b, &p11));
	assert_false(gg_benefit_booking_visible(&b, &t2));
	/* cancelling releases the quota and the place: then today's slot */
	assert_int_equal(gg_benefit_booking_cancel(f->db, &officer, &t2, bk, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_booking_cancel(f->db, &officer, &t1, bk, &err), GG_OK);
	assert_int_equal(gg_benefit_booking_cancel(f->db, &officer, &t1, bk, &err), GG_E_CONFLICT);
	assert_int_equal(unit_db_i64(f->db, "SELECT booked FROM benefit_slots WHERE id = 2"), 0);
	assert_int_equal(unit_db_i64(f->db, "SELECT used FROM benefit_usage WHERE card_id = 1 AND item_id = 1"), 0);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t1, 1, today, f->checkup, &bk2, &err), GG_OK);
	assert_int_equal(gg_benefit_book(f->db, &officer, &t1, 1, today, 0, &id, &err), GG_E_QUOTA_EXCEEDED);
	assert_int_equal(gg_benefit_booking_get(f->db, bk2, &b, &err), GG_OK);
	assert_int_equal(gg_benefit_booking_allowed(&b, &p10), 1u << GG_BOOKA_REDEEM);
	/* the provider redeems today's booking (found without its id); the quota stays used once */
	mint(f, 1, "leading_talent", tok, NULL);
	assert_int_equal(redeem(f, &p10, tok, NULL, f->checkup, 0, &id, &err), GG_OK);
	assert_int_equal(unit_db_i64(f->db, "SELECT status = 'redeemed' FROM benefit_bookings WHERE id = 2"), 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT used FROM benefit_usage WHERE card_id = 1 AND item_id = 1"), 1);
	assert_int_equal(redeem(f, &p10, tok, NULL, f->checkup, bk2, &id, &err), GG_E_CONFLICT);
	/* without a booking once the year's quota is used: refused for the quota, not for the booking */
	gg_error_init(&err);
	assert_int_equal(redeem(f, &p10, tok, NULL, f->checkup, 0, &id, &err), GG_E_QUOTA_EXCEEDED);
	assert_int_equal(gg_benefit_booking_cancel(f->db, &officer, &t1, bk2, &err), GG_E_CONFLICT);
	/* lists by scope */
	gg_benefit_scope(&t1, GG_PERM_benefits_read, &q.scope);
	gg_error_init(&err);
	assert_int_equal(gg_benefit_booking_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	free(list);
	gg_benefit_scope(&t2, GG_PERM_benefits_read, &q.scope);
	assert_int_equal(gg_benefit_booking_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	free(list);
	gg_benefit_scope(&comm, GG_PERM_benefits_read, &q.scope);
	q.status = GG_BOOKING_REDEEMED;
	assert_int_equal(gg_benefit_booking_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	free(list);
	gg_benefit_scope(&p10, GG_PERM_benefits_read, &q.scope);
	assert_int_equal(gg_benefit_redemption_list(f->db, &q, &rl, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rl[0].booking_id, bk2);
	assert_string_equal(rl[0].redeemed_by_name, "Provider");
	free(rl);
	gg_benefit_scope(&p11, GG_PERM_benefits_read, &q.scope);
	assert_int_equal(gg_benefit_redemption_list(f->db, &q, &rl, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	free(rl);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action IN ('benefit.book',"
	                                    " 'benefit.cancel', 'benefit.slot_create')"),
	                 6);
}

struct job {
	const char *path;
	const char *token;
	int64_t item, card, slot;
	int book;
	enum gg_err rc;
};

static void *redeem_thread(void *arg)
{
	struct job *j = arg;
	struct gg_db_options opt = {.busy_timeout_ms = 30000};
	struct gg_principal p = provider(10);
	struct gg_db *db = NULL;
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	if ((j->rc = gg_db_open(j->path, &opt, &db, &err)) != GG_OK)
		return NULL;
	if (j->book) {
		j->rc = gg_benefit_book(db, &officer, NULL, j->card, j->slot, 0, &id, &err);
	} else {
		struct gg_benefit_redeem_in in = {.token = j->token, .item_id = j->item};
		j->rc = gg_benefit_redeem(db, &provider_actor, &p, &in, &id, NULL, &err);
	}
	gg_db_close(db);
	return NULL;
}

/* 50 providers' counters redeem a quota-1 item of one card at once: one use, 49 refusals. */
static void test_concurrent_redeem(void **state)
{
	struct bfx *f = *state;
	pthread_t t[50];
	struct job jobs[50];
	char tok[GG_CARDTOKEN_MAX];
	int ok = 0, refused = 0;

	mint(f, 2, "high_level", tok, NULL);
	for (int i = 0; i < 50; i++) {
		jobs[i] = (struct job){.path = f->path, .token = tok, .item = f->other};
		assert_int_equal(pthread_create(&t[i], NULL, redeem_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 50; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 50; i++) {
		if (jobs[i].rc != GG_OK && jobs[i].rc != GG_E_QUOTA_EXCEEDED)
			fail_msg("redemption %d: %s", i, gg_err_code(jobs[i].rc));
		ok += jobs[i].rc == GG_OK;
		refused += jobs[i].rc == GG_E_QUOTA_EXCEEDED;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(refused, 49);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM benefit_redemptions"), 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT used FROM benefit_usage WHERE card_id = 2"), 1);
}

/* 20 cards book the last place of a slot at once: one booking, 19 slot_full. */
static void test_concurrent_book(void **state)
{
	struct bfx *f = *state;
	pthread_t t[20];
	struct job jobs[20];
	int64_t s;
	int ok = 0, full = 0;

	unit_db_exec(f->db,
	             "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 119)"
	             " INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at)"
	             " SELECT i, 'x' || i, 'x', 'x', 1, 0, 0 FROM n;"
	             "INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at,"
	             " applied_at, card_no, valid_from, valid_to, updated_at)"
	             " SELECT id, id, 12, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0,"
	             " printf('8156%012d', id), '2026-01-01', '2029-01-01', 0 FROM talents WHERE id >= 100;");
	s = slot(f, f->checkup, "2026-06-03T01:00:00Z", 1);
	for (int i = 0; i < 20; i++) {
		jobs[i] = (struct job){.path = f->path, .card = 100 + i, .slot = s, .book = 1};
		assert_int_equal(pthread_create(&t[i], NULL, redeem_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 20; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 20; i++) {
		if (jobs[i].rc != GG_OK && jobs[i].rc != GG_E_SLOT_FULL)
			fail_msg("booking %d: %s", i, gg_err_code(jobs[i].rc));
		ok += jobs[i].rc == GG_OK;
		full += jobs[i].rc == GG_E_SLOT_FULL;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(full, 19);
	assert_int_equal(unit_db_i64(f->db, "SELECT booked FROM benefit_slots WHERE capacity = 1 AND booked = 1"), 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT sum(used) FROM benefit_usage WHERE card_id >= 100"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_categories, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_items, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_redeem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bookings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_redeem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_book, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
