/*
 * test_talent: talent records on a migrated SQLite database in a
 * temporary directory with random keys. Validation is checked through a
 * table (each bad value names its field and rule, each good one passes);
 * writes are checked for what they leave behind: no plaintext personal
 * data anywhere in the database file, masked copies, one audit row per
 * change with personal data masked, nothing at all for a write that
 * changes nothing, a refused duplicate document naming the record, and a
 * reveal that logs its read.
 */
#include "unit.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/ident.h"
#include "domain/role.h"
#include "domain/talent.h"
#include "store/db.h"
#include "store/migrate.h"

#define T0 1800000000LL /* 2027-01-15T08:00:00Z */

/* Invented people: resident ids get their check character computed in setup. */
#define ID17_A   "42010119850317123" /* born 1985-03-17 */
#define BIRTH_A  "1985-03-17"
#define ID17_B   "11010519900101002" /* born 1990-01-01 */
#define BIRTH_B  "1990-01-01"
#define PHONE_A  "13812345678"
#define PHONE_A2 "13987654321"
#define EMAIL_A  "Wang.Test@Example.com"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_keys keys;
	char id_a[GG_IDENT_BUF];
	char id_b[GG_IDENT_BUF];
	int64_t org1, org2, commissioner;
};

static const struct gg_actor officer = {7, "officer", "req-1"};

static void set_now(int64_t t)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)t);
	assert_int_equal(setenv("GUANGGU_TEST_NOW", s, 1), 0);
}

static void make_id(const char *d17, char out[GG_IDENT_BUF])
{
	snprintf(out, GG_IDENT_BUF, "%s%c", d17, gg_ident_resident_check_char(d17));
}

