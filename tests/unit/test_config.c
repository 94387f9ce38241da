/*
 * test_config: the typed settings table and its four layers (default <
 * file < environment < flag) with their origins, where the file is found
 * (--config, GUANGGU_CONFIG, --dir, GUANGGU_DIR), "FILE:LINE" errors, type
 * and bounds checks, argv compaction, and `config show` reading back.
 */
#include "unit.h"

#include "core/config.h"

struct fixture {
	char dir[256];
	char conf[300];
	struct gg_config cfg;
	struct gg_error err;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->conf, sizeof(fx->conf), "%s/guanggu.conf", fx->dir);
	gg_config_init(&fx->cfg);
	gg_error_init(&fx->err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	unit_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* Runs gg_config_load over a NULL-terminated argument list. */
static enum gg_err load(struct fixture *fx, char **argv, char **envp)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return gg_config_load(&fx->cfg, &argc, argv, envp, &fx->err);
}

static void test_defaults(void **state)
{
	struct fixture *fx = *state;
	int k;

	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 4);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_max_body_bytes), 1048576);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_listen), "127.0.0.1:8080");
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_dir), "var");
	assert_false(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_true(gg_config_bool(&fx->cfg, GG_CFG_access_log));
	/* Every default passes its own row's checks. */
	for (k = 0; k < GG_CFG__COUNT; k++) {
		assert_string_equal(fx->cfg.v[k].origin, "default");
		assert_string_equal(fx->cfg.v[k].str, gg_config_defs[k].def);
		assert_int_equal(
		    gg_config_set(&fx->cfg, (enum gg_config_key)k, gg_config_defs[k].def, "default", &fx->err), GG_OK);
	}
}

static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(gg_config_lookup("max_body_bytes"), GG_CFG_max_body_bytes);
	assert_int_equal(gg_config_lookup("max-body-bytes"), GG_CFG_max_body_bytes);
	assert_int_equal(gg_config_lookup("--max-body-bytes"), GG_CFG_max_body_bytes);
	assert_int_equal(gg_config_lookup("dir"), GG_CFG_dir);
	assert_int_equal(gg_config_lookup("nope"), -1);
	assert_int_equal(gg_config_lookup("config"), -1);
	assert_int_equal(gg_config_lookup(""), -1);
	assert_int_equal(gg_config_lookup("max_body_bytes_and_a_very_long_tail_that_overflows_the_name_buffer"), -1);
}

static void test_set_checks_types_and_bounds(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "8", "x", &fx->err), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 8);
	assert_string_equal(fx->cfg.v[GG_CFG_threads].origin, "x");

	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "0", "guanggu.conf:12", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "guanggu.conf:12: threads: value '0' is below 1");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "65", "o", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "o: threads: value '65' is above 64");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "4x", "o", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "o: threads: value '4x' is not an integer");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "", "o", &fx->err), GG_E_CONFIG);
	/* A refused value leaves the old one in place. */
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 8);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_threads), "8");
	assert_string_equal(fx->cfg.v[GG_CFG_threads].origin, "x");
	/* Bounds are inclusive. */
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_threads, "64", "o", &fx->err), GG_OK);
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_shutdown_grace_seconds, "0", "o", &fx->err), GG_OK);

	/* STR: length bounds in bytes, no control characters. */
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_log_level, "verbose", "o", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "o: log_level: value 'verbose' is longer than 5 bytes");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_listen, "ab", "o", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "o: listen: value 'ab' is shorter than 3 bytes");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_dir, "", "o", &fx->err), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "o: dir: value is empty");
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_dir, "a\nb", "o", &fx->err), GG_E_CONFIG);
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_log_level, "debug", "o", &fx->err), GG_OK);
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_dir, "/srv/人才", "o", &fx->err), GG_OK);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_dir), "/srv/人才");

	/* BOOL words. */
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "yes", "o", &fx->err), GG_OK);
	assert_true(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "off", "o", &fx->err), GG_OK);
	assert_false(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "1", "o", &fx->err), GG_OK);
	assert_true(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "TRUE", "o", &fx->err), GG_OK);
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "no", "o", &fx->err), GG_OK);
	assert_false(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG_cookie_secure, "maybe", "o", &fx->err), GG_E_CONFIG);
	assert_non_null(strstr(fx->err.message, "cookie_secure: value 'maybe' is not a boolean"));
	assert_int_equal(gg_config_set(&fx->cfg, GG_CFG__COUNT, "1", "o", &fx->err), GG_E_CONFIG);
}

