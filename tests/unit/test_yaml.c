/*
 * test_yaml: the libyaml wrapper: a tree with line numbers, the limits
 * (bytes, depth, nodes), and the refusals (anchors, aliases, tags,
 * duplicate keys, complex keys, several documents, malformed YAML), each
 * "name:line: reason".
 */
#include "unit.h"

#include "core/yaml.h"

static const struct gg_yaml_limits LIM = {4096, 8, 100};

static enum gg_err parse(const char *text, const struct gg_yaml_limits *lim, struct gg_yaml_node **root,
                         struct gg_error *err)
{
	gg_error_init(err);
	return gg_yaml_parse("t.yaml", text, strlen(text), lim, root, err);
}

static void refused(const char *text, enum gg_err code, const char *msg)
{
	struct gg_yaml_node *root = NULL;
	struct gg_error err;

	assert_int_equal(parse(text, &LIM, &root, &err), code);
	assert_null(root);
	if (strstr(gg_error_message(&err), msg) == NULL)
		fail_msg("'%s' lacks '%s'", gg_error_message(&err), msg);
}

static void test_tree_and_lines(void **state)
{
	static const char text[] = "# a comment\n"
	                           "name: x\n"
	                           "amount: \"1.50\"\n"
	                           "plain: 1.50\n"
	                           "list:\n"
	                           "  - a\n"
	                           "  - {k: v}\n"
	                           "flow: [1, 2]\n";
	struct gg_yaml_node *root = NULL;
	const struct gg_yaml_node *n;
	struct gg_error err;
	int line = 0;

	assert_int_equal(parse(text, &LIM, &root, &err), GG_OK);
	assert_int_equal(root->kind, GG_YAML_MAP);
	assert_int_equal(root->n, 5);
	n = gg_yaml_get(root, "name", &line);
	assert_int_equal(line, 2);
	assert_string_equal(n->value, "x");
	assert_int_equal(n->line, 2);
	assert_false(n->quoted);
	n = gg_yaml_get(root, "amount", NULL);
	assert_true(n->quoted);
	assert_string_equal(n->value, "1.50");
	n = gg_yaml_get(root, "plain", NULL);
	assert_false(n->quoted);
	n = gg_yaml_get(root, "list", &line);
	assert_int_equal(line, 5);
	assert_int_equal(n->kind, GG_YAML_SEQ);
	assert_int_equal(n->n, 2);
	assert_int_equal(n->items[0]->line, 6);
	assert_int_equal(n->items[1]->kind, GG_YAML_MAP);
	assert_int_equal(n->items[1]->line, 7);
	assert_string_equal(gg_yaml_get(n->items[1], "k", NULL)->value, "v");
	n = gg_yaml_get(root, "flow", NULL);
	assert_int_equal(n->n, 2);
	assert_string_equal(n->items[1]->value, "2");
	assert_null(gg_yaml_get(root, "nope", NULL));
	assert_null(gg_yaml_get(n, "x", NULL)); /* not a map */
	gg_yaml_free(root);
	gg_yaml_free(NULL);
}

static void test_limits(void **state)
{
	struct gg_yaml_limits small = {16, 2, 4};
	struct gg_yaml_node *root = NULL;
	struct gg_error err;

	/* bytes */
	assert_int_equal(parse("a: 1234567890123456\n", &small, &root, &err), GG_E_TOO_LARGE);
	assert_non_null(strstr(gg_error_message(&err), "t.yaml: larger than 16 bytes"));
	/* depth: two levels pass, three do not */
	small.max_bytes = 4096;
	small.max_nodes = 100;
	assert_int_equal(parse("a: {b: 1}\n", &small, &root, &err), GG_OK);
	gg_yaml_free(root);
	assert_int_equal(parse("a:\n  b:\n    c: 1\n", &small, &root, &err), GG_E_TOO_LARGE);
	assert_string_equal(gg_error_message(&err), "t.yaml:3: nested more than 2 levels deep");
	assert_null(root);
	/* nodes: keys count */
	small.max_nodes = 4;
	assert_int_equal(parse("[1, 2, 3]\n", &small, &root, &err), GG_OK);
	gg_yaml_free(root);
	assert_int_equal(parse("a: 1\nb: 2\n", &small, &root, &err), GG_E_TOO_LARGE);
	assert_string_equal(gg_error_message(&err), "t.yaml:2: more than 4 nodes");
	assert_null(root);
}

static void test_refusals(void **state)
{
	refused("a: &x 1\nb: *x\n", GG_E_INVALID, "t.yaml:1: anchors are not allowed: 'x'");
	refused("a: [1]\nb: *x\n", GG_E_INVALID, "t.yaml:2: ");
	refused("a: !!float 1\n", GG_E_INVALID, "t.yaml:1: tags are not allowed");
	refused("a: 1\nb: 2\na: 3\n", GG_E_INVALID, "t.yaml:3: duplicate key 'a' (first on line 1)");
	refused("x:\n  - {k: 1, k: 2}\n", GG_E_INVALID, "t.yaml:2: duplicate key 'k'");
	refused("? [a]\n: 1\n", GG_E_INVALID, "t.yaml:1: a map key must be a scalar");
	refused("a: 1\n---\nb: 2\n", GG_E_INVALID, "t.yaml:2: more than one document");
	refused("", GG_E_INVALID, "t.yaml:1: empty document");
	refused("# only a comment\n", GG_E_INVALID, "empty document");
	refused("a: [1, 2\nb: 3\n", GG_E_INVALID, "t.yaml:");
	refused("a: 1\n b: 2\n", GG_E_INVALID, "t.yaml:2: ");
}

static void test_alias_only(void **state)
{
	/* an alias is refused even when libyaml would accept it (its anchor appears first) */
	refused("- &a [1]\n- *a\n", GG_E_INVALID, "t.yaml:1: anchors are not allowed");
	refused("a: 1\nb: *x\n", GG_E_INVALID, "t.yaml:2: aliases are not allowed: 'x'");
	refused("- 1\n- *a\n", GG_E_INVALID, "t.yaml:2: aliases are not allowed: 'a'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tree_and_lines),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_alias_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