static int64_t query_i64(struct gg_db *db, const char *sql, int64_t arg)
{
	struct gg_error err;
	int64_t v = 0;
	int found = 0;

	gg_error_init(&err);
	assert_int_equal(gg_db_query_i64(db, sql, &arg, arg ? 1 : 0, &v, &found, &err), GG_OK);
	return found ? v : -1;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_error err;

	if (!fx || gg_crypto_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/talent.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_error_init(&err);
	gg_crypto_random(fx->keys.data, sizeof fx->keys.data);
	gg_crypto_random(fx->keys.index, sizeof fx->keys.index);
	make_id(ID17_A, fx->id_a);
	make_id(ID17_B, fx->id_b);
	set_now(T0);
	if (gg_db_exec(fx->db,
	               "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES "
	               "(1, '光谷测试科技', 'guang gu ce shi ke ji', 'leading_enterprise', 0, 0), "
	               "(2, '江城测试研究院', 'jiang cheng ce shi yan jiu yuan', 'rd_unit', 0, 0); "
	               "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) "
	               "VALUES (5, 'zhuanyuan', 'Zhuanyuan', 'x', 0, 0)",
	               &err) != GG_OK) {
		print_error("fixture rows: %s\n", gg_error_message(&err));
		return -1;
	}
	fx->org1 = 1;
	fx->org2 = 2;
	fx->commissioner = 5;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	gg_crypto_keys_wipe(&fx->keys);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

/* A complete input for person A. */
static void person_a(const struct fixture *fx, struct gg_talent_input *in)
{
	static const char *const fields[] = {"光通信", "硅光芯片"};
	static const char *const segments[] = {"optical_communication", "lasers"};
	static const struct gg_talent_honour honours[] = {{"national_award", 2015}, {"cas_academician", 2019}};

	memset(in, 0, sizeof *in);
	in->set_name = 1;
	in->name = "王测试";
	in->set_gender = 1;
	in->gender = "male";
	in->set_birth_date = 1;
	in->birth_date = BIRTH_A;
	in->set_nationality = 1;
	in->nationality = "CN";
	in->set_document = 1;
	in->doc_type = "resident_id";
	in->doc_number = fx->id_a;
	in->set_phone = 1;
	in->phone = PHONE_A;
	in->set_email = 1;
	in->email = EMAIL_A;
	in->set_org = 1;
	in->org_id = fx->org1;
	in->set_title = 1;
	in->title = "首席科学家";
	in->set_fields = 1;
	in->fields = fields;
	in->nfields = 2;
	in->set_segments = 1;
	in->segments = segments;
	in->nsegments = 2;
	in->set_honours = 1;
	in->honours = honours;
	in->nhonours = 2;
	in->set_tier = 1;
	in->tier = "top_scientist";
	in->set_status = 1;
	in->status = "landed";
}

static int64_t create_a(struct fixture *fx)
{
	struct gg_talent_input in;
	struct gg_error err;
	int64_t id = 0;

	person_a(fx, &in);
	gg_error_init(&err);
	if (gg_talent_create(fx->db, &fx->keys, &officer, &in, &id, &err) != GG_OK)
		fail_msg("create: %s (%s)", gg_error_message(&err), err.nfields ? err.fields[0].field : "");
	assert_true(id > 0);
	return id;
}

/* Validation: one row per case; field NULL means the value is accepted. */
enum vkey {
	V_NAME,
	V_LATIN,
	V_GENDER,
	V_BIRTH,
	V_NATIONALITY,
	V_RESIDENT,
	V_RESIDENT_BORN_A,
	V_PASSPORT,
	V_DOC_TYPE,
	V_PHONE,
	V_EMAIL,
	V_STATUS,
	V_TIER,
	V_SEGMENT,
	V_FIELD,
	V_HONOUR_KIND,
	V_HONOUR_YEAR,
	V_TITLE,
	V_NOTES
};

struct vcase {
	enum vkey key;
	const char *value;
	const char *field;   /* expected field error, NULL: valid */
	const char *message; /* a part of the expected message */
};

static const struct vcase vcases[] = {
    {V_NAME, "王金桥", NULL, NULL},
    {V_NAME, "", "name", "required"},
    {V_NAME, "   ", "name", "required"},
    {V_NAME,
     "名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字"
     "名字名字名字名字名",
     "name", "longer than 64"},
    {V_NAME, "bad\x01name", "name", "control characters"},
    {V_NAME, "\xff\xfe", "name", "utf-8"},
    {V_LATIN, "Jinqiao WANG", NULL, NULL},
    {V_GENDER, "female", NULL, NULL},
    {V_GENDER, "f", "gender", "unknown gender 'f'"},
    {V_BIRTH, "1985-03-17", NULL, NULL},
    {V_BIRTH, "2000-02-29", NULL, NULL},
    {V_BIRTH, "1999-02-29", "birth_date", "not a real date"},
    {V_BIRTH, "1985-13-01", "birth_date", "not a real date"},
    {V_BIRTH, "85-03-17", "birth_date", "not a real date"},
    {V_BIRTH, "1899-12-31", "birth_date", "not a real date"},
    {V_BIRTH, "2090-01-01", "birth_date", "in the future"},
    {V_NATIONALITY, "CN", NULL, NULL},
    {V_NATIONALITY, "cn", NULL, NULL},
    {V_NATIONALITY, "CHN", "nationality", "two letters"},
    {V_NATIONALITY, "C1", "nationality", "two letters"},
    {V_RESIDENT, "A", NULL, NULL}, /* the valid id of person A */
    {V_RESIDENT, "CHECK", "document.number", "check character"},
    {V_RESIDENT, "4201011985031712", "document.number", "18 characters"},
    {V_RESIDENT_BORN_A, "B", "document.number", "does not match"},
    {V_PASSPORT, "E12345678", NULL, NULL},
    {V_PASSPORT, "e 1234 5678", NULL, NULL},
    {V_PASSPORT, "E12", "document.number", "5 to 20"},
    {V_PASSPORT, "E1234-5678", "document.number", "5 to 20"},
    {V_DOC_TYPE, "driving_licence", "document.type", "unknown document type"},
    {V_PHONE, "13812345678", NULL, NULL},
    {V_PHONE, "138 1234 5678", NULL, NULL},
    {V_PHONE, "+86 138-1234-5678", NULL, NULL},
    {V_PHONE, "+442071234567", NULL, NULL},
    {V_PHONE, "12812345678", "phone", "Chinese mobile"},
    {V_PHONE, "1381234567", "phone", "Chinese mobile"},
    {V_PHONE, "+1234567890123456", "phone", "up to 15 digits"},
    {V_PHONE, "phone", "phone", "Chinese mobile"},
    {V_EMAIL, "a@example.com", NULL, NULL},
    {V_EMAIL, "a@example", "email", "name@example.com"},
    {V_EMAIL, "a b@example.com", "email", "name@example.com"},
    {V_EMAIL, "@example.com", "email", "name@example.com"},
    {V_EMAIL, "a@@example.com", "email", "name@example.com"},
    {V_EMAIL, "a@-x.com", "email", "name@example.com"},
    {V_STATUS, "serving", NULL, NULL},
    {V_STATUS, "retired", "status", "unknown status 'retired'"},
    {V_STATUS, "", "status", "required"},
    {V_TIER, "leading_talent", NULL, NULL},
    {V_TIER, "Top Scientist", "tier", "unknown tier"},
    {V_SEGMENT, "lasers", NULL, NULL},
    {V_SEGMENT, "Lasers!", "segments.0", "unknown segment"},
    {V_FIELD, "光通信", NULL, NULL},
    {V_FIELD, "", "fields.0", "must not be empty"},
    {V_FIELD, "a;b", "fields.0", "';'"},
    {V_HONOUR_KIND, "nobel", NULL, NULL},
    {V_HONOUR_KIND, "oscar", "honours.0.kind", "unknown honour 'oscar'"},
    {V_HONOUR_YEAR, "2019", NULL, NULL},
    {V_HONOUR_YEAR, "0", NULL, NULL},
    {V_HONOUR_YEAR, "1899", "honours.0.year", "1900 to 2100"},
    {V_HONOUR_YEAR, "2101", "honours.0.year", "1900 to 2100"},
    {V_TITLE, "教授", NULL, NULL},
    {V_NOTES, "第一行\n第二行", NULL, NULL},
};

static void test_validation_table(void **state)
{
	struct fixture *fx = *state;
	char bad_check[GG_IDENT_BUF];

	/* person A's id with a wrong check character */
	memcpy(bad_check, fx->id_a, sizeof bad_check);
	bad_check[17] = bad_check[17] == '0' ? '1' : '0';

	for (size_t i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		const struct vcase *c = &vcases[i];
		const char *items[1] = {c->value};
		struct gg_talent_honour honour = {"nobel", 2001};
		struct gg_talent_input in;
		struct gg_error err;
		enum gg_err rc;

		memset(&in, 0, sizeof in);
		gg_error_init(&err);
		switch (c->key) {
		case V_NAME:
			in.set_name = 1;
			in.name = c->value;
			break;
		case V_LATIN:
			in.set_latin_name = 1;
			in.latin_name = c->value;
			break;
		case V_GENDER:
			in.set_gender = 1;
			in.gender = c->value;
			break;
		case V_BIRTH:
			in.set_birth_date = 1;
			in.birth_date = c->value;
			break;
		case V_NATIONALITY:
			in.set_nationality = 1;
			in.nationality = c->value;
			break;
		case V_RESIDENT:
		case V_RESIDENT_BORN_A:
			in.set_document = 1;
			in.doc_type = "resident_id";
			in.doc_number = strcmp(c->value, "A") == 0       ? fx->id_a
			                : strcmp(c->value, "B") == 0     ? fx->id_b
			                : strcmp(c->value, "CHECK") == 0 ? bad_check
			                                                 : c->value;
			if (c->key == V_RESIDENT_BORN_A) {
				in.set_birth_date = 1;
				in.birth_date = BIRTH_A;
			}
			break;
		case V_PASSPORT:
			in.set_document = 1;
			in.doc_type = "passport";
			in.doc_number = c->value;
			break;
		case V_DOC_TYPE:
			in.set_document = 1;
			in.doc_type = c->value;
			in.doc_number = "E12345678";
			break;
		case V_PHONE:
			in.set_phone = 1;
			in.phone = c->value;
			break;
		case V_EMAIL:
			in.set_email = 1;
			in.email = c->value;
			break;
		case V_STATUS:
			in.set_status = 1;
			in.status = c->value;
			break;
		case V_TIER:
			in.set_tier = 1;
			in.tier = c->value;
			break;
		case V_SEGMENT:
			in.set_segments = 1;
			in.segments = items;
			in.nsegments = 1;
			break;
		case V_FIELD:
			in.set_fields = 1;
			in.fields = items;
			in.nfields = 1;
			break;
		case V_HONOUR_KIND:
			honour.kind = c->value;
			in.set_honours = 1;
			in.honours = &honour;
			in.nhonours = 1;
			break;
		case V_HONOUR_YEAR:
			honour.year = atoi(c->value);
			in.set_honours = 1;
			in.honours = &honour;
			in.nhonours = 1;
			break;
		case V_TITLE:
			in.set_title = 1;
			in.title = c->value;
			break;
		case V_NOTES:
			in.set_notes = 1;
			in.notes = c->value;
			break;
		}
		rc = gg_talent_validate(&in, &err);
		if (!c->field) {
			if (rc != GG_OK)
				fail_msg("case %zu '%s': refused: %s", i, c->value, gg_error_message(&err));
			continue;
		}
		if (rc != GG_E_INVALID || err.nfields < 1)
			fail_msg("case %zu '%s': accepted, expected an error on %s", i, c->value, c->field);
		if (strcmp(err.fields[0].field, c->field) != 0 || !strstr(err.fields[0].message, c->message))
			fail_msg("case %zu '%s': got %s: %s; expected %s: ...%s...", i, c->value, err.fields[0].field,
			         err.fields[0].message, c->field, c->message);
	}
}

static void test_create_requires_name(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent_input in;
	struct gg_error err;
	int64_t id = 0;

	memset(&in, 0, sizeof in);
	in.set_city = 1;
	in.city = "武汉";
	gg_error_init(&err);
	assert_int_equal(gg_talent_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "name");
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM talents", 0), 0);
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0), 0);
}

