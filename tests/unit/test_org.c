/*
 * test_org: organisation records on a migrated SQLite database in a
 * temporary directory (with random personal-data keys), the masking rules
 * shared with talents, and the vocabulary. Every write is checked for what
 * it stored (normalised name, upper-case code, tokens, sealed contacts),
 * for its audit row, and every refusal for leaving nothing behind; a
 * write that changes nothing must write nothing.
 */
#include "unit.h"

#include "core/chinese.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/mask.h"
#include "domain/org.h"
#include "domain/role.h"
#include "domain/vocabulary.h"
#include "store/db.h"
#include "store/migrate.h"

#define USCC_A "91350100M000100Y43" /* the public sample code of GB 32100 */

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_keys keys;
};

static const struct gg_actor officer = {7, "officer", "req-1"};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || gg_crypto_init() != GG_OK || gg_chinese_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/org.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_crypto_random(fx->keys.data, sizeof fx->keys.data);
	gg_crypto_random(fx->keys.index, sizeof fx->keys.index);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* A credit code from 17 characters, its check character computed by the formula 3^i mod 31. */
static void make_uscc(const char *c17, char *out)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	int sum = 0, w = 1;

	for (int i = 0; i < 17; i++) {
		sum += (int)(strchr(alphabet, c17[i]) - alphabet) * w;
		w = (w * 3) % 31;
		out[i] = c17[i];
	}
	out[17] = alphabet[(31 - sum % 31) % 31];
	out[18] = '\0';
}

/* The text of a one-row, one-column query with one integer parameter, copied into out. */
static void query_text(struct gg_db *db, const char *sql, int64_t arg, char *out, size_t outsz)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;

	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, sql, &st, &err), GG_OK);
	assert_int_equal(gg_db_bind_i64(st, 1, arg), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_true(row);
	snprintf(out, outsz, "%s", gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "(null)");
	gg_db_done(st);
}

/* The audit rows of organisation id, newest first. */
static size_t audit_of(struct gg_db *db, int64_t id, struct gg_audit_row **rows)
{
	struct gg_audit_filter f = {.entity = "org", .entity_id = id, .limit = 50};
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	assert_int_equal(gg_audit_list(db, &f, rows, &n, &err), GG_OK);
	return n;
}

static void test_mask_rules(void **state)
{
	char m[GG_MASK_MAX];

	(void)state;
	assert_int_equal(gg_mask_resident_id("42011119800101123X", m, sizeof m), GG_OK);
	assert_string_equal(m, "420***********123X");
	assert_int_equal(gg_mask_document("resident_id", "110101199001011234", m, sizeof m), GG_OK);
	assert_string_equal(m, "110***********1234");
	assert_int_equal(gg_mask_passport("E12345678", m, sizeof m), GG_OK);
	assert_string_equal(m, "E*****678");
	assert_int_equal(gg_mask_document("passport", "G1234567", m, sizeof m), GG_OK);
	assert_string_equal(m, "G****567");
	assert_int_equal(gg_mask_phone("13812345678", m, sizeof m), GG_OK);
	assert_string_equal(m, "138****5678");
	assert_int_equal(gg_mask_phone("+8613812345678", m, sizeof m), GG_OK);
	assert_string_equal(m, "+86****5678");
	assert_int_equal(gg_mask_phone("027-87654321", m, sizeof m), GG_OK);
	assert_string_equal(m, "027****4321");
	assert_int_equal(gg_mask_email("wang.jq@example.com", m, sizeof m), GG_OK);
	assert_string_equal(m, "w***@example.com");
	assert_int_equal(gg_mask_email("x@example.com", m, sizeof m), GG_OK);
	assert_string_equal(m, "x***@example.com");
	/* too short to keep anything: all stars */
	assert_int_equal(gg_mask_phone("1234567", m, sizeof m), GG_OK);
	assert_string_equal(m, "****");
	assert_int_equal(gg_mask_passport("E123", m, sizeof m), GG_OK);
	assert_string_equal(m, "****");
	assert_int_equal(gg_mask_email("nobody", m, sizeof m), GG_OK);
	assert_string_equal(m, "***");
	/* characters, not bytes: a multi-byte first character is kept whole */
	assert_int_equal(gg_mask_email("王@example.com", m, sizeof m), GG_OK);
	assert_string_equal(m, "王***@example.com");
	/* a buffer too small fails and leaves "" */
	assert_int_equal(gg_mask_phone("13812345678", m, 5), GG_E_TOO_LARGE);
	assert_string_equal(m, "");
}

