/*
 * yaml: the one wrapper of libyaml (the only file that includes <yaml.h>).
 * It parses one bounded YAML document (at most max_bytes of input,
 * max_depth levels of nesting, max_nodes nodes) into a small tree of
 * maps, sequences and scalars, each node with its 1-based line, so that
 * callers (policy packs) can say "file:line: reason". Anchors, aliases,
 * explicit tags, complex (non-scalar) keys, duplicate keys in a map and
 * more than one document are refused: a policy file must say what it
 * means in plain sight. Scalars stay text; the caller decides types, and
 * can tell a quoted scalar from a plain one (a plain 1000000.00 is a YAML
 * float, a quoted one is text).
 */
#ifndef GG_YAML_H
#define GG_YAML_H

#include <stddef.h>

#include "err.h"

enum gg_yaml_kind { GG_YAML_SCALAR, GG_YAML_MAP, GG_YAML_SEQ };

struct gg_yaml_node {
	enum gg_yaml_kind kind;
	int line;    /* 1-based line where the node starts */
	int quoted;  /* scalar: written quoted ('', "") or as a block (|, >), not plain */
	char *value; /* scalar: its text (NUL-terminated) */
	char **keys; /* map: keys[i] names items[i] */
	int *key_lines;
	struct gg_yaml_node **items; /* map values or sequence items */
	size_t n;
	size_t cap;
};

struct gg_yaml_limits {
	size_t max_bytes; /* input size */
	int max_depth;    /* nested maps and sequences */
	size_t max_nodes; /* scalars, maps and sequences, keys included */
};

/**
 * Parses len bytes of data (name is the file name used in messages) into
 * *out (freed with gg_yaml_free). GG_E_INVALID "name:line: reason" for bad
 * YAML, a refused construct or an empty document; GG_E_TOO_LARGE when a
 * limit is passed; GG_E_NOMEM.
 */
enum gg_err gg_yaml_parse(const char *name, const char *data, size_t len, const struct gg_yaml_limits *lim,
                          struct gg_yaml_node **out, struct gg_error *err);
void gg_yaml_free(struct gg_yaml_node *n); /* NULL is a no-op */

/** The value of key in map (NULL when map is not a map or has no such key); *line gets the key's line when found. */
const struct gg_yaml_node *gg_yaml_get(const struct gg_yaml_node *map, const char *key, int *line);
/** "scalar", "map" or "sequence", for messages. */
const char *gg_yaml_kind_name(enum gg_yaml_kind kind);

#endif