/* Reads the database file (and its WAL) into memory. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	*len = 0;
	if (!f)
		return calloc(1, 1);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)size, f);
	fclose(f);
	return buf;
}

static int file_holds(const char *path, const char *needle)
{
	char wal[400];
	size_t len;
	char *data = slurp(path, &len);
	int found = memmem(data, len, needle, strlen(needle)) != NULL;

	free(data);
	snprintf(wal, sizeof wal, "%s-wal", path);
	data = slurp(wal, &len);
	found |= memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

static void test_encrypted_at_rest_and_masked(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent *t = NULL;
	struct gg_error err;
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 0};
	int64_t id = create_a(fx);

	gg_error_init(&err);
	assert_int_equal(gg_talent_get(fx->db, id, &t, &err), GG_OK);
	assert_string_equal(t->name, "王测试");
	assert_string_equal(t->pinyin, "wang ce shi");
	assert_string_equal(t->pinyin_key, "wangceshi");
	assert_string_equal(t->doc_type, "resident_id");
	/* first 3 and last 4 kept, one star per hidden character */
	assert_int_equal(strlen(t->doc_masked), 18);
	assert_memory_equal(t->doc_masked, "420***********", 14);
	assert_string_equal(t->doc_masked + 14, fx->id_a + 14);
	assert_string_equal(t->phone_masked, "138****5678");
	assert_string_equal(t->email_masked, "w***@example.com");
	assert_string_equal(t->org_name, "光谷测试科技");
	assert_int_equal(t->nfields, 2);
	assert_string_equal(t->fields[0], "光通信");
	assert_int_equal(t->nsegments, 2);
	assert_string_equal(t->segments[0], "lasers"); /* sorted */
	assert_int_equal(t->nhonours, 2);
	assert_string_equal(t->honours[0].kind, "cas_academician");
	assert_int_equal(t->honours[0].year, 2019);
	assert_string_equal(t->status, "landed");
	assert_int_equal(t->version, 1);
	assert_non_null(t->doc_enc);
	assert_null(memmem(t->doc_enc, t->doc_enc_len, fx->id_a, 18));
	gg_talent_free(t);

	/* nothing of the plaintext anywhere in the database file */
	gg_db_close(fx->db);
	fx->db = NULL;
	assert_false(file_holds(fx->path, fx->id_a));
	assert_false(file_holds(fx->path, fx->id_a + 6)); /* the id without its area code */
	assert_false(file_holds(fx->path, PHONE_A));
	assert_false(file_holds(fx->path, "12345678"));
	assert_false(file_holds(fx->path, "wang.test@example.com"));
	assert_false(file_holds(fx->path, EMAIL_A));
	assert_true(file_holds(fx->path, "138****5678")); /* the check can find what is there */
	assert_int_equal(gg_db_open(fx->path, &opt, &fx->db, &err), GG_OK);
}