static void test_vocabulary(void **state)
{
	struct fixture *fx = *state;
	struct gg_vocabulary *v = NULL;
	struct gg_error err;
	char tok[64];
	int found = 0;
	size_t n;

	assert_string_equal(gg_vocab_lookup(GG_VOCAB_ORG_KIND, "龙头企业"), "leading_enterprise");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_ORG_KIND, " rd_unit "), "rd_unit");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_ORG_KIND, "university"), "university");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_ORG_KIND, "Leading Enterprise"), "leading_enterprise");
	assert_null(gg_vocab_lookup(GG_VOCAB_ORG_KIND, "company"));
	assert_null(gg_vocab_lookup(GG_VOCAB_ORG_KIND, ""));
	assert_null(gg_vocab_lookup(GG_VOCAB_ORG_KIND, NULL));
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_GENDER, "女"), "female");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_DOC_TYPE, "居民身份证"), "resident_id");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_HONOUR, "中国科学院院士"), "cas_academician");
	assert_string_equal(gg_vocab_lookup(GG_VOCAB_STATUS, "已落地"), "landed");
	/* the fixed lists hold exactly the values of the schema's CHECK constraints */
	static const char *const kinds[] = {"leading_enterprise", "rd_unit", "university",       "incubator",
	                                    "platform",           "bank",    "service_provider", "other"};
	const struct gg_vocab_item *items = gg_vocab_items(GG_VOCAB_ORG_KIND, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(items[i].token, kinds[i]);
	gg_vocab_items(GG_VOCAB_STATUS, &n);
	assert_int_equal(n, 5);
	gg_vocab_items(GG_VOCAB_HONOUR, &n);
	assert_int_equal(n, 5);
	assert_string_equal(gg_vocab_list_name(GG_VOCAB_DOC_TYPE), "doc_types");
	assert_null(gg_vocab_items(GG_VOCAB__COUNT, &n));
	assert_int_equal(n, 0);

	gg_error_init(&err);
	assert_int_equal(gg_vocab_load(fx->db, &v, &err), GG_OK);
	assert_int_equal(v->ntiers, 5);
	assert_string_equal(v->tiers[0].token, "strategic_scientist");
	assert_true(v->tiers[0].high_level);
	assert_false(v->tiers[4].high_level);
	assert_int_equal(v->nchains, 6);
	assert_int_equal(v->nsegments, 15);
	size_t total = 0;
	for (size_t c = 0; c < v->nchains; c++) {
		for (size_t s = 0; s < v->chains[c].nsegments; s++)
			assert_string_equal(v->segments[v->chains[c].first_segment + s].chain, v->chains[c].token);
		total += v->chains[c].nsegments;
	}
	assert_int_equal(total, 15);
	assert_string_equal(gg_vocab_find_tier(v, "3551光谷领军人才"), "leading_talent");
	assert_string_equal(gg_vocab_find_segment(v, "合成生物学"), "synthetic_biology");
	assert_null(gg_vocab_find_segment(v, "quantum"));
	gg_vocab_free(v);

	assert_int_equal(gg_vocab_segment_lookup(fx->db, "激光", tok, sizeof tok, &found, &err), GG_OK);
	assert_true(found);
	assert_string_equal(tok, "lasers");
	assert_int_equal(gg_vocab_tier_lookup(fx->db, "high_level", tok, sizeof tok, &found, &err), GG_OK);
	assert_true(found);
	assert_string_equal(tok, "high_level");
	assert_int_equal(gg_vocab_tier_lookup(fx->db, "nope", tok, sizeof tok, &found, &err), GG_OK);
	assert_false(found);
}

