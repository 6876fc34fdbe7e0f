/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "linli-content"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "kiosk-bundle-check.h"
#include "kiosk-bundle.h"
#include "kiosk-clock.h"
#include "kiosk-release.h"

/* Makes and checks signed content releases: the centre's side of
 * docs/content-releases.md. The hub's `content publish` uses the same
 * kiosk-release functions. Exit status: 0 done, 1 refused, 2 bad usage. */

static const char usage[]
    = "Usage:\n"
      "  linli-content keygen --out DIR\n"
      "  linli-content sign DIR --key KEY [--release N] [--target T] [--not-before TIME] [--strict]\n"
      "  linli-content check DIR [--strict] [--at TIME]\n"
      "  linli-content verify DIR --pubkey B64 [--pubkey B64 …]\n";

static int
fail (const char *what, const GError *error)
{
  g_printerr ("linli-content %s: %s\n", what, error->message);
  return 1;
}

static gboolean
write_private (const char *path, const char *text, int mode, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  gsize length = strlen (text);
  int saved;

  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (write (fd, text, length) != (gssize)length || fsync (fd) < 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* The consistency check (kiosk-bundle-check.h) of @bundle as of @at (NULL:
 * now), printed: FALSE when it found an error, or a warning with @strict;
 * @n_warnings receives the count. */
static gboolean
report_findings (const char *what, KioskBundle *bundle, GDateTime *at, gboolean strict, guint *n_warnings)
{
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  g_autoptr (GDateTime) now = at ? g_date_time_ref (at) : kiosk_clock_now (clock);
  g_autoptr (GPtrArray) findings = kiosk_bundle_check_consistency (bundle, now);
  guint errors = 0, warnings = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      const KioskCheckFinding *finding = findings->pdata[i];
      g_autofree char *line = kiosk_check_finding_to_string (finding);

      g_printerr ("linli-content %s: %s\n", what, line);
      if (finding->level == KIOSK_CHECK_ERROR)
        errors++;
      else
        warnings++;
    }
  if (errors > 0 || (strict && warnings > 0))
    {
      g_printerr ("linli-content %s: 内容不一致 / refused: %u error(s), %u warning(s)%s\n", what, errors,
                  warnings, errors == 0 ? " (--strict)" : "");
      return FALSE;
    }
  *n_warnings = warnings;
  return TRUE;
}

static int
cmd_check (int argc, char **argv)
{
  gboolean strict = FALSE;
  g_autofree char *at_text = NULL;
  GOptionEntry entries[] = {
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Warnings fail too", NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, "Check as of this time, e.g. 2026-12-01T08:00:00+08:00",
      "TIME" },
    { NULL },
  };
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) at = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new ("DIR - check a content bundle folder");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  guint warnings = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  if (at_text != NULL && (at = g_date_time_new_from_iso8601 (at_text, utc)) == NULL)
    {
      g_printerr ("linli-content check: --at \"%s\" is not a time like 2026-12-01T08:00:00+08:00\n", at_text);
      return 2;
    }
  bundle = kiosk_bundle_load (argv[1], &error);
  if (bundle == NULL)
    return fail ("check", error);
  if (!report_findings ("check", bundle, at, strict, &warnings))
    return 1;
  g_print ("release %" G_GINT64_FORMAT ": loads, %u warning(s)\n", kiosk_bundle_get_release (bundle),
           warnings);
  return 0;
}

static int
cmd_keygen (int argc, char **argv)
{
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder for publish.key and publish.pub", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- make a publishing key pair");
  g_autoptr (GError) error = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *secret_b64 = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *secret_line = NULL;
  g_autofree char *public_line = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || out == NULL || argc != 1)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  if (g_mkdir_with_parents (out, 0700) < 0)
    {
      g_printerr ("linli-content keygen: %s: %s\n", out, g_strerror (errno));
      return 1;
    }
  kiosk_release_keygen (&public_b64, &secret_b64);
  key_path = g_build_filename (out, "publish.key", NULL);
  pub_path = g_build_filename (out, "publish.pub", NULL);
  secret_line = g_strconcat (secret_b64, "\n", NULL);
  public_line = g_strconcat (public_b64, "\n", NULL);
  sodium_memzero (secret_b64, strlen (secret_b64));
  /* Never overwrite a key: kiosks in the field trust the old one. */
  if (!write_private (key_path, secret_line, 0600, &error)
      || !write_private (pub_path, public_line, 0644, &error))
    {
      sodium_memzero (secret_line, strlen (secret_line));
      return fail ("keygen", error);
    }
  sodium_memzero (secret_line, strlen (secret_line));
  g_print ("secret key: %s (keep it off the kiosks)\npublic key: %s\n"
           "put in each kiosk's kiosk.conf:\n[content]\npublic_keys = %s\n",
           key_path, pub_path, public_b64);
  return 0;
}