static void test_decrypt_and_blind_index(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent *t = NULL;
	struct gg_talent_pii pii;
	struct gg_keys other;
	struct gg_error err;
	char spaced[32];
	int64_t id = create_a(fx), found_id = 0;
	int found = 0;

	gg_error_init(&err);
	assert_int_equal(gg_talent_get(fx->db, id, &t, &err), GG_OK);
	assert_int_equal(gg_talent_decrypt(&fx->keys, t, GG_PII_ALL, &pii, &err), GG_OK);
	assert_int_equal(pii.present, GG_PII_ALL);
	assert_string_equal(pii.doc_type, "resident_id");
	assert_string_equal(pii.doc_number, fx->id_a);
	assert_string_equal(pii.phone, PHONE_A);
	assert_string_equal(pii.email, "wang.test@example.com");
	gg_talent_pii_wipe(&pii);

	/* another installation's key does not open it */
	gg_crypto_random(other.data, sizeof other.data);
	memcpy(other.index, fx->keys.index, sizeof other.index);
	gg_error_init(&err);
	assert_int_not_equal(gg_talent_decrypt(&other, t, GG_PII_PHONE, &pii, &err), GG_OK);
	assert_int_equal(pii.present, 0);
	gg_talent_free(t);

	/* found by its document, also typed with spaces */
	snprintf(spaced, sizeof spaced, " %.6s %s ", fx->id_a, fx->id_a + 6);
	gg_error_init(&err);
	assert_int_equal(gg_talent_find_by_doc(fx->db, &fx->keys, "resident_id", spaced, &found_id, &found, &err),
	                 GG_OK);
	assert_int_equal(found, 1);
	assert_int_equal(found_id, id);
	assert_int_equal(gg_talent_find_by_doc(fx->db, &fx->keys, "resident_id", fx->id_b, &found_id, &found, &err),
	                 GG_OK);
	assert_int_equal(found, 0);
}