static void test_precedence_and_origins(void **state)
{
	struct fixture *fx = *state;
	char dirflag[300], text[512], origin[400];
	char *argv[] = {"serve", "--dir", dirflag, "--threads", "32", NULL};
	char *envp[] = {"PATH=/bin", "GUANGGU_THREADS=16", "GUANGGU_LISTEN=0.0.0.0:9000", NULL};

	snprintf(dirflag, sizeof(dirflag), "%s", fx->dir);
	snprintf(text, sizeof(text),
	         "# settings for the test\n"
	         "\n"
	         "threads = 8\n"
	         "listen = 10.0.0.1:80\n"
	         "max_connections = 2048\n");
	unit_write_file(fx->conf, text);
	assert_int_equal(load(fx, argv, envp), GG_OK);
	assert_string_equal(fx->cfg.file, fx->conf);

	/* flag beats env beats file beats default */
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 32);
	assert_string_equal(fx->cfg.v[GG_CFG_threads].origin, "flag --threads");
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_listen), "0.0.0.0:9000");
	assert_string_equal(fx->cfg.v[GG_CFG_listen].origin, "env GUANGGU_LISTEN");
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_max_connections), 2048);
	snprintf(origin, sizeof(origin), "%s:5", fx->conf);
	assert_string_equal(fx->cfg.v[GG_CFG_max_connections].origin, origin);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_timezone), "Asia/Shanghai");
	assert_string_equal(fx->cfg.v[GG_CFG_timezone].origin, "default");
	assert_string_equal(fx->cfg.v[GG_CFG_dir].origin, "flag --dir");
}

static void test_flag_origin_uses_dashes(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"--max_body_bytes", "2048", "--session-idle-minutes=5", NULL};

	assert_int_equal(load(fx, argv, NULL), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_max_body_bytes), 2048);
	assert_string_equal(fx->cfg.v[GG_CFG_max_body_bytes].origin, "flag --max-body-bytes");
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_session_idle_minutes), 5);
	assert_string_equal(fx->cfg.v[GG_CFG_session_idle_minutes].origin, "flag --session-idle-minutes");
}

/* --dir decides which guanggu.conf is read: flag over GUANGGU_DIR over the default. */
static void test_dir_resolution(void **state)
{
	struct fixture *fx = *state;
	char other[300], otherconf[320], envdir[320];
	char *argv_flag[] = {"--dir", other, NULL};
	char *argv_none[] = {NULL};
	char *envp[] = {envdir, NULL};

	snprintf(other, sizeof(other), "%s/other", fx->dir);
	snprintf(otherconf, sizeof(otherconf), "%s/guanggu.conf", other);
	snprintf(envdir, sizeof(envdir), "GUANGGU_DIR=%s", fx->dir);
	assert_int_equal(mkdir(other, 0700), 0);
	unit_write_file(fx->conf, "threads = 3\n");
	unit_write_file(otherconf, "threads = 5\n");

	assert_int_equal(load(fx, argv_flag, envp), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 5);
	assert_string_equal(fx->cfg.file, otherconf);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_dir), other);

	gg_config_init(&fx->cfg);
	assert_int_equal(load(fx, argv_none, envp), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 3);
	assert_string_equal(fx->cfg.file, fx->conf);
	assert_string_equal(fx->cfg.v[GG_CFG_dir].origin, "env GUANGGU_DIR");
}

static void test_missing_default_file_is_fine(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"--dir", fx->dir, NULL};

	assert_int_equal(load(fx, argv, NULL), GG_OK);
	assert_string_equal(fx->cfg.file, "");
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 4);
}

