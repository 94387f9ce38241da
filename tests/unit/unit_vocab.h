/*
 * unit_vocab: the fixture of the policy tests (test_pack, test_policytest):
 * a migrated database in a temporary directory, its vocabulary (the kinds
 * and tiers packs are checked against), and the path of one file there.
 */
#ifndef UNIT_VOCAB_H
#define UNIT_VOCAB_H

#include "unit.h"

#include "domain/vocabulary.h"

struct fx {
	char tmp[256];
	char path[512]; /* tmp/<file> */
	struct gg_db *db;
	struct gg_vocabulary *vocab;
};

/* A new fixture whose path names file in its directory; NULL (said on stderr) when it cannot be made. */
static inline struct fx *unit_vocab_open(const char *file)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char dbpath[300];
	struct gg_error err;

	if (fx == NULL)
		return NULL;
	unit_tmpdir(fx->tmp, sizeof(fx->tmp));
	snprintf(dbpath, sizeof(dbpath), "%s/g.db", fx->tmp);
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->tmp, file);
	gg_error_init(&err);
	if (unit_db_create(dbpath, &fx->db) != 0 || gg_vocab_load(fx->db, &fx->vocab, &err) != GG_OK) {
		print_error("vocabulary: %s\n", gg_error_message(&err));
		return NULL;
	}
	return fx;
}

static inline void unit_vocab_close(struct fx *fx)
{
	gg_vocab_free(fx->vocab);
	gg_db_close(fx->db);
	unit_rmtree(fx->tmp);
	free(fx);
}

#endif