static void test_duplicate_document(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent_input in;
	struct gg_error err;
	char expected[64];
	int64_t first = create_a(fx), id = 0;
	int64_t audits = query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0);

	memset(&in, 0, sizeof in);
	in.set_name = 1;
	in.name = "李另一";
	in.set_document = 1;
	in.doc_type = "resident_id";
	in.doc_number = fx->id_a;
	gg_error_init(&err);
	assert_int_equal(gg_talent_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_E_DUPLICATE);
	snprintf(expected, sizeof expected, "talent %lld has this document number", (long long)first);
	assert_string_equal(gg_error_message(&err), expected);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "document.number");
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM talents", 0), 1);
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0), audits);

	/* a different number is fine; then changing it to A's is refused too */
	in.doc_number = fx->id_b;
	gg_error_init(&err);
	assert_int_equal(gg_talent_create(fx->db, &fx->keys, &officer, &in, &id, &err), GG_OK);
	memset(&in, 0, sizeof in);
	in.set_document = 1;
	in.doc_type = "resident_id";
	in.doc_number = fx->id_a;
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_E_DUPLICATE);
	assert_string_equal(err.fields[0].field, "document.number");
}

static void test_unchanged_write_writes_nothing(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent_input in;
	struct gg_error err;
	enum gg_talent_outcome outcome = GG_TALENT_CREATED;
	int64_t id = create_a(fx);
	int64_t audits = query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0);

	/* the same values, some typed differently (spaces, case, full-width digits) */
	person_a(fx, &in);
	in.phone = "138 1234 5678";
	in.email = "wang.test@EXAMPLE.com";
	in.name = " 王测试 ";
	in.nationality = "cn";
	set_now(T0 + 3600);
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 1, &outcome, &err), GG_OK);
	assert_int_equal(outcome, GG_TALENT_UNCHANGED);
	assert_int_equal(query_i64(fx->db, "SELECT version FROM talents WHERE id = ?", id), 1);
	assert_int_equal(query_i64(fx->db, "SELECT updated_at FROM talents WHERE id = ?", id), T0);
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0), audits);

	/* one real change: one audit row, version 2 */
	memset(&in, 0, sizeof in);
	in.set_city = 1;
	in.city = "武汉";
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 1, &outcome, &err), GG_OK);
	assert_int_equal(outcome, GG_TALENT_UPDATED);
	assert_int_equal(query_i64(fx->db, "SELECT version FROM talents WHERE id = ?", id), 2);
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM audit_log", 0), audits + 1);

	/* a stale version is refused, also when nothing would change */
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 1, &outcome, &err), GG_E_STALE);
}

