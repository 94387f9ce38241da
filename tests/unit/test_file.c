/*
 * test_file: stored files (domain/file.c) on a migrated database. The
 * type is decided by the content's magic bytes and the name's extension
 * must agree; empty, oversized and badly named uploads are refused with
 * nothing written; the same content is stored once under ab/<sha256>
 * with one row per upload and its audit row; a file reads back only
 * while it matches its SHA-256 (a changed or truncated file is refused);
 * the directory of the files resolves relative to the data directory.
 */
#include "unit_recognition.h"

#include <sys/stat.h>

#include "domain/file.h"

static const char PDF[] = "%PDF-1.7\nbody\n";
static const char JPG[] = "\xff\xd8\xff\xe0JFIF";

static int setup(void **state)
{
	return (*state = unit_recognition_open(NULL, NULL)) ? 0 : -1;
}

static void test_sniff(void **state)
{
	struct gg_error err;
	const char *type = NULL;

	(void)state;
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff(PDF, sizeof PDF - 1, "a.pdf", &type, &err), GG_OK);
	assert_string_equal(type, "application/pdf");
	assert_int_equal(gg_file_sniff(JPG, sizeof JPG - 1, "photo.JPEG", &type, &err), GG_OK);
	assert_string_equal(type, "image/jpeg");
	assert_int_equal(gg_file_sniff(JPG, sizeof JPG - 1, "photo.jpg", &type, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff(JPG, sizeof JPG - 1, "photo.pdf", &type, &err), GG_E_MEDIA_TYPE);
	assert_string_equal(err.fields[0].field, "file");
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff(JPG, sizeof JPG - 1, "photo", &type, &err), GG_E_MEDIA_TYPE);
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff("%PDF", 4, "short.pdf", &type, &err), GG_E_MEDIA_TYPE);
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff("GIF89a", 6, "x.gif", &type, &err), GG_E_MEDIA_TYPE);
}

static void test_dir(void **state)
{
	struct gg_error err;
	char out[64];

	(void)state;
	gg_error_init(&err);
	assert_int_equal(gg_file_dir("var", "files", out, sizeof out, &err), GG_OK);
	assert_string_equal(out, "var/files");
	assert_int_equal(gg_file_dir("var", "/srv/files", out, sizeof out, &err), GG_OK);
	assert_string_equal(out, "/srv/files");
	assert_int_equal(gg_file_dir("var", "a-very-long-directory-name-that-does-not-fit-in-the-buffer-given", out,
	                             sizeof out, &err),
	                 GG_E_TOO_LARGE);
}

static enum gg_err store(struct gg_db *db, const char *dir, const char *name, const void *data, size_t len, int64_t max,
                         struct gg_file *f, struct gg_error *err)
{
	enum gg_err rc;

	gg_error_init(err);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, err), GG_OK);
	rc = gg_file_store_tx(db, &unit_officer, dir, name, "test", data, len, max, f, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

static void test_store_and_read(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_file a, b, got;
	struct gg_error err;
	char tmp[512], dir[600], path[GG_FILE_PATH_MAX], *data = NULL;
	size_t len = 0;
	struct stat sb;

	unit_tmpdir(tmp, sizeof tmp);
	snprintf(dir, sizeof dir, "%s/files", tmp); /* made on first use */
	assert_int_equal(store(db, dir, "", PDF, sizeof PDF - 1, 100, &a, &err), GG_E_INVALID);
	assert_int_equal(store(db, dir, "../x.pdf", PDF, sizeof PDF - 1, 100, &a, &err), GG_E_INVALID);
	assert_int_equal(store(db, dir, "bad\n.pdf", PDF, sizeof PDF - 1, 100, &a, &err), GG_E_INVALID);
	assert_int_equal(store(db, dir, "e.pdf", PDF, 0, 100, &a, &err), GG_E_INVALID);
	assert_int_equal(store(db, dir, "big.pdf", PDF, sizeof PDF - 1, 4, &a, &err), GG_E_TOO_LARGE);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM files"), 0);
	assert_int_equal(store(db, dir, "合同.pdf", PDF, sizeof PDF - 1, 100, &a, &err), GG_OK);
	assert_int_equal(store(db, dir, "copy.pdf", PDF, sizeof PDF - 1, 100, &b, &err), GG_OK);
	assert_true(a.id != b.id);
	assert_string_equal(a.sha256, b.sha256);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM files"), 2);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'file.store'"), 2);
	assert_int_equal(gg_file_path(dir, a.sha256, path, sizeof path, &err), GG_OK);
	assert_int_equal(stat(path, &sb), 0);
	/* the row is never changed */
	gg_error_init(&err);
	assert_int_not_equal(gg_db_exec(db, "UPDATE files SET name = 'x'", &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_file_get(db, a.id, &got, &err), GG_OK);
	assert_string_equal(got.name, "合同.pdf");
	assert_string_equal(got.content_type, "application/pdf");
	assert_int_equal(got.size, sizeof PDF - 1);
	assert_int_equal(gg_file_read(dir, &got, &data, &len, &err), GG_OK);
	assert_memory_equal(data, PDF, sizeof PDF - 1);
	free(data);
	gg_error_init(&err);
	assert_int_equal(gg_file_get(db, 999, &got, &err), GG_E_NOT_FOUND);
	/* truncated on disk */
	gg_error_init(&err);
	assert_int_equal(gg_file_get(db, a.id, &got, &err), GG_OK);
	assert_int_equal(truncate(path, 5), 0);
	assert_int_equal(gg_file_read(dir, &got, &data, &len, &err), GG_E_INTERNAL);
	assert_null(data);
	/* missing on disk */
	unlink(path);
	gg_error_init(&err);
	assert_int_equal(gg_file_read(dir, &got, &data, &len, &err), GG_E_IO);
	assert_null(data);
	unit_rmtree(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_dir),
	    cmocka_unit_test_setup_teardown(test_store_and_read, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
