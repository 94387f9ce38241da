/*
 * file: stored files (file.h). Content-addressed bytes on disk, one row
 * per upload. Writing: a temporary file in the same sub-directory,
 * fsync, rename, then fsync of the directory; an existing file of the
 * same SHA-256 is kept (its content is the same by construction).
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/log.h"

static const struct {
	const char *type;
	const unsigned char *magic;
	size_t nmagic;
	const char *exts[3];
} kinds[] = {
    {"application/pdf", (const unsigned char *)"%PDF-", 5, {"pdf", NULL, NULL}},
    {"image/png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8, {"png", NULL, NULL}},
    {"image/jpeg", (const unsigned char *)"\xff\xd8\xff", 3, {"jpg", "jpeg", NULL}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

enum gg_err gg_file_sniff(const void *data, size_t len, const char *name, const char **out, struct gg_error *err)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	int found = -1;

	*out = NULL;
	for (size_t i = 0; i < NKINDS; i++)
		if (len >= kinds[i].nmagic && memcmp(data, kinds[i].magic, kinds[i].nmagic) == 0)
			found = (int)i;
	if (found < 0)
		return gg_error_field(err, GG_E_MEDIA_TYPE, "file",
		                      "the file is not a PDF, PNG or JPEG (its content says so, whatever its name)");
	for (size_t e = 0; dot && e < 3 && kinds[found].exts[e]; e++)
		if (strcasecmp(dot + 1, kinds[found].exts[e]) == 0) {
			*out = kinds[found].type;
			return GG_OK;
		}
	return gg_error_field(err, GG_E_MEDIA_TYPE, "file",
	                      "the file's content is %s but its name '%.64s' says otherwise", kinds[found].type,
	                      name ? name : "");
}

enum gg_err gg_file_dir(const char *data_dir, const char *files_dir, char *out, size_t outsz, struct gg_error *err)
{
	int n = files_dir[0] == '/' ? snprintf(out, outsz, "%s", files_dir)
	                            : snprintf(out, outsz, "%s/%s", data_dir, files_dir);

	if (n < 0 || (size_t)n >= outsz)
		return gg_error_set(err, GG_E_TOO_LARGE, "the files directory path is too long");
	return GG_OK;
}

enum gg_err gg_file_path(const char *dir, const char *sha256, char *out, size_t outsz, struct gg_error *err)
{
	int n = snprintf(out, outsz, "%s/%.2s/%s", dir, sha256, sha256);

	if (n < 0 || (size_t)n >= outsz)
		return gg_error_set(err, GG_E_TOO_LARGE, "the stored file's path is too long");
	return GG_OK;
}

static enum gg_err make_dir(const char *path, struct gg_error *err)
{
	if (mkdir(path, 0750) != 0 && errno != EEXIST)
		return gg_error_set(err, GG_E_IO, "cannot create directory '%s': %s", path, strerror(errno));
	return GG_OK;
}

static enum gg_err sync_dir(const char *path, struct gg_error *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return gg_error_set(err, GG_E_IO, "cannot sync directory '%s': %s", path, strerror(e));
	}
	close(fd);
	return GG_OK;
}

/* Writes data to path through a temporary name in the same directory, fsync'ed, renamed. */
static enum gg_err write_atomic(const char *sub, const char *path, const void *data, size_t len, struct gg_error *err)
{
	char tmp[GG_FILE_PATH_MAX + 32];
	unsigned char rnd[8];
	char hex[17];
	const char *p = data;
	size_t left = len;
	enum gg_err rc = GG_OK;
	int fd;

	gg_crypto_random(rnd, sizeof rnd);
	gg_crypto_hex(rnd, sizeof rnd, hex);
	snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, hex);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0640)) < 0)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", tmp, strerror(errno));
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", tmp, strerror(errno));
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (rc == GG_OK && fsync(fd) != 0)
		rc = gg_error_set(err, GG_E_IO, "cannot sync '%s': %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == GG_OK)
		rc = gg_error_set(err, GG_E_IO, "cannot close '%s': %s", tmp, strerror(errno));
	if (rc == GG_OK && rename(tmp, path) != 0)
		rc = gg_error_set(err, GG_E_IO, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
	if (rc != GG_OK)
		unlink(tmp);
	else
		rc = sync_dir(sub, err);
	return rc;
}

static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > GG_FILE_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f || name[i] == '/' || name[i] == '\\')
			return 0;
	return 1;
}

