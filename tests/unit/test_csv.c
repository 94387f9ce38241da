/*
 * test_csv: records with quoted commas, quotes and line breaks and the
 * line each starts on; LF, CRLF and CR endings; empty and blank lines
 * skipped without losing count; white space kept; each malformed input
 * refused with its line (unterminated quote, stray quote, text after a
 * closing quote, too many fields, an oversized field, a NUL byte); a
 * callback's error stopping the parse; the writer's quoting, its round
 * trip through the parser, and its all-or-nothing append.
 */
#include "unit.h"

#include "core/csv.h"

/* Collects "line:field|field|...\n" per record. */
struct collect {
	struct gg_buf out;
	size_t calls;
	size_t stop_at; /* return GG_E_DUPLICATE on this call (1-based), 0 never */
};

static enum gg_err collect_row(void *ctx, size_t line, const char *const *fields, size_t nfields, struct gg_error *err)
{
	struct collect *c = ctx;
	size_t i;

	c->calls++;
	if (c->calls == c->stop_at)
		return gg_error_set(err, GG_E_DUPLICATE, "stop at line %zu", line);
	assert_int_equal(gg_buf_addf(&c->out, "%zu:", line), GG_OK);
	for (i = 0; i < nfields; i++) {
		assert_non_null(fields[i]);
		assert_int_equal(gg_buf_addf(&c->out, "%s%s", i ? "|" : "", fields[i]), GG_OK);
	}
	assert_int_equal(gg_buf_addch(&c->out, '\n'), GG_OK);
	return GG_OK;
}

/* Parses text and compares the collected records with want. */
static void assert_parse(const char *text, const char *want)
{
	struct collect c;
	struct gg_error err;
	enum gg_err ret;

	memset(&c, 0, sizeof(c));
	gg_buf_init(&c.out, 1 << 20);
	gg_error_init(&err);
	ret = gg_csv_parse(text, strlen(text), collect_row, &c, &err);
	if (ret != GG_OK)
		fail_msg("parse failed: %s", gg_error_message(&err));
	assert_string_equal(c.out.buf, want);
	gg_buf_release(&c.out);
}

/* Parses text, expects GG_E_INVALID with message want. */
static void assert_refused(const char *text, size_t len, const char *want)
{
	struct collect c;
	struct gg_error err;

	memset(&c, 0, sizeof(c));
	gg_buf_init(&c.out, 1 << 20);
	gg_error_init(&err);
	assert_int_equal(gg_csv_parse(text, len, collect_row, &c, &err), GG_E_INVALID);
	assert_string_equal(err.message, want);
	gg_buf_release(&c.out);
}

static void test_quoted_fields_and_lines(void **state)
{
	(void)state;
	assert_parse("name,notes,city\r\n"
	             "\"Wang, Jinqiao\",\"He said \"\"hi\"\"\nand left\",武汉\r\n"
	             "姚斌,\"two\r\nline\r\nbreaks\",\r\n"
	             "last,row,here\r\n",
	             "1:name|notes|city\n"
	             "2:Wang, Jinqiao|He said \"hi\"\nand left|武汉\n"
	             "4:姚斌|two\r\nline\r\nbreaks|\n"
	             "7:last|row|here\n");
	/* A quoted field that is only a line break, and "" as an empty quoted field. */
	assert_parse("\"\n\",\"\",x\ny\n", "1:\n||x\n3:y\n");
}

static void test_line_endings(void **state)
{
	(void)state;
	assert_parse("a,b\nc,d\n", "1:a|b\n2:c|d\n");
	assert_parse("a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n");
	assert_parse("a,b\rc,d\r", "1:a|b\n2:c|d\n");
	/* No line break after the last record. */
	assert_parse("a,b\r\nc,d", "1:a|b\n2:c|d\n");
	assert_parse("only", "1:only\n");
	assert_parse("", "");
}

static void test_empty_lines_skipped(void **state)
{
	(void)state;
	assert_parse("\n\r\na\n\n\nb\r\n\r\n", "3:a\n6:b\n");
	/* Lines of empty or blank cells, as spreadsheets write for emptied rows. */
	assert_parse("h1,h2\n,\n  ,\t\n\"\",\"\"\nx,y\n", "1:h1|h2\n5:x|y\n");
	/* Empty cells in a row with content are kept. */
	assert_parse("a,,b,\n", "1:a||b|\n");
	assert_parse(",x\n", "1:|x\n"); /* an empty first field before libcsv has a buffer */
}

static void test_white_space_kept(void **state)
{
	(void)state;
	assert_parse(" a , b \n\tc\t,d\n", "1: a | b \n2:\tc\t|d\n");
}

static void test_malformed(void **state)
{
	static const char nul[] = "a,b\nc,d\0e\n";

	(void)state;
	assert_refused("a,b\nc,\"open\nmore\n", 17, "line 2: quoted field is never closed");
	/* The quote that is never closed opens on line 3, inside a record from line 2. */
	assert_refused("h\n\"x\ny\",\"z\nw\n", 13, "line 3: quoted field is never closed");
	assert_refused("a,b\"c\n", 6, "line 1: quote inside an unquoted field");
	assert_refused("a\nb,\"x\ny\"z\n", 11, "line 3: text after the closing quote of a field");
	assert_refused("\"a\" ,b\n", 7, "line 1: text after the closing quote of a field");
	assert_refused(nul, sizeof(nul) - 1, "line 2: field 2 holds a nul byte");
}