/* The changes of the newest audit row of talent id. */
static char *last_changes(struct fixture *fx, int64_t id, char *action, size_t actionsz)
{
	struct gg_audit_filter f = {.entity = "talent", .entity_id = id, .limit = 1};
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t n = 0;
	char *changes;

	gg_error_init(&err);
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	snprintf(action, actionsz, "%s", rows[0].action);
	changes = strdup(rows[0].changes_json);
	gg_audit_rows_free(rows, n);
	return changes;
}

static void test_audit_old_new_masked(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent_input in;
	struct gg_error err;
	char action[64];
	char *changes;
	int64_t id = create_a(fx);

	changes = last_changes(fx, id, action, sizeof action);
	assert_string_equal(action, "talent.create");
	assert_non_null(strstr(changes, "{\"field\":\"name\",\"old\":null,\"new\":\"王测试\"}"));
	assert_non_null(strstr(changes, "\"field\":\"phone\",\"old\":null,\"new\":\"138****5678\""));
	assert_non_null(
	    strstr(changes, "\"field\":\"honours\",\"old\":null,\"new\":\"cas_academician:2019;national_award:2015\""));
	assert_null(strstr(changes, PHONE_A));
	assert_null(strstr(changes, fx->id_a + 3));
	assert_null(strstr(changes, "wang.test"));
	free(changes);

	memset(&in, 0, sizeof in);
	in.set_phone = 1;
	in.phone = PHONE_A2;
	in.set_status = 1;
	in.status = "serving";
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_OK);
	changes = last_changes(fx, id, action, sizeof action);
	assert_string_equal(action, "talent.update");
	assert_string_equal(changes, "[{\"field\":\"phone\",\"old\":\"138****5678\",\"new\":\"139****4321\"},"
	                             "{\"field\":\"status\",\"old\":\"landed\",\"new\":\"serving\"}]");
	free(changes);

	/* clearing the e-mail: old masked, new null */
	memset(&in, 0, sizeof in);
	in.set_email = 1;
	in.email = NULL;
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_OK);
	changes = last_changes(fx, id, action, sizeof action);
	assert_string_equal(changes, "[{\"field\":\"email\",\"old\":\"w***@example.com\",\"new\":null}]");
	free(changes);
	assert_int_equal(query_i64(fx->db,
	                           "SELECT COUNT(*) FROM talents WHERE email_enc IS NULL AND email_index IS "
	                           "NULL AND email_masked IS NULL AND id = ?",
	                           id),
	                 1);
}

