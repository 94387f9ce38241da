/*
 * file: stored files (evidence of a verification now; later features
 * reuse it). The bytes live outside the database under a directory (the
 * files_dir setting), named by their SHA-256 as "ab/<sha256>" (ab: the
 * first two hex digits), written to a temporary name, fsync'ed and
 * renamed, so a crash leaves either the whole file or none, and the same
 * content is stored once however often it is uploaded. The files row
 * holds what the upload said (name, purpose) and what was checked (size,
 * content type found by the content's magic bytes, SHA-256); it is never
 * changed. Reading a file back checks its SHA-256 again: a stored file
 * that no longer matches is never handed out.
 */
#ifndef GG_FILE_H
#define GG_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"

#define GG_FILE_NAME_MAX    255 /* bytes of a declared name */
#define GG_FILE_PURPOSE_MAX 64
#define GG_FILE_PATH_MAX    1200

/* A stored file's row. */
struct gg_file {
	int64_t id;
	char sha256[GG_SHA256_HEX];
	int64_t size;
	char content_type[32];
	char name[GG_FILE_NAME_MAX + 1];
	char purpose[GG_FILE_PURPOSE_MAX + 1];
	int64_t uploaded_by;
	int64_t created_at;
};

/**
 * The content type of data[0..len) by its magic bytes ("application/pdf"
 * for "%PDF-", "image/png", "image/jpeg"), checked against the
 * extension of the declared name (.pdf; .png; .jpg or .jpeg; any case)
 * into out. GG_E_MEDIA_TYPE on field "file" for content of another kind
 * or a name whose extension says another kind than the content.
 */
enum gg_err gg_file_sniff(const void *data, size_t len, const char *name, const char **out, struct gg_error *err);

/**
 * The directory of the files: files_dir itself when absolute, else
 * data_dir/files_dir, into out. GG_E_TOO_LARGE when it does not fit.
 */
enum gg_err gg_file_dir(const char *data_dir, const char *files_dir, char *out, size_t outsz, struct gg_error *err);

/**
 * Stores data[0..len) (1..max_bytes bytes, else GG_E_TOO_LARGE on field
 * "file"; empty: GG_E_INVALID) declared as name (1..GG_FILE_NAME_MAX
 * bytes, no '/' or control characters: GG_E_INVALID on field "name") for
 * purpose, in the caller's write transaction: checks the type
 * (gg_file_sniff), writes the bytes under dir unless a file of that
 * SHA-256 is there already (creating dir and its sub-directory as
 * needed; GG_E_IO naming the path when it cannot), adds the files row
 * with its audit row (file.store). *out gets the row. A rollback of the
 * caller's transaction leaves at most an unreferenced content file.
 */
enum gg_err gg_file_store_tx(struct gg_db *db, const struct gg_actor *actor, const char *dir, const char *name,
                             const char *purpose, const void *data, size_t len, int64_t max_bytes, struct gg_file *out,
                             struct gg_error *err);

/*
 * The columns of a files row (table alias f) that gg_file_row reads, in
 * its order: select them as "SELECT " GG_FILE_COLUMNS " FROM files f ...".
 */
#define GG_FILE_COLUMNS \
	"f.id, f.sha256, f.size, f.content_type, f.name, f.purpose, COALESCE(f.uploaded_by, 0), f.created_at"
/** Reads the GG_FILE_COLUMNS of the current row of st, starting at column col, into out. */
void gg_file_row(struct gg_stmt *st, int col, struct gg_file *out);

/** The row of file id. GG_E_NOT_FOUND "unknown file 7". */
enum gg_err gg_file_get(struct gg_db *db, int64_t id, struct gg_file *out, struct gg_error *err);

/**
 * Reads f's bytes from dir into *data (malloc'd, freed by the caller),
 * *len of them, after checking their size and SHA-256 against the row.
 * GG_E_INTERNAL "stored file 7 does not match its checksum" (logged with
 * the path and both hashes) on a mismatch, GG_E_IO when it cannot be
 * read; *data is then NULL.
 */
enum gg_err gg_file_read(const char *dir, const struct gg_file *f, char **data, size_t *len, struct gg_error *err);

/** The path of content sha256 under dir ("dir/ab/<sha256>") into out. */
enum gg_err gg_file_path(const char *dir, const char *sha256, char *out, size_t outsz, struct gg_error *err);

#endif
