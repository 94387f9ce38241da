/*
 * yaml: libyaml's event parser turned into a bounded tree (yaml.h). The
 * tree is built from events rather than libyaml's document API so that
 * every limit is checked as the input is read, anchors and aliases are
 * refused before anything is resolved, and duplicate keys are caught
 * with the line of the second one.
 */
#include "yaml.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#define STACK_MAX 256

struct frame {
	struct gg_yaml_node *node;
	char *pending_key; /* map: a key read, its value not yet */
	int pending_line;
};

struct builder {
	const char *name;
	const struct gg_yaml_limits *lim;
	struct frame stack[STACK_MAX];
	int depth;
	size_t nodes;
	struct gg_yaml_node *root;
	struct gg_error *err;
};

void gg_yaml_free(struct gg_yaml_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			free(n->keys[i]);
		gg_yaml_free(n->items[i]);
	}
	free(n->keys);
	free(n->key_lines);
	free(n->items);
	free(n->value);
	free(n);
}

const char *gg_yaml_kind_name(enum gg_yaml_kind kind)
{
	switch (kind) {
	case GG_YAML_SCALAR:
		return "scalar";
	case GG_YAML_MAP:
		return "map";
	case GG_YAML_SEQ:
		return "sequence";
	}
	return "?";
}

const struct gg_yaml_node *gg_yaml_get(const struct gg_yaml_node *map, const char *key, int *line)
{
	if (map == NULL || map->kind != GG_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0) {
			if (line != NULL)
				*line = map->key_lines[i];
			return map->items[i];
		}
	return NULL;
}

static enum gg_err fail(struct builder *b, enum gg_err code, int line, const char *reason, const char *arg)
{
	return gg_error_set(b->err, code, "%s:%d: %s%s%s%s", b->name, line, reason, arg ? " '" : "", arg ? arg : "",
	                    arg ? "'" : "");
}

static enum gg_err count_node(struct builder *b, int line)
{
	if (++b->nodes > b->lim->max_nodes)
		return gg_error_set(b->err, GG_E_TOO_LARGE, "%s:%d: more than %zu nodes", b->name, line,
		                    b->lim->max_nodes);
	return GG_OK;
}

/* Appends child (owned from here on) to parent at key (NULL for a sequence). */
static enum gg_err append(struct builder *b, struct gg_yaml_node *parent, char *key, int key_line,
                          struct gg_yaml_node *child)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 4;
		struct gg_yaml_node **items = realloc(parent->items, cap * sizeof(*items));

		if (items == NULL)
			goto nomem;
		parent->items = items;
		if (parent->kind == GG_YAML_MAP) {
			char **keys = realloc(parent->keys, cap * sizeof(*keys));
			int *lines;

			if (keys == NULL)
				goto nomem;
			parent->keys = keys;
			lines = realloc(parent->key_lines, cap * sizeof(*lines));
			if (lines == NULL)
				goto nomem;
			parent->key_lines = lines;
		}
		parent->cap = cap;
	}
	if (parent->kind == GG_YAML_MAP) {
		parent->keys[parent->n] = key;
		parent->key_lines[parent->n] = key_line;
	}
	parent->items[parent->n++] = child;
	return GG_OK;
nomem:
	free(key);
	gg_yaml_free(child);
	return gg_error_set(b->err, GG_E_NOMEM, NULL);
}

/* A complete node (a scalar, or a map or sequence just opened) arrives at the current position. */
static enum gg_err place(struct builder *b, struct gg_yaml_node *node)
{
	struct frame *top;
	char *key;

	if (b->depth == 0) {
		if (b->root != NULL) {
			gg_yaml_free(node);
			return fail(b, GG_E_INVALID, node->line, "more than one root node", NULL);
		}
		b->root = node;
		return GG_OK;
	}
	top = &b->stack[b->depth - 1];
	if (top->node->kind == GG_YAML_SEQ)
		return append(b, top->node, NULL, 0, node);
	if (top->pending_key == NULL) {
		int line = node->line;

		if (node->kind != GG_YAML_SCALAR) {
			gg_yaml_free(node);
			return fail(b, GG_E_INVALID, line, "a map key must be a scalar", NULL);
		}
		for (size_t i = 0; i < top->node->n; i++)
			if (strcmp(top->node->keys[i], node->value) == 0) {
				enum gg_err rc =
				    gg_error_set(b->err, GG_E_INVALID, "%s:%d: duplicate key '%s' (first on line %d)",
				                 b->name, line, node->value, top->node->key_lines[i]);
				gg_yaml_free(node);
				return rc;
			}
		top->pending_key = node->value;
		top->pending_line = line;
		node->value = NULL;
		gg_yaml_free(node);
		return GG_OK;
	}
	key = top->pending_key;
	top->pending_key = NULL;
	return append(b, top->node, key, top->pending_line, node);
}