static void test_references_and_birth_date(void **state)
{
	struct fixture *fx = *state;
	static const char *const segs[] = {"lasers", "quantum_cooking"};
	struct gg_talent_input in;
	struct gg_error err;
	int64_t id = create_a(fx);

	memset(&in, 0, sizeof in);
	in.set_org = 1;
	in.org_id = 99;
	in.set_tier = 1;
	in.tier = "demigod";
	in.set_segments = 1;
	in.segments = segs;
	in.nsegments = 2;
	in.set_commissioner = 1;
	in.commissioner_id = 77;
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 4);
	assert_string_equal(err.fields[0].field, "org_id");
	assert_string_equal(err.fields[0].message, "unknown organisation 99");
	assert_string_equal(err.fields[1].field, "tier");
	assert_string_equal(err.fields[2].field, "segments.1");
	assert_string_equal(err.fields[3].field, "commissioner_id");

	/* a birth date that disagrees with the stored resident id (decrypted to compare) */
	memset(&in, 0, sizeof in);
	in.set_birth_date = 1;
	in.birth_date = "1985-03-18";
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "birth_date");
	assert_non_null(strstr(err.fields[0].message, "1985-03-17"));

	/* a new id that disagrees with the stored birth date */
	memset(&in, 0, sizeof in);
	in.set_document = 1;
	in.doc_type = "resident_id";
	in.doc_number = fx->id_b;
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "document.number");
	assert_int_equal(query_i64(fx->db, "SELECT version FROM talents WHERE id = ?", id), 1);

	/* unknown ids */
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, 4242, &in, 0, NULL, &err), GG_E_NOT_FOUND);
}