static void test_validate(void **state)
{
	struct gg_error err;
	char many[GG_ORG_NAME_MAX * 3 + 8] = "";

	(void)state;
	struct gg_org_input in = {0};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&in, 1, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 2);
	assert_string_equal(err.fields[0].field, "name");
	assert_string_equal(err.fields[1].field, "kind");
	/* a change needs neither */
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&in, 0, &err), GG_OK);

	struct gg_org_contact_input contacts[] = {
	    {.name = "李联系", .set_phone = 1, .phone = "12345", .set_email = 1, .email = "no-at-sign"},
	    {.name = "", .set_phone = 1, .phone = "027-87654321"},
	};
	struct gg_org_input bad = {
	    .set_name = 1,
	    .name = "光迅科技",
	    .set_uscc = 1,
	    .uscc = "91350100M000100Y44",
	    .set_kind = 1,
	    .kind = "company",
	    .set_contacts = 1,
	    .contacts = contacts,
	    .ncontacts = 2,
	};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&bad, 1, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 5);
	assert_string_equal(err.fields[0].field, "uscc");
	assert_string_equal(err.fields[0].message, "uscc check character is '4', expected '3' (GB 32100 mod 31)");
	assert_string_equal(err.fields[1].field, "kind");
	assert_string_equal(err.fields[1].message, "unknown organisation kind 'company'");
	assert_string_equal(err.fields[2].field, "contacts.0.phone");
	assert_string_equal(err.fields[3].field, "contacts.0.email");
	assert_string_equal(err.fields[4].field, "contacts.1.name");

	for (int i = 0; i < GG_ORG_NAME_MAX + 1; i++)
		strcat(many, "光");
	struct gg_org_input longname = {.set_name = 1, .name = many, .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&longname, 1, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].message, "name must be at most 128 characters (got 129)");
	many[strlen(many) - 3] = '\0'; /* 128 characters */
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&longname, 1, &err), GG_OK);

	struct gg_org_input blankname = {.set_name = 1, .name = "   ", .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&blankname, 1, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].message, "name is required");
	struct gg_org_input ctl = {.set_name = 1, .name = "a\x01b", .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&ctl, 1, &err), GG_OK); /* NFKC drops control characters */
	struct gg_org_input tooctl = {.set_name = 1, .name = "\x01\x02", .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_validate(&tooctl, 1, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].message, "name is required");

	/* accepted phone forms */
	static const char *const phones[] = {"13812345678",  "+8613812345678",   "027-87654321",   "02787654321",
	                                     "0710-1234567", "027-87654321-123", " 138 1234 5678 "};
	for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		struct gg_org_contact_input c = {.name = "张", .set_phone = 1, .phone = phones[i]};
		struct gg_org_input one = {.set_contacts = 1, .contacts = &c, .ncontacts = 1};
		gg_error_init(&err);
		if (gg_org_validate(&one, 0, &err) != GG_OK)
			print_error("phone %s: %s\n", phones[i], gg_error_message(&err));
		assert_int_equal(err.code, GG_OK);
	}
	static const char *const bad_phones[] = {"12812345678", "1381234567",    "+0123",       "27-87654321",
	                                         "phone",       "027--87654321", "138123456789"};
	for (size_t i = 0; i < sizeof bad_phones / sizeof bad_phones[0]; i++) {
		struct gg_org_contact_input c = {.name = "张", .set_phone = 1, .phone = bad_phones[i]};
		struct gg_org_input one = {.set_contacts = 1, .contacts = &c, .ncontacts = 1};
		gg_error_init(&err);
		assert_int_equal(gg_org_validate(&one, 0, &err), GG_E_INVALID);
	}
}