static void test_too_many_fields(void **state)
{
	struct gg_buf text;
	struct collect c;
	struct gg_error err;
	int i;

	(void)state;
	gg_buf_init(&text, 1 << 20);
	assert_int_equal(gg_buf_adds(&text, "header\n"), GG_OK);
	for (i = 0; i < GG_CSV_MAX_FIELDS; i++)
		assert_int_equal(gg_buf_adds(&text, i ? ",x" : "x"), GG_OK);
	assert_int_equal(gg_buf_adds(&text, "\n"), GG_OK);
	/* Exactly the limit is fine. */
	memset(&c, 0, sizeof(c));
	gg_buf_init(&c.out, 1 << 20);
	gg_error_init(&err);
	assert_int_equal(gg_csv_parse(text.buf, text.len, collect_row, &c, &err), GG_OK);
	assert_int_equal(c.calls, 2);
	gg_buf_release(&c.out);
	/* One more is refused. */
	text.len--;
	assert_int_equal(gg_buf_adds(&text, ",x\n"), GG_OK);
	assert_refused(text.buf, text.len, "line 2: more than 128 fields");
	gg_buf_release(&text);
}

static void test_field_too_long(void **state)
{
	struct gg_buf text;
	struct collect c;
	struct gg_error err;
	size_t i;

	(void)state;
	gg_buf_init(&text, 1 << 20);
	assert_int_equal(gg_buf_adds(&text, "a\n\""), GG_OK);
	for (i = 0; i < GG_CSV_MAX_FIELD_BYTES; i++)
		assert_int_equal(gg_buf_addch(&text, 'x'), GG_OK);
	assert_int_equal(gg_buf_adds(&text, "\"\n"), GG_OK);
	memset(&c, 0, sizeof(c));
	gg_buf_init(&c.out, 1 << 20);
	gg_error_init(&err);
	assert_int_equal(gg_csv_parse(text.buf, text.len, collect_row, &c, &err), GG_OK);
	assert_int_equal(c.calls, 2);
	gg_buf_release(&c.out);
	text.len -= 2;
	assert_int_equal(gg_buf_adds(&text, "x\"\n"), GG_OK);
	assert_refused(text.buf, text.len, "line 2: field 1 is longer than 65536 bytes");
	gg_buf_release(&text);
}

static void test_callback_stops(void **state)
{
	struct collect c;
	struct gg_error err;
	const char *text = "a\nb\nc\nd\n";

	(void)state;
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	gg_buf_init(&c.out, 1024);
	gg_error_init(&err);
	assert_int_equal(gg_csv_parse(text, strlen(text), collect_row, &c, &err), GG_E_DUPLICATE);
	assert_string_equal(err.message, "stop at line 2");
	assert_int_equal(c.calls, 2);
	assert_string_equal(c.out.buf, "1:a\n");
	gg_buf_release(&c.out);
	/* Also for a last record without a line break, handed over at the end. */
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	gg_buf_init(&c.out, 1024);
	assert_int_equal(gg_csv_parse("a\nb", 3, collect_row, &c, &err), GG_E_DUPLICATE);
	assert_int_equal(c.calls, 2);
	gg_buf_release(&c.out);
}

static void test_writer(void **state)
{
	const char *row1[] = {"plain", "with,comma", "say \"hi\"", "two\nlines", " lead", "trail ", "", NULL, "王金桥"};
	const char *row2[] = {"420101199001011234"};
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 4096);
	assert_int_equal(gg_csv_write_row(&b, row1, 9), GG_OK);
	assert_int_equal(gg_csv_write_row(&b, row2, 1), GG_OK);
	assert_string_equal(b.buf,
	                    "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",\"trail \",,,王金桥\r\n"
	                    "420101199001011234\r\n");
	/* Round trip: the parser gives the fields back (NULL as empty). */
	assert_parse(b.buf, "1:plain|with,comma|say \"hi\"|two\nlines| lead|trail |||王金桥\n"
	                    "3:420101199001011234\n");
	gg_buf_release(&b);
}

static void test_writer_round_trip_cr(void **state)
{
	const char *row[] = {"\"", "\"\"", "a\r\nb", "\r", ","};
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 4096);
	assert_int_equal(gg_csv_write_row(&b, row, 5), GG_OK);
	assert_string_equal(b.buf, "\"\"\"\",\"\"\"\"\"\",\"a\r\nb\",\"\r\",\",\"\r\n");
	assert_parse(b.buf, "1:\"|\"\"|a\r\nb|\r|,\n");
	gg_buf_release(&b);
}

static void test_writer_all_or_nothing(void **state)
{
	const char *first[] = {"abc", "def"};
	const char *big[] = {"0123456789", "0123456789", "x,y"};
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 16);
	assert_int_equal(gg_csv_write_row(&b, first, 2), GG_OK);
	assert_string_equal(b.buf, "abc,def\r\n");
	assert_int_equal(gg_csv_write_row(&b, big, 3), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "abc,def\r\n");
	assert_int_equal(b.len, 9);
	gg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoted_fields_and_lines),
	    cmocka_unit_test(test_line_endings),
	    cmocka_unit_test(test_empty_lines_skipped),
	    cmocka_unit_test(test_white_space_kept),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_too_many_fields),
	    cmocka_unit_test(test_field_too_long),
	    cmocka_unit_test(test_callback_stops),
	    cmocka_unit_test(test_writer),
	    cmocka_unit_test(test_writer_round_trip_cr),
	    cmocka_unit_test(test_writer_all_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