enum gg_err gg_file_store_tx(struct gg_db *db, const struct gg_actor *actor, const char *dir, const char *name,
                             const char *purpose, const void *data, size_t len, int64_t max_bytes, struct gg_file *out,
                             struct gg_error *err)
{
	char sub[GG_FILE_PATH_MAX], path[GG_FILE_PATH_MAX], size_text[24];
	const char *type = NULL;
	struct gg_stmt *st = NULL;
	struct stat sb;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return gg_error_field(err, GG_E_INVALID, "file", "the file is empty");
	if ((int64_t)len > max_bytes)
		return gg_error_field(err, GG_E_TOO_LARGE, "file", "the file has %zu bytes, more than the %lld allowed",
		                      len, (long long)max_bytes);
	if (!name_ok(name))
		return gg_error_field(err, GG_E_INVALID, "name",
		                      "a file name is 1 to %d bytes without '/', '\\' or control characters",
		                      GG_FILE_NAME_MAX);
	if (purpose == NULL || purpose[0] == '\0' || strlen(purpose) > GG_FILE_PURPOSE_MAX)
		return gg_error_set(err, GG_E_INTERNAL, "a stored file needs a purpose");
	if ((rc = gg_file_sniff(data, len, name, &type, err)) != GG_OK)
		return rc;
	gg_crypto_sha256_hex(data, len, out->sha256);
	if ((rc = gg_file_path(dir, out->sha256, path, sizeof path, err)) != GG_OK)
		return rc;
	snprintf(sub, sizeof sub, "%s/%.2s", dir, out->sha256);
	if ((rc = make_dir(dir, err)) != GG_OK || (rc = make_dir(sub, err)) != GG_OK)
		return rc;
	if (stat(path, &sb) != 0 || sb.st_size != (off_t)len) {
		if ((rc = write_atomic(sub, path, data, len, err)) != GG_OK)
			return rc;
	}
	out->size = (int64_t)len;
	snprintf(out->content_type, sizeof out->content_type, "%s", type);
	snprintf(out->name, sizeof out->name, "%s", name);
	snprintf(out->purpose, sizeof out->purpose, "%s", purpose);
	out->uploaded_by = actor->id;
	out->created_at = gg_clock_now();
	rc = gg_db_prepare(db,
	                   "INSERT INTO files (sha256, size, content_type, name, purpose, uploaded_by, created_at)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, out->sha256);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, out->size);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, type);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, purpose);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, out->created_at);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		int found = 0;
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, &out->id, &found, err);
	}
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {
		    {"name", NULL, name},      {"purpose", NULL, purpose},    {"content_type", NULL, type},
		    {"size", NULL, size_text}, {"sha256", NULL, out->sha256},
		};

		snprintf(size_text, sizeof size_text, "%lld", (long long)out->size);
		rc = gg_audit_by(db, actor, "file.store", "file", out->id, changes, sizeof changes / sizeof changes[0],
		                 err);
	}
	return rc;
}

void gg_file_row(struct gg_stmt *st, int col, struct gg_file *out)
{
	out->id = gg_db_col_i64(st, col);
	gg_db_col_copy(st, col + 1, out->sha256, sizeof out->sha256);
	out->size = gg_db_col_i64(st, col + 2);
	gg_db_col_copy(st, col + 3, out->content_type, sizeof out->content_type);
	gg_db_col_copy(st, col + 4, out->name, sizeof out->name);
	gg_db_col_copy(st, col + 5, out->purpose, sizeof out->purpose);
	out->uploaded_by = gg_db_col_i64(st, col + 6);
	out->created_at = gg_db_col_i64(st, col + 7);
}

enum gg_err gg_file_get(struct gg_db *db, int64_t id, struct gg_file *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	rc = gg_db_prepare(db, "SELECT " GG_FILE_COLUMNS " FROM files f WHERE f.id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		gg_file_row(st, 0, out);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown file %lld", (long long)id);
	return rc;
}

enum gg_err gg_file_read(const char *dir, const struct gg_file *f, char **data, size_t *len, struct gg_error *err)
{
	char path[GG_FILE_PATH_MAX], got[GG_SHA256_HEX];
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;
	enum gg_err rc;

	*data = NULL;
	*len = 0;
	if ((rc = gg_file_path(dir, f->sha256, path, sizeof path, err)) != GG_OK)
		return rc;
	if ((fp = fopen(path, "rb")) == NULL)
		return gg_error_set(err, GG_E_IO, "cannot read stored file %lld: %s", (long long)f->id,
		                    strerror(errno));
	if (f->size <= 0 || (buf = malloc((size_t)f->size + 1)) == NULL) {
		fclose(fp);
		return gg_error_set(err, f->size <= 0 ? GG_E_INTERNAL : GG_E_NOMEM, NULL);
	}
	n = fread(buf, 1, (size_t)f->size + 1, fp);
	fclose(fp);
	gg_crypto_sha256_hex(buf, n, got);
	if (n != (size_t)f->size || strcmp(got, f->sha256) != 0) {
		gg_log(GG_LOG_ERROR, "file_checksum_mismatch",
		       "stored file %lld at %s does not match its checksum: expected %s (%lld bytes), found %s (%zu "
		       "bytes)",
		       (long long)f->id, path, f->sha256, (long long)f->size, got, n);
		free(buf);
		return gg_error_set(err, GG_E_INTERNAL, "stored file %lld does not match its checksum",
		                    (long long)f->id);
	}
	*data = buf;
	*len = n;
	return GG_OK;
}