static void test_create_normalises_and_seals(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	struct gg_org *o = NULL;
	struct gg_audit_row *rows = NULL;
	char text[512];
	int64_t id = 0;

	const char *segs[] = {"激光", "optical_communication", "lasers"};
	struct gg_org_contact_input contacts[] = {
	    {.name = "李　四",
	     .title = "人力资源部经理",
	     .set_phone = 1,
	     .phone = "138 1234 5678",
	     .set_email = 1,
	     .email = "li.si@example.com"},
	};
	struct gg_org_input in = {
	    .set_name = 1,
	    .name = "ＡＢＣ光电（武汉）有限公司",
	    .set_uscc = 1,
	    .uscc = "91350100m000100y43",
	    .set_kind = 1,
	    .kind = "龙头企业",
	    .set_park = 1,
	    .park = "光谷软件园",
	    .set_segments = 1,
	    .segments = segs,
	    .nsegments = 3,
	    .set_verified = 1,
	    .verified = 1,
	    .set_contacts = 1,
	    .contacts = contacts,
	    .ncontacts = 1,
	};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_string_equal(o->name, "ABC光电(武汉)有限公司");
	assert_non_null(strstr(o->pinyin, "guang dian"));
	assert_non_null(strstr(o->pinyin, "wu han"));
	assert_string_equal(o->uscc, USCC_A);
	assert_string_equal(o->kind, "leading_enterprise");
	assert_string_equal(o->park, "光谷软件园");
	assert_true(o->verified);
	assert_int_equal(o->nsegments, 2);
	assert_string_equal(o->segments[0], "lasers");
	assert_string_equal(o->segments[1], "optical_communication");
	assert_int_equal(o->ncontacts, 1);
	assert_string_equal(o->contacts[0].name, "李 四");
	assert_string_equal(o->contacts[0].title, "人力资源部经理");
	assert_string_equal(o->contacts[0].phone_masked, "138****5678");
	assert_string_equal(o->contacts[0].email_masked, "l***@example.com");
	assert_int_equal(o->talents_count, 0);
	assert_int_equal(o->version, 1);
	assert_true(o->created_at > 0);
	gg_org_free(o);

	/* the plain values are nowhere in the database, the sealed ones open with the key */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM org_contacts WHERE phone_enc IS NOT NULL AND "
	                                     "email_enc IS NOT NULL AND instr(phone_enc, '13812345678') = 0"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%13812345678%' OR "
	                                     "changes LIKE '%li.si@%'"),
	                 0);
	{
		struct gg_stmt *st = NULL;
		struct gg_buf b;
		int row = 0;
		size_t len = 0;
		gg_buf_init(&b, 1024);
		assert_int_equal(gg_db_prepare(fx->db, "SELECT phone_enc FROM org_contacts", &st, &err), GG_OK);
		assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
		const void *p = gg_db_col_blob(st, 0, &len);
		assert_int_equal(gg_crypto_open(&fx->keys, "org_contacts.phone", p, len, &b), GG_OK);
		assert_string_equal(b.buf, "13812345678");
		/* bound to its field: as an e-mail it does not open */
		assert_int_not_equal(gg_crypto_open(&fx->keys, "org_contacts.email", p, len, &b), GG_OK);
		gg_db_done(st);
		gg_buf_release(&b);
	}

	/* one audit row with every field, contacts masked */
	size_t n = audit_of(fx->db, id, &rows);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "org.create");
	assert_string_equal(rows[0].actor, "officer");
	assert_string_equal(rows[0].request_id, "req-1");
	assert_non_null(strstr(rows[0].changes_json, "\"field\":\"uscc\""));
	assert_non_null(strstr(rows[0].changes_json, USCC_A));
	assert_non_null(strstr(rows[0].changes_json, "lasers;optical_communication"));
	assert_non_null(strstr(rows[0].changes_json, "138****5678"));
	assert_null(strstr(rows[0].changes_json, "13812345678"));
	gg_audit_rows_free(rows, n);

	/* the search terms were built in the same transaction */
	query_text(fx->db, "SELECT COUNT(*) FROM org_terms WHERE org_id = ?", id, text, sizeof text);
	assert_true(atoi(text) > 0);
}

static void test_duplicate_and_refusals_write_nothing(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	int64_t id = 0, first = 0;
	int64_t orgs_before, audit_before;
	char code[19];

	make_uscc("91420100MA4K00012", code);
	struct gg_org_input a = {.set_name = 1,
	                         .name = "光迅科技",
	                         .set_uscc = 1,
	                         .uscc = code,
	                         .set_kind = 1,
	                         .kind = "leading_enterprise"};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &a, &first, &err), GG_OK);

	orgs_before = unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs");
	audit_before = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	struct gg_org_input b = {
	    .set_name = 1, .name = "另一家", .set_uscc = 1, .uscc = code, .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &b, &id, &err), GG_E_DUPLICATE);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "uscc");
	char want[96];
	snprintf(want, sizeof want, "organisation %lld has this credit code", (long long)first);
	assert_string_equal(err.fields[0].message, want);

	/* an unknown segment */
	const char *segs[] = {"lasers", "quantum_sensing"};
	struct gg_org_input c = {.set_name = 1,
	                         .name = "新公司",
	                         .set_kind = 1,
	                         .kind = "other",
	                         .set_segments = 1,
	                         .segments = segs,
	                         .nsegments = 2};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &c, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "segments.1");
	assert_string_equal(err.fields[0].message, "unknown segment 'quantum_sensing'");

	/* an invalid code names the rule */
	struct gg_org_input d = {.set_name = 1,
	                         .name = "新公司",
	                         .set_kind = 1,
	                         .kind = "other",
	                         .set_uscc = 1,
	                         .uscc = "91350100I000100Y43"};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &d, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].message, "uscc contains 'I', which GB 32100 does not allow");

	/* a contact id of another organisation */
	struct gg_org_contact_input ci = {.id = 999, .name = "某人"};
	struct gg_org_input e = {.set_contacts = 1, .contacts = &ci, .ncontacts = 1};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, first, &e, 0, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "contacts.0.id");

	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs"), orgs_before);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_before);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs WHERE name = '新公司'"), 0);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM org_segments WHERE org_id NOT IN (SELECT id FROM orgs)"), 0);
}