static struct gg_yaml_node *new_node(enum gg_yaml_kind kind, int line)
{
	struct gg_yaml_node *n = calloc(1, sizeof(*n));

	if (n != NULL) {
		n->kind = kind;
		n->line = line;
	}
	return n;
}

static enum gg_err on_event(struct builder *b, const yaml_event_t *ev, int *docs, int *done)
{
	int line = (int)ev->start_mark.line + 1;
	struct gg_yaml_node *node;
	enum gg_err rc;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_NO_EVENT:
		return GG_OK;
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return GG_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return fail(b, GG_E_INVALID, line, "more than one document", NULL);
		return GG_OK;
	case YAML_DOCUMENT_END_EVENT:
		return GG_OK;
	case YAML_ALIAS_EVENT:
		return fail(b, GG_E_INVALID, line, "aliases are not allowed:", (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor != NULL)
			return fail(b, GG_E_INVALID, line,
			            "anchors are not allowed:", (const char *)ev->data.scalar.anchor);
		if (ev->data.scalar.tag != NULL)
			return fail(b, GG_E_INVALID, line, "tags are not allowed:", (const char *)ev->data.scalar.tag);
		rc = count_node(b, line);
		if (rc != GG_OK)
			return rc;
		node = new_node(GG_YAML_SCALAR, line);
		if (node == NULL)
			return gg_error_set(b->err, GG_E_NOMEM, NULL);
		node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		node->value = malloc(ev->data.scalar.length + 1);
		if (node->value == NULL) {
			gg_yaml_free(node);
			return gg_error_set(b->err, GG_E_NOMEM, NULL);
		}
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) != NULL) {
			gg_yaml_free(node);
			return fail(b, GG_E_INVALID, line, "a NUL character in a scalar", NULL);
		}
		memcpy(node->value, ev->data.scalar.value, ev->data.scalar.length);
		node->value[ev->data.scalar.length] = '\0';
		return place(b, node);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;

		if (anchor != NULL)
			return fail(b, GG_E_INVALID, line, "anchors are not allowed:", (const char *)anchor);
		if (tag != NULL)
			return fail(b, GG_E_INVALID, line, "tags are not allowed:", (const char *)tag);
		if (b->depth >= b->lim->max_depth || b->depth >= STACK_MAX)
			return gg_error_set(b->err, GG_E_TOO_LARGE, "%s:%d: nested more than %d levels deep", b->name,
			                    line, b->lim->max_depth);
		rc = count_node(b, line);
		if (rc != GG_OK)
			return rc;
		node = new_node(seq ? GG_YAML_SEQ : GG_YAML_MAP, line);
		if (node == NULL)
			return gg_error_set(b->err, GG_E_NOMEM, NULL);
		/* A map key that is itself a map or sequence is refused by place() before it is pushed. */
		rc = place(b, node);
		if (rc != GG_OK)
			return rc;
		b->stack[b->depth].node = node;
		b->stack[b->depth].pending_key = NULL;
		b->depth++;
		return GG_OK;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return GG_OK;
	}
	return GG_OK;
}

enum gg_err gg_yaml_parse(const char *name, const char *data, size_t len, const struct gg_yaml_limits *lim,
                          struct gg_yaml_node **out, struct gg_error *err)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	enum gg_err rc = GG_OK;
	int docs = 0, done = 0;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	b.name = name;
	b.lim = lim;
	b.err = err;
	if (len > lim->max_bytes)
		return gg_error_set(err, GG_E_TOO_LARGE, "%s: larger than %zu bytes", name, lim->max_bytes);
	if (!yaml_parser_initialize(&parser))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == GG_OK) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = gg_error_set(err, GG_E_INVALID, "%s:%d: %s%s%s", name, (int)parser.problem_mark.line + 1,
			                  parser.problem ? parser.problem : "malformed YAML", parser.context ? " " : "",
			                  parser.context ? parser.context : "");
			break;
		}
		rc = on_event(&b, &ev, &docs, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	for (int i = 0; i < b.depth; i++)
		free(b.stack[i].pending_key);
	if (rc == GG_OK && b.root == NULL)
		rc = gg_error_set(err, GG_E_INVALID, "%s:1: empty document", name);
	if (rc != GG_OK) {
		gg_yaml_free(b.root);
		return rc;
	}
	*out = b.root;
	return GG_OK;
}