static void test_config_flag_and_env(void **state)
{
	struct fixture *fx = *state;
	char path[320], missing[320], envcfg[340];
	char *argv[] = {"--config", path, "--dir", fx->dir, NULL};
	char *argv_missing[] = {"--config=", missing, NULL};
	char *argv_none[] = {NULL};
	char *envp[] = {envcfg, NULL};

	snprintf(path, sizeof(path), "%s/custom.conf", fx->dir);
	snprintf(missing, sizeof(missing), "%s/absent.conf", fx->dir);
	snprintf(envcfg, sizeof(envcfg), "GUANGGU_CONFIG=%s", path);
	unit_write_file(path, "token_days = 30\n");
	unit_write_file(fx->conf, "token_days = 99\n");

	/* --config wins over DIR/guanggu.conf. */
	assert_int_equal(load(fx, argv, NULL), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_token_days), 30);
	assert_string_equal(fx->cfg.file, path);

	/* GUANGGU_CONFIG names the file too. */
	gg_config_init(&fx->cfg);
	assert_int_equal(load(fx, argv_none, envp), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_token_days), 30);

	/* A file asked for by name must exist; --config= with nothing after it is a usage error. */
	argv_missing[0] = "--config";
	assert_int_equal(load(fx, argv_missing, NULL), GG_E_CONFIG);
	assert_non_null(strstr(fx->err.message, "cannot open config file"));
	assert_non_null(strstr(fx->err.message, "absent.conf"));
	argv_missing[0] = "--config=";
	argv_missing[1] = NULL;
	assert_int_equal(load(fx, argv_missing, NULL), GG_E_USAGE);
}

static void test_argv_compaction(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"guanggu",
	                "user",
	                "add",
	                "--threads",
	                "3",
	                "alice",
	                "--role",
	                "employer",
	                "--listen=127.0.0.1:0",
	                "--cookie-secure",
	                "--dir",
	                fx->dir,
	                "pos",
	                "--",
	                "--threads",
	                "9",
	                NULL};
	const char *want[] = {"guanggu", "user", "add", "alice", "--role", "employer", "pos", "--", "--threads", "9"};
	int argc = 16, i;

	assert_int_equal(gg_config_load(&fx->cfg, &argc, argv, NULL, &fx->err), GG_OK);
	assert_int_equal(argc, 10);
	for (i = 0; i < argc; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[argc]);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 3);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_listen), "127.0.0.1:0");
	/* A BOOL flag alone means true. */
	assert_true(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
}

static void test_bool_flag_takes_a_bool_word(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"serve", "--access-log", "off", "--cookie-secure", "now", NULL};
	int argc = 5;

	assert_int_equal(gg_config_load(&fx->cfg, &argc, argv, NULL, &fx->err), GG_OK);
	assert_false(gg_config_bool(&fx->cfg, GG_CFG_access_log));
	assert_true(gg_config_bool(&fx->cfg, GG_CFG_cookie_secure));
	assert_int_equal(argc, 2);
	assert_string_equal(argv[0], "serve");
	assert_string_equal(argv[1], "now");
}

static void test_flag_without_value_is_usage(void **state)
{
	struct fixture *fx = *state;
	char *argv1[] = {"serve", "--threads", NULL};
	char *argv2[] = {"serve", "--listen", "--threads", "3", NULL};

	assert_int_equal(load(fx, argv1, NULL), GG_E_USAGE);
	assert_string_equal(fx->err.message, "flag --threads needs a value");
	assert_int_equal(load(fx, argv2, NULL), GG_E_USAGE);
	assert_string_equal(fx->err.message, "flag --listen needs a value");
	/* Nothing was applied. */
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 4);
}

static void test_bad_flag_and_env_values(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"--threads", "0", NULL};
	char *argv_none[] = {NULL};
	char *envp[] = {"GUANGGU_THREADS=many", NULL};

	assert_int_equal(load(fx, argv, NULL), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "flag --threads: threads: value '0' is below 1");
	assert_int_equal(load(fx, argv_none, envp), GG_E_CONFIG);
	assert_string_equal(fx->err.message, "env GUANGGU_THREADS: threads: value 'many' is not an integer");
}

static void expect_file_error(struct fixture *fx, const char *text, const char *want_tail)
{
	char *argv[] = {"--dir", fx->dir, NULL};
	char want[600];

	unit_write_file(fx->conf, text);
	gg_config_init(&fx->cfg);
	assert_int_equal(load(fx, argv, NULL), GG_E_CONFIG);
	snprintf(want, sizeof(want), "%s:%s", fx->conf, want_tail);
	assert_string_equal(fx->err.message, want);
}