static void test_update_unchanged_and_stale(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	struct gg_org *o = NULL;
	struct gg_audit_row *rows = NULL;
	enum gg_org_outcome oc;
	int64_t id = 0, again = 0;
	char code[19];

	make_uscc("91420100MA4K00023", code);
	const char *segs[] = {"ic_design"};
	struct gg_org_input in = {.set_name = 1,
	                          .name = "鑫赛尔",
	                          .set_uscc = 1,
	                          .uscc = code,
	                          .set_kind = 1,
	                          .kind = "rd_unit",
	                          .set_segments = 1,
	                          .segments = segs,
	                          .nsegments = 1};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_OK);
	int64_t audit_before = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");

	/* the same values again (labels instead of tokens, code in lower case): nothing written */
	const char *segs2[] = {"集成电路设计"};
	char lower[19];
	for (int i = 0; i < 19; i++)
		lower[i] = (char)((code[i] >= 'A' && code[i] <= 'Z') ? code[i] + 32 : code[i]);
	struct gg_org_input same = {.set_name = 1,
	                            .name = "鑫赛尔",
	                            .set_uscc = 1,
	                            .uscc = lower,
	                            .set_kind = 1,
	                            .kind = "研发单位",
	                            .set_segments = 1,
	                            .segments = segs2,
	                            .nsegments = 1};
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_org_write_tx(fx->db, &fx->keys, &officer, id, &same, 1, &again, &oc, &err), GG_OK);
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	assert_int_equal(oc, GG_ORG_UNCHANGED);
	assert_int_equal(again, id);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_before);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->version, 1);
	gg_org_free(o);

	/* a change of one field: one audit row naming only it */
	struct gg_org_input park = {.set_park = 1, .park = "光谷生物城"};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &park, 1, &oc, &err), GG_OK);
	assert_int_equal(oc, GG_ORG_UPDATED);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->version, 2);
	assert_string_equal(o->park, "光谷生物城");
	assert_string_equal(o->kind, "rd_unit");
	assert_int_equal(o->nsegments, 1);
	gg_org_free(o);
	size_t n = audit_of(fx->db, id, &rows);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].action, "org.update");
	assert_string_equal(rows[0].changes_json, "[{\"field\":\"park\",\"old\":null,\"new\":\"光谷生物城\"}]");
	gg_audit_rows_free(rows, n);

	/* a stale version is refused, nothing changes */
	struct gg_org_input kind = {.set_kind = 1, .kind = "platform"};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &kind, 1, &oc, &err), GG_E_STALE);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_string_equal(o->kind, "rd_unit");
	gg_org_free(o);

	/* clearing: park and code set to nothing */
	struct gg_org_input clear = {.set_park = 1, .park = NULL, .set_uscc = 1, .uscc = "", .set_segments = 1};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &clear, 2, &oc, &err), GG_OK);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_null(o->park);
	assert_null(o->uscc);
	assert_int_equal(o->nsegments, 0);
	assert_int_equal(o->version, 3);
	gg_org_free(o);

	/* a name may not be cleared, nor may kind */
	struct gg_org_input noname = {.set_name = 1, .name = NULL, .set_kind = 1, .kind = NULL};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &noname, 0, &oc, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 2);

	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, 424242, &park, 0, &oc, &err), GG_E_NOT_FOUND);
	assert_string_equal(gg_error_message(&err), "unknown organisation 424242");
	gg_error_init(&err);
	assert_int_equal(gg_org_get(fx->db, 424242, &o, &err), GG_E_NOT_FOUND);
	assert_null(o);
}