static void test_reveal_logs_read(void **state)
{
	struct fixture *fx = *state;
	struct gg_talent_pii pii;
	struct gg_pii_read *reads = NULL;
	struct gg_error err;
	char action[64], *changes;
	size_t n = 0;
	int more = 0;
	int64_t id = create_a(fx);

	gg_error_init(&err);
	assert_int_equal(
	    gg_talent_reveal(fx->db, &fx->keys, &officer, id, GG_PII_DOCUMENT | GG_PII_PHONE, "核实身份", &pii, &err),
	    GG_OK);
	assert_int_equal(pii.present, GG_PII_DOCUMENT | GG_PII_PHONE);
	assert_string_equal(pii.doc_number, fx->id_a);
	assert_string_equal(pii.phone, PHONE_A);
	assert_string_equal(pii.email, "");
	gg_talent_pii_wipe(&pii);

	assert_int_equal(gg_talent_pii_reads(fx->db, id, 0, 50, &reads, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(more, 0);
	assert_int_equal(reads[0].reader_id, 7);
	assert_string_equal(reads[0].reader, "officer");
	assert_int_equal(reads[0].fields, GG_PII_DOCUMENT | GG_PII_PHONE);
	assert_string_equal(reads[0].purpose, "核实身份");
	assert_int_equal(reads[0].at, T0);
	assert_string_equal(reads[0].request_id, "req-1");
	free(reads);

	changes = last_changes(fx, id, action, sizeof action);
	assert_string_equal(action, "talent.pii_read");
	assert_string_equal(changes, "[{\"field\":\"fields\",\"old\":null,\"new\":\"document;phone\"},"
	                             "{\"field\":\"purpose\",\"old\":null,\"new\":\"核实身份\"}]");
	free(changes);

	/* nothing asked, or an unknown talent: refused, nothing logged */
	gg_error_init(&err);
	assert_int_equal(gg_talent_reveal(fx->db, &fx->keys, &officer, id, 0, NULL, &pii, &err), GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_talent_reveal(fx->db, &fx->keys, &officer, 999, GG_PII_PHONE, NULL, &pii, &err),
	                 GG_E_NOT_FOUND);
	assert_int_equal(query_i64(fx->db, "SELECT COUNT(*) FROM pii_reads", 0), 1);
}

static void principal(struct gg_principal *pr, int64_t uid, enum gg_role role, enum gg_scope_kind kind, int64_t scope)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = GG_AUTH_SESSION;
	pr->user_id = uid;
	pr->nroles = 1;
	pr->roles[0].role = role;
	pr->roles[0].scope_kind = kind;
	pr->roles[0].scope_id = scope;
}

static void test_scope(void **state)
{
	struct fixture *fx = *state;
	struct gg_principal pr;
	struct gg_talent_input in;
	struct gg_talent_scope sc;
	struct gg_error err;
	int64_t a = create_a(fx), b = 0, own = -1;

	memset(&in, 0, sizeof in);
	in.set_name = 1;
	in.name = "赵其他";
	in.set_org = 1;
	in.org_id = fx->org2;
	in.set_commissioner = 1;
	in.commissioner_id = fx->commissioner;
	gg_error_init(&err);
	assert_int_equal(gg_talent_create(fx->db, &fx->keys, &officer, &in, &b, &err), GG_OK);

	principal(&pr, 1, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	assert_true(gg_talent_visible(fx->db, &pr, a) && gg_talent_visible(fx->db, &pr, b));
	assert_false(gg_talent_visible(fx->db, &pr, 999));
	assert_true(gg_talent_pii_allowed(fx->db, &pr, a));
	assert_true(gg_talent_write_allowed(&pr, fx->org2, &own));
	assert_int_equal(own, 0);

	principal(&pr, 2, GG_ROLE_employer, GG_SCOPE_ORG, fx->org1);
	assert_true(gg_talent_visible(fx->db, &pr, a));
	assert_false(gg_talent_visible(fx->db, &pr, b));
	assert_false(gg_talent_pii_allowed(fx->db, &pr, a));
	assert_true(gg_talent_write_allowed(&pr, fx->org1, &own));
	assert_int_equal(own, fx->org1);
	assert_false(gg_talent_write_allowed(&pr, fx->org2, NULL));
	gg_talent_scope(&pr, &sc);
	assert_int_equal(sc.unscoped, 0);
	assert_int_equal(sc.org_id, fx->org1);

	principal(&pr, 3, GG_ROLE_talent, GG_SCOPE_TALENT, a);
	assert_true(gg_talent_visible(fx->db, &pr, a));
	assert_false(gg_talent_visible(fx->db, &pr, b));
	assert_true(gg_talent_pii_allowed(fx->db, &pr, a));
	assert_false(gg_talent_pii_allowed(fx->db, &pr, b));
	assert_false(gg_talent_write_allowed(&pr, 0, NULL));

	principal(&pr, fx->commissioner, GG_ROLE_commissioner, GG_SCOPE_NONE, 0);
	assert_false(gg_talent_visible(fx->db, &pr, a));
	assert_true(gg_talent_visible(fx->db, &pr, b));
	gg_talent_scope(&pr, &sc);
	assert_int_equal(sc.commissioner_id, fx->commissioner);

	principal(&pr, 4, GG_ROLE_leader, GG_SCOPE_NONE, 0);
	assert_true(gg_talent_visible(fx->db, &pr, b));
	assert_true(gg_talent_unscoped(&pr));
	assert_false(gg_talent_pii_allowed(fx->db, &pr, b));

	principal(&pr, 6, GG_ROLE_finance, GG_SCOPE_NONE, 0);
	assert_false(gg_talent_visible(fx->db, &pr, a));
	gg_talent_scope(&pr, &sc);
	assert_int_equal(sc.unscoped + sc.org_id + sc.talent_id + sc.commissioner_id, 0);
}

static void test_merged_ids(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	int64_t *ids = NULL;
	size_t n = 0;
	int64_t a = create_a(fx);

	gg_error_init(&err);
	assert_int_equal(gg_db_exec(fx->db,
	                            "INSERT INTO talents (id, name, pinyin, pinyin_key, created_at, updated_at) VALUES "
	                            "(50, 'x', 'x', 'x', 0, 0), (51, 'y', 'y', 'y', 0, 0)",
	                            &err),
	                 GG_OK);
	assert_int_equal(gg_db_exec(fx->db, "UPDATE talents SET merged_into = 50 WHERE id = 51", &err), GG_OK);
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE talents SET merged_into = %lld WHERE id = 50", (long long)a);
	assert_int_equal(gg_db_exec(fx->db, sql, &err), GG_OK);
	assert_int_equal(gg_talent_merged_ids(fx->db, a, &ids, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 50);
	assert_int_equal(ids[1], 51);
	free(ids);

	/* a merged record cannot be changed */
	struct gg_talent_input in;
	memset(&in, 0, sizeof in);
	in.set_city = 1;
	in.city = "北京";
	gg_error_init(&err);
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, 50, &in, 0, NULL, &err), GG_E_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_validation_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_requires_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_encrypted_at_rest_and_masked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_decrypt_and_blind_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_document, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unchanged_write_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_old_new_masked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_references_and_birth_date, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reveal_logs_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merged_ids, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