static void test_file_errors_name_file_and_line(void **state)
{
	struct fixture *fx = *state;

	expect_file_error(fx, "threads = 4\n# fine\n\nthreads = 0\n", "4: threads: value '0' is below 1");
	expect_file_error(fx, "threads = 4\nnope = 1\n", "2: unknown setting 'nope'");
	expect_file_error(fx, "\n\nthreads 4\n", "3: expected 'name = value'");
	expect_file_error(fx, "listen = \"127.0.0.1:80\n", "1: listen: unterminated quoted value");
	expect_file_error(fx, "listen = \"127.0.0.1:80\" extra\n", "1: listen: unterminated quoted value");
	expect_file_error(fx, "max_body_bytes = 99999999999\n",
	                  "1: max_body_bytes: value '99999999999' is above 67108864");
	expect_file_error(fx, "log_level = verbose\n", "1: log_level: value 'verbose' is longer than 5 bytes");
	expect_file_error(fx, "cookie_secure = perhaps\n",
	                  "1: cookie_secure: value 'perhaps' is not a boolean (true/false, yes/no, on/off, 1/0)");
	expect_file_error(fx, "--threads = 4\n", "1: unknown setting '--threads'");
}

static void test_file_syntax(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"--dir", fx->dir, NULL};

	unit_write_file(fx->conf, "\xEF\xBB\xBF# a comment\r\n"
	                          "   \t\n"
	                          "  threads=7  \r\n"
	                          "public_url = http://example.org/#top   # where people go\n"
	                          "timezone = \"Asia/Urumqi\"  # quoted\n"
	                          "web_dir = \"/srv/web # not a comment\"\n"
	                          "listen = 1.2.3.4:5\n"
	                          "listen = 1.2.3.4:6\n");
	assert_int_equal(load(fx, argv, NULL), GG_OK);
	assert_int_equal(gg_config_int(&fx->cfg, GG_CFG_threads), 7);
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_public_url), "http://example.org/#top");
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_timezone), "Asia/Urumqi");
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_web_dir), "/srv/web # not a comment");
	/* The later line wins. */
	assert_string_equal(gg_config_str(&fx->cfg, GG_CFG_listen), "1.2.3.4:6");
}

static void test_show_reads_back(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = {"--dir", fx->dir, NULL};
	char *text = NULL, line[256], *nl;
	struct gg_config again;
	size_t len = 0;
	FILE *f;
	int k;

	gg_config_set(&fx->cfg, GG_CFG_web_dir, "/srv/web #1", "test", &fx->err);
	gg_config_set(&fx->cfg, GG_CFG_threads, "12", "env GUANGGU_THREADS", &fx->err);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	gg_config_show(&fx->cfg, f);
	fclose(f);
	/* Aligned "name = value  # origin" lines, one per setting, in table order. */
	assert_non_null(strstr(text, "\nthreads                 = 12 "));
	assert_non_null(strstr(text, "# env GUANGGU_THREADS\n"));
	assert_non_null(strstr(text, "web_dir                 = \"/srv/web #1\""));
	snprintf(line, sizeof(line), "%.30s", text);
	assert_true(strncmp(line, "dir                     = var ", 30) == 0);
	for (k = 0, nl = text; (nl = strchr(nl, '\n')) != NULL; nl++)
		k++;
	assert_int_equal(k, GG_CFG__COUNT);

	/* What show prints is a config file that gives the same values. */
	unit_write_file(fx->conf, text);
	free(text);
	again = fx->cfg;
	gg_config_init(&fx->cfg);
	assert_int_equal(load(fx, argv, NULL), GG_OK);
	for (k = 0; k < GG_CFG__COUNT; k++) {
		if (k == GG_CFG_dir)
			continue;
		assert_string_equal(fx->cfg.v[k].str, again.v[k].str);
		assert_int_equal(fx->cfg.v[k].num, again.v[k].num);
	}
}

static void test_help(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	gg_config_help(f);
	fclose(f);
	assert_non_null(strstr(text, "--max-body-bytes N"));
	assert_non_null(strstr(text, "largest JSON request body in bytes"));
	assert_non_null(strstr(text, "(GUANGGU_MAX_BODY_BYTES, default \"1048576\", 1024 to 67108864)"));
	assert_non_null(strstr(text, "--cookie-secure [BOOL]"));
	assert_non_null(strstr(text, "--config FILE"));
	assert_non_null(strstr(text, "GUANGGU_CONFIG"));
	assert_null(strstr(text, "max_body_bytes"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_checks_types_and_bounds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_precedence_and_origins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flag_origin_uses_dashes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dir_resolution, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_default_file_is_fine, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_flag_and_env, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_argv_compaction, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bool_flag_takes_a_bool_word, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flag_without_value_is_usage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_flag_and_env_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_errors_name_file_and_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_syntax, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_show_reads_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_help, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