static void test_contacts(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	struct gg_org *o = NULL;
	struct gg_audit_row *rows = NULL;
	enum gg_org_outcome oc;
	int64_t id = 0, c1, c2;

	struct gg_org_contact_input two[] = {
	    {.name = "赵一", .set_phone = 1, .phone = "13911112222", .set_email = 1, .email = "zhao@example.com"},
	    {.name = "钱二", .title = "主任", .set_phone = 1, .phone = "027-87654321"},
	};
	struct gg_org_input in = {.set_name = 1,
	                          .name = "华扬科瑞",
	                          .set_kind = 1,
	                          .kind = "rd_unit",
	                          .set_contacts = 1,
	                          .contacts = two,
	                          .ncontacts = 2};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_OK);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->ncontacts, 2);
	c1 = o->contacts[0].id;
	c2 = o->contacts[1].id;
	assert_string_equal(o->contacts[1].phone_masked, "027****4321");
	assert_null(o->contacts[1].email_masked);
	gg_org_free(o);

	/* naming the contacts by id without phone or e-mail keeps them: nothing changes */
	struct gg_org_contact_input keep[] = {{.id = c1, .name = "赵一"}, {.id = c2, .name = "钱二", .title = "主任"}};
	struct gg_org_input same = {.set_contacts = 1, .contacts = keep, .ncontacts = 2};
	int64_t audit_before = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &same, 0, &oc, &err), GG_OK);
	assert_int_equal(oc, GG_ORG_UNCHANGED);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_before);

	/* keep the first with a new phone whose mask is the same, drop the second, add a third */
	struct gg_org_contact_input next[] = {
	    {.id = c1, .name = "赵一", .set_phone = 1, .phone = "13900002222"},
	    {.name = "孙三", .set_email = 1, .email = "sun@example.org"},
	};
	struct gg_org_input change = {.set_contacts = 1, .contacts = next, .ncontacts = 2};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &change, 1, &oc, &err), GG_OK);
	assert_int_equal(oc, GG_ORG_UPDATED);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->ncontacts, 2);
	assert_int_equal(o->contacts[0].id, c1);
	assert_string_equal(o->contacts[0].phone_masked, "139****2222");
	assert_string_equal(o->contacts[0].email_masked, "z***@example.com"); /* kept */
	assert_string_equal(o->contacts[1].name, "孙三");
	assert_true(o->contacts[1].id > c2);
	assert_string_equal(o->contacts[1].email_masked, "s***@example.org");
	int64_t c3 = o->contacts[1].id;
	gg_org_free(o);

	size_t n = audit_of(fx->db, id, &rows);
	assert_int_equal(n, 2);
	char f[64];
	/* the phone change is recorded although both masks read the same */
	snprintf(f, sizeof f, "\"field\":\"contacts.%lld.phone\",\"old\":\"139****2222\"", (long long)c1);
	assert_non_null(strstr(rows[0].changes_json, f));
	snprintf(f, sizeof f, "\"field\":\"contacts.%lld.name\",\"old\":\"钱二\",\"new\":null", (long long)c2);
	assert_non_null(strstr(rows[0].changes_json, f));
	snprintf(f, sizeof f, "\"field\":\"contacts.%lld.email\",\"old\":null", (long long)c3);
	assert_non_null(strstr(rows[0].changes_json, f));
	assert_null(strstr(rows[0].changes_json, "13900002222"));
	assert_null(strstr(rows[0].changes_json, "sun@example.org"));
	gg_audit_rows_free(rows, n);

	/* without keys, a write that must open or seal personal data fails cleanly */
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, NULL, &officer, id, &change, 0, &oc, &err), GG_E_INTERNAL);

	/* clearing the list removes every contact */
	struct gg_org_input none = {.set_contacts = 1};
	gg_error_init(&err);
	assert_int_equal(gg_org_update(fx->db, &fx->keys, &officer, id, &none, 0, &oc, &err), GG_OK);
	assert_int_equal(gg_org_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->ncontacts, 0);
	gg_org_free(o);
}