static int
cmd_sign (int argc, char **argv)
{
  g_autofree char *key = NULL;
  g_autofree char *target = NULL;
  g_autofree char *not_before_text = NULL;
  gint64 release = 0;
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Secret key (publish.key)", "KEY" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Refuse on consistency warnings too", NULL },
    { "release", 0, 0, G_OPTION_ARG_INT64, &release, "Release number; must match manifest.json", "N" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "all, hall:ID or kiosk:ID", "T" },
    { "not-before", 0, 0, G_OPTION_ARG_STRING, &not_before_text, "Apply from, e.g. 2026-12-01T08:00:00+08:00",
      "TIME" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DIR - sign a content bundle folder");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (KioskRelease) signed_release = NULL;
  g_autoptr (GDateTime) not_before = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  const char *dir;
  gboolean ok;
  guint warnings = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || key == NULL || argc != 2)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  dir = argv[1];
  if (not_before_text != NULL && (not_before = g_date_time_new_from_iso8601 (not_before_text, utc)) == NULL)
    {
      g_printerr ("linli-content sign: --not-before \"%s\" is not a time like 2026-12-01T08:00:00+08:00\n",
                  not_before_text);
      return 2;
    }

  /* A bundle that would not load on a kiosk is not worth signing. */
  bundle = kiosk_bundle_load (dir, &error);
  if (bundle == NULL)
    return fail ("sign", error);
  /* Announcements that end before the release applies are findings. */
  if (!report_findings ("sign", bundle, not_before, strict, &warnings))
    return 1;
  if (release == 0)
    release = kiosk_bundle_get_release (bundle);
  if (release != kiosk_bundle_get_release (bundle))
    {
      g_printerr ("linli-content sign: manifest.json says release %" G_GINT64_FORMAT
                  "; set it to %" G_GINT64_FORMAT " or leave out --release\n",
                  kiosk_bundle_get_release (bundle), release);
      return 1;
    }

  if (!kiosk_release_load_secret_key (key, secret, &error))
    return fail ("sign", error);
  ok = kiosk_release_sign_dir (dir, release, target, not_before, secret, &error);
  sodium_memzero (secret, sizeof secret);
  if (!ok)
    return fail ("sign", error);

  signed_release = kiosk_release_scan (dir, release, &error);
  if (signed_release == NULL)
    return fail ("sign", error);
  g_print ("signed release %" G_GINT64_FORMAT ": %u files, %" G_GINT64_FORMAT " bytes, %u warning(s)\n",
           release, signed_release->files->len, kiosk_release_total_size (signed_release), warnings);
  return 0;
}

static int
cmd_verify (int argc, char **argv)
{
  g_auto (GStrv) keys = NULL;
  GOptionEntry entries[] = {
    { "pubkey", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keys, "A trusted public key (base64)", "B64" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DIR - check a signed release as a kiosk would");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) release = NULL;
  g_autoptr (KioskBundle) bundle = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || keys == NULL || argc != 2)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  release = kiosk_release_verify_dir (argv[1], (const char *const *)keys, 0, &error);
  if (release == NULL)
    {
      g_printerr ("linli-content verify: %s: %s\n", kiosk_release_error_code (error->code), error->message);
      return 1;
    }
  bundle = kiosk_bundle_load (argv[1], &error);
  if (bundle == NULL)
    return fail ("verify", error);
  if (kiosk_bundle_get_release (bundle) != release->release)
    {
      g_printerr ("linli-content verify: manifest.json says release %" G_GINT64_FORMAT
                  ", release.json %" G_GINT64_FORMAT "\n",
                  kiosk_bundle_get_release (bundle), release->release);
      return 1;
    }
  g_print ("release %" G_GINT64_FORMAT ": signature good, %u files whole, bundle loads\n", release->release,
           release->files->len);
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      g_printerr ("%s", usage);
      return 2;
    }
  if (g_str_equal (argv[1], "keygen"))
    return cmd_keygen (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "sign"))
    return cmd_sign (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "check"))
    return cmd_check (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "verify"))
    return cmd_verify (argc - 1, argv + 1);
  g_printerr ("%s", usage);
  return 2;
}
