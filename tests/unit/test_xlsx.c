/*
 * test_xlsx: writes a workbook and reads it back as the zip it is (with
 * `unzip -p`, or python3's zipfile where unzip is missing): an 18-digit
 * identifier is a string cell, not a number; the header row is bold and
 * frozen; column widths follow the content (capped); empty cells stay
 * empty; a bad sheet name and an unwritable path are refused at once.
 */
#include "unit.h"

#include "core/buf.h"
#include "core/xlsx.h"

/* Reads member of the zip at path into out (reset first); returns 0 on success. */
static int zip_member(const char *path, const char *member, struct gg_buf *out)
{
	char cmd[1024], chunk[4096];
	FILE *p;
	size_t n;
	int rc;

	gg_buf_reset(out);
	if (system("command -v unzip >/dev/null 2>&1") == 0)
		snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", path, member);
	else
		snprintf(
		    cmd, sizeof(cmd),
		    "python3 -c 'import sys, zipfile; "
		    "sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' '%s' '%s' 2>/dev/null",
		    path, member);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		if (gg_buf_add(out, chunk, n) != GG_OK)
			break;
	rc = pclose(p);
	return rc == 0 && out->len > 0 ? 0 : -1;
}

static void test_workbook(void **state)
{
	const char *header[] = {"姓名", "证件号码", "备注", "空"};
	const char *row1[] = {"王金桥", "420101199001011234", "x", NULL};
	const char *row2[] = {"姚斌", "11010519491231002X", NULL, NULL};
	char dir[256], path[300], notes[200], magic[8];
	const char *row3[] = {"long", "", notes, NULL};
	struct gg_xlsx *x = NULL;
	struct gg_error err;
	struct gg_buf sheet, shared, styles;
	FILE *f;
	char *cell;

	(void)state;
	memset(notes, 'n', sizeof(notes) - 1);
	notes[sizeof(notes) - 1] = '\0';
	unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/talents.xlsx", dir);
	gg_error_init(&err);
	assert_int_equal(gg_xlsx_new(path, "人才", &x, &err), GG_OK);
	assert_non_null(x);
	assert_int_equal(gg_xlsx_row(x, header, 4, &err), GG_OK);
	assert_int_equal(gg_xlsx_row(x, row1, 4, &err), GG_OK);
	assert_int_equal(gg_xlsx_row(x, row2, 4, &err), GG_OK);
	assert_int_equal(gg_xlsx_row(x, row3, 3, &err), GG_OK);
	assert_int_equal(gg_xlsx_close(x, &err), GG_OK);

	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);

	gg_buf_init(&sheet, 1 << 20);
	gg_buf_init(&shared, 1 << 20);
	gg_buf_init(&styles, 1 << 20);
	assert_int_equal(zip_member(path, "xl/worksheets/sheet1.xml", &sheet), 0);
	assert_int_equal(zip_member(path, "xl/styles.xml", &styles), 0);
	/* The identifier is text: an inline string, or a shared string the cell points at. */
	cell = strstr(sheet.buf, "<c r=\"B2\"");
	assert_non_null(cell);
	if (strncmp(cell, "<c r=\"B2\" t=\"inlineStr\"><is><t>420101199001011234</t></is></c>", 62) != 0) {
		assert_true(strncmp(cell, "<c r=\"B2\" t=\"s\">", 16) == 0);
		assert_int_equal(zip_member(path, "xl/sharedStrings.xml", &shared), 0);
		assert_non_null(strstr(shared.buf, "<t>420101199001011234</t>"));
	}
	assert_null(strstr(sheet.buf, "<v>420101199001011234</v>"));
	assert_null(strstr(sheet.buf, "4.20101"));
	/* The header row is bold (style 1) and frozen; Excel is told the digits are meant as text. */
	assert_non_null(strstr(sheet.buf, "<c r=\"A1\" s=\"1\""));
	assert_null(strstr(sheet.buf, "<c r=\"A2\" s="));
	assert_non_null(strstr(styles.buf, "<b/>"));
	assert_non_null(strstr(sheet.buf, "ySplit=\"1\""));
	assert_non_null(strstr(sheet.buf, "state=\"frozen\""));
	assert_non_null(strstr(sheet.buf, "numberStoredAsText=\"1\""));
	/* Widths: 18 digits + 2; the 199-character note is capped at 60 + 2; short columns keep the default. */
	assert_non_null(strstr(sheet.buf, "<col min=\"2\" max=\"2\" width=\"20.7109375\" customWidth=\"1\"/>"));
	assert_non_null(strstr(sheet.buf, "<col min=\"3\" max=\"3\" width=\"62.7109375\" customWidth=\"1\"/>"));
	assert_null(strstr(sheet.buf, "<col min=\"1\""));
	/* NULL cells are left out: nothing in D2..D4 or C3. */
	assert_null(strstr(sheet.buf, "r=\"D2\""));
	assert_null(strstr(sheet.buf, "r=\"C3\""));
	assert_non_null(strstr(sheet.buf, "<t>11010519491231002X</t>"));
	assert_non_null(strstr(sheet.buf, "<t>王金桥</t>"));
	gg_buf_release(&sheet);
	gg_buf_release(&shared);
	gg_buf_release(&styles);
	unit_rmtree(dir);
}

static void test_refusals(void **state)
{
	const char *row[] = {"a"};
	char dir[256], path[300], missing[320];
	struct gg_xlsx *x = (struct gg_xlsx *)1;
	struct gg_error err;

	(void)state;
	unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/bad.xlsx", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/dir.xlsx", dir);
	gg_error_init(&err);
	assert_int_equal(gg_xlsx_new(path, "bad[name]", &x, &err), GG_E_INVALID);
	assert_null(x);
	assert_string_equal(err.message, "invalid sheet name 'bad[name]'");
	assert_int_equal(access(path, F_OK), -1); /* no file left behind */

	assert_int_equal(gg_xlsx_new(path, "", &x, &err), GG_E_INVALID);
	assert_int_equal(gg_xlsx_new(path, "12345678901234567890123456789012", &x, &err), GG_E_INVALID);
	assert_int_equal(access(path, F_OK), -1);
	/* 31 characters is the most Excel allows; Han characters count one each. */
	assert_int_equal(gg_xlsx_new(path, "人才人才人才人才人才人才人才人才人才人才人才人才人才人才人才人", &x, &err),
	                 GG_OK);
	assert_int_equal(gg_xlsx_row(x, row, 1, &err), GG_OK);
	assert_int_equal(gg_xlsx_close(x, &err), GG_OK);
	assert_int_equal(access(path, F_OK), 0);

	/* An unwritable path is refused at once, not when the rows are all written. */
	gg_error_init(&err);
	x = (struct gg_xlsx *)1;
	assert_int_equal(gg_xlsx_new(missing, "Sheet1", &x, &err), GG_E_IO);
	assert_null(x);
	assert_non_null(strstr(err.message, "cannot create"));
	assert_non_null(strstr(err.message, "dir.xlsx"));
	assert_int_equal(gg_xlsx_close(NULL, &err), GG_OK);
	unit_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_workbook),
	    cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