static void test_find_count_and_scope(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	struct gg_org *o = NULL;
	int64_t a = 0, b = 0, id = 0;
	int found = 0;
	char code[19];

	make_uscc("91420100MA4K00034", code);
	struct gg_org_input ia = {.set_name = 1,
	                          .name = "高德红外",
	                          .set_uscc = 1,
	                          .uscc = code,
	                          .set_kind = 1,
	                          .kind = "leading_enterprise"};
	struct gg_org_input ib = {.set_name = 1, .name = "高德红外", .set_kind = 1, .kind = "other"};
	gg_error_init(&err);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &ia, &a, &err), GG_OK);
	assert_int_equal(gg_org_create(fx->db, &fx->keys, &officer, &ib, &b, &err), GG_OK);

	char lower[19];
	for (int i = 0; i < 19; i++)
		lower[i] = (char)((code[i] >= 'A' && code[i] <= 'Z') ? code[i] + 32 : code[i]);
	assert_int_equal(gg_org_find_by_uscc(fx->db, lower, &id, &found, &err), GG_OK);
	assert_int_equal(found, 1);
	assert_int_equal(id, a);
	assert_int_equal(gg_org_find_by_uscc(fx->db, "91350100M000100Y44", &id, &found, &err), GG_OK);
	assert_int_equal(found, 0);
	assert_int_equal(gg_org_find_by_name(fx->db, "高德红外", &id, &found, &err), GG_OK);
	assert_int_equal(found, 2);
	assert_int_equal(id, a);
	assert_int_equal(gg_org_find_by_name(fx->db, "ＡＢＣ光电（武汉）有限公司", &id, &found, &err), GG_OK);
	assert_int_equal(found, 1);
	assert_int_equal(gg_org_find_by_name(fx->db, "不存在", &id, &found, &err), GG_OK);
	assert_int_equal(found, 0);

	/* talents_count: talents of the organisation not merged into another */
	char sql[256];
	snprintf(sql, sizeof sql,
	         "INSERT INTO talents (name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES "
	         "('甲', 'jia', 'jia', %lld, 1, 1), ('乙', 'yi', 'yi', %lld, 1, 1)",
	         (long long)a, (long long)a);
	assert_int_equal(gg_db_exec(fx->db, sql, &err), GG_OK);
	snprintf(sql, sizeof sql,
	         "INSERT INTO talents (name, pinyin, pinyin_key, org_id, merged_into, created_at, updated_at) "
	         "SELECT '丙', 'bing', 'bing', %lld, MIN(id), 1, 1 FROM talents",
	         (long long)a);
	assert_int_equal(gg_db_exec(fx->db, sql, &err), GG_OK);
	assert_int_equal(gg_org_get(fx->db, a, &o, &err), GG_OK);
	assert_int_equal(o->talents_count, 2);
	gg_org_free(o);

	/* scopes */
	struct gg_principal employer = {.kind = GG_AUTH_SESSION, .user_id = 3, .nroles = 1};
	employer.roles[0] = (struct gg_role_grant){GG_ROLE_employer, GG_SCOPE_ORG, b};
	assert_true(gg_org_visible(&employer, b));
	assert_false(gg_org_visible(&employer, a));
	int64_t scope = 99;
	gg_org_scope(&employer, &scope);
	assert_int_equal(scope, b);
	struct gg_principal officer_pr = {.kind = GG_AUTH_SESSION, .user_id = 2, .nroles = 1};
	officer_pr.roles[0] = (struct gg_role_grant){GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0};
	assert_true(gg_org_visible(&officer_pr, a));
	gg_org_scope(&officer_pr, &scope);
	assert_int_equal(scope, 0);
	/* a talent's own role reads no organisations */
	struct gg_principal talent = {.kind = GG_AUTH_SESSION, .user_id = 4, .nroles = 1};
	talent.roles[0] = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, 1};
	assert_false(gg_org_visible(&talent, a));
	gg_org_scope(&talent, &scope);
	assert_int_equal(scope, -1);
	/* an employer that is also a leader reads everything */
	employer.roles[1] = (struct gg_role_grant){GG_ROLE_leader, GG_SCOPE_NONE, 0};
	employer.nroles = 2;
	assert_true(gg_org_visible(&employer, a));
	gg_org_scope(&employer, &scope);
	assert_int_equal(scope, 0);
	assert_false(gg_org_visible(NULL, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask_rules),
	    cmocka_unit_test(test_vocabulary),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_create_normalises_and_seals),
	    cmocka_unit_test(test_duplicate_and_refusals_write_nothing),
	    cmocka_unit_test(test_update_unchanged_and_stale),
	    cmocka_unit_test(test_contacts),
	    cmocka_unit_test(test_find_count_and_scope),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
