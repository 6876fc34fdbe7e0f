/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

/* The command line: options, demo mode's settings, --hash-pin. */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-application-private.h"
#include "kiosk-error.h"
#include "kiosk-pin.h"
#include "kiosk-ui-text.h"

const GOptionEntry kiosk_app_option_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, "Settings file (default " KIOSK_CONFIG_DEFAULT_PATH ")",
    "PATH" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Demo mode: state in ~/.local/share/linli-kiosk, slips as files, keyboard as card reader", NULL },
  { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Folder for the database and slips", "DIR" },
  { "content", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Content bundle folder (with manifest.json)", "DIR" },
  { "landscape", 0, 0, G_OPTION_ARG_NONE, NULL, "1920x1080 landscape screen", NULL },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL, "A window of this size instead of full screen", "WxH" },
  { "lang", 0, 0, G_OPTION_ARG_STRING, NULL, "First language: zh or en", "LANG" },
  { "screen", 0, 0, G_OPTION_ARG_STRING, NULL, "First screen: home, ticket, fitness, guide, notices",
    "NAME" },
  { "large-text", 0, 0, G_OPTION_ARG_NONE, NULL, "Start with large, high-contrast text", NULL },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Save the first frame as PNG and quit", "FILE" },
  { "safe-mode", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Show only the out-of-service screen (systemd starts this when the kiosk keeps failing)", NULL },
  { "hash-pin", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Read a staff PIN from standard input, print its hash for [staff] pin_hash, and quit", NULL },
  { "startup-report", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
    "Print time to first frame and RSS, then quit", NULL },
  /* For screenshots of screens a visitor reaches by touch, at a fixed time. */
  { "press", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING_ARRAY, NULL,
    "After start, do what a button does (e.g. ticket.service::residence-permit); repeatable", "ACTION" },
  { "clock-at", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL,
    "A clock that stands still at this local time (2026-11-23T10:00:00)", "TIME" },
  { NULL },
};

gboolean
kiosk_parse_size (const char *text, int *width, int *height)
{
  g_auto (GStrv) parts = NULL;
  gint64 w, h;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "x", -1);
  if (g_strv_length (parts) != 2 || !g_ascii_string_to_signed (parts[0], 10, 200, 8192, &w, NULL)
      || !g_ascii_string_to_signed (parts[1], 10, 200, 8192, &h, NULL))
    return FALSE;
  *width = (int)w;
  *height = (int)h;
  return TRUE;
}

/* The build tree's binaries (and tests) use the build tree's translations
 * and the source tree's content; installed ones use the installed files. */
gboolean
kiosk_app_running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *po_dir = g_path_get_dirname (BUILD_LOCALEDIR);
  g_autofree char *build_root = g_path_get_dirname (po_dir);
  g_autofree char *prefix = g_strconcat (build_root, "/", NULL);

  return exe != NULL && g_str_has_prefix (exe, prefix);
}

char *
kiosk_app_default_bundle_dir (void)
{
  const char *installed = PKGDATADIR "/content/default";
  g_autofree char *source = g_build_filename (SOURCE_ASSETS_DIR, "content", "default", NULL);
  gboolean prefer_source = kiosk_app_running_from_build_tree ();
  const char *first = prefer_source ? source : installed;
  const char *second = prefer_source ? installed : source;
  g_autofree char *manifest = g_build_filename (first, "manifest.json", NULL);

  return g_strdup (g_file_test (manifest, G_FILE_TEST_EXISTS) ? first : second);
}

static gboolean
set_config (KioskApplication *self, const char *group, const char *key, const char *value, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!kiosk_config_set (self->config, group, key, value, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "command line: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_config_unless_given (KioskApplication *self, const char *group, const char *key, const char *value,
                         GError **error)
{
  return kiosk_config_is_given (self->config, group, key) || set_config (self, group, key, value, error);
}

/* "1234" (crypto_pwhash_str, interactive limits): demo mode's staff PIN. */
#define DEMO_PIN_HASH                                                                                        \
  "$argon2id$v=19$m=65536,t=2,p=1$kkJMKWRAifg03fEnsz0P9g$MxWBjl/Jixwhw6gQ6TPlyAPQA3WpMGh6pJ8s4OErNrM"

/* Demo mode's club: a card key made under the state folder, the sample
 * members of assets/demo-members.csv, and PIN 1234, unless set. */
static gboolean
apply_demo_fitness (KioskApplication *self, const char *state_dir, GError **error)
{
  g_autofree char *card_key = g_build_filename (state_dir, "card.key", NULL);
  g_autofree char *members = g_build_filename (SOURCE_ASSETS_DIR, "demo-members.csv", NULL);

  if (!kiosk_app_running_from_build_tree () || !g_file_test (members, G_FILE_TEST_EXISTS))
    {
      g_free (members);
      members = g_build_filename (PKGDATADIR, "demo-members.csv", NULL);
    }
  return set_config (self, "fitness", "card_key_file", card_key, error)
         && (*kiosk_config_get_string (self->config, "fitness", "member_file") != '\0'
             || set_config (self, "fitness", "member_file", members, error))
         && (*kiosk_config_get_string (self->config, "staff", "pin_hash") != '\0'
             || set_config (self, "staff", "pin_hash", DEMO_PIN_HASH, error));
}

static gboolean
apply_demo (KioskApplication *self, const char *state_dir, GError **error)
{
  g_autofree char *home_state = g_build_filename (g_get_user_data_dir (), "linli-kiosk", NULL);
  g_autofree char *bundle = kiosk_app_default_bundle_dir ();
  g_autofree char *key_file = NULL;

  if (state_dir == NULL)
    state_dir = home_state;
  self->slip_dir = g_build_filename (state_dir, "slips", NULL);
  key_file = g_build_filename (state_dir, "kiosk.key", NULL);
  if (g_mkdir_with_parents (self->slip_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "demo: cannot create %s: %s", self->slip_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* A desktop is no touch screen, and its owner needs the pointer. The
   * printer is the demo's folder unless --config names one: a technician
   * tries the real printer with --demo --config. */
  return set_config (self, "kiosk", "state_dir", state_dir, error)
         && set_config (self, "kiosk", "content_dir", bundle, error)
         && set_config (self, "kiosk", "secret_file", key_file, error)
         && set_config (self, "kiosk", "hide_cursor", "false", error)
         && set_config_unless_given (self, "printer", "transport", "folder", error)
         && set_config_unless_given (self, "printer", "folder", self->slip_dir, error)
         && set_config (self, "door", "backend", "log", error) && apply_demo_fitness (self, state_dir, error);
}

/* --press and --clock-at: screenshots of the take-a-number flow. */
static gboolean
apply_flow_options (KioskApplication *self, GVariantDict *options, GError **error)
{
  g_autofree char *clock_at = NULL;

  g_clear_pointer (&self->presses, g_strfreev);
  g_variant_dict_lookup (options, "press", "^as", &self->presses);
  if (!g_variant_dict_lookup (options, "clock-at", "s", &clock_at))
    return TRUE;
  {
    g_autoptr (GTimeZone) tz
        = g_time_zone_new_identifier (kiosk_config_get_string (self->config, "kiosk", "time_zone"));
    g_autoptr (GDateTime) at = g_date_time_new_from_iso8601 (clock_at, tz);

    if (at == NULL)
      {
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                     "--clock-at %s: expected a time like 2026-11-23T10:00:00", clock_at);
        return FALSE;
      }
    g_clear_object (&self->clock);
    self->clock = kiosk_clock_new_fake (kiosk_config_get_string (self->config, "kiosk", "time_zone"), at);
  }
  return TRUE;
}

gboolean
kiosk_application_apply_options (KioskApplication *self, GVariantDict *options, GError **error)
{
  g_autofree char *config_path = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *content_dir = NULL;
  g_autofree char *size = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *screen = NULL;
  g_autofree char *screenshot = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);

  g_variant_dict_lookup (options, "config", "^ay", &config_path);
  g_variant_dict_lookup (options, "state-dir", "^ay", &state_dir);
  g_variant_dict_lookup (options, "content", "^ay", &content_dir);
  g_variant_dict_lookup (options, "screenshot", "^ay", &screenshot);
  g_variant_dict_lookup (options, "size", "s", &size);
  g_variant_dict_lookup (options, "lang", "s", &lang);
  g_variant_dict_lookup (options, "screen", "s", &screen);
  g_variant_dict_lookup (options, "demo", "b", &self->demo);
  g_variant_dict_lookup (options, "landscape", "b", &self->landscape);
  g_variant_dict_lookup (options, "large-text", "b", &self->large_text);
  g_variant_dict_lookup (options, "startup-report", "b", &self->startup_report);
  g_variant_dict_lookup (options, "safe-mode", "b", &self->safe_mode);

  g_clear_object (&self->config);
  if (config_path == NULL && !self->demo && g_file_test (KIOSK_CONFIG_DEFAULT_PATH, G_FILE_TEST_EXISTS))
    config_path = g_strdup (KIOSK_CONFIG_DEFAULT_PATH);
  if (config_path != NULL)
    {
      GPtrArray *warnings;

      self->config = kiosk_config_load (config_path, error);
      if (self->config == NULL)
        return FALSE;
      warnings = kiosk_config_get_warnings (self->config);
      for (guint i = 0; warnings != NULL && i < warnings->len; i++)
        g_printerr ("%s\n", (const char *)g_ptr_array_index (warnings, i));
    }
  else
    self->config = kiosk_config_new ();

  if (self->demo && !apply_demo (self, state_dir, error))
    return FALSE;
  if (state_dir != NULL && !set_config (self, "kiosk", "state_dir", state_dir, error))
    return FALSE;
  if (content_dir != NULL && !set_config (self, "kiosk", "content_dir", content_dir, error))
    return FALSE;
  if (self->landscape
      && !(set_config (self, "kiosk", "width", "1920", error)
           && set_config (self, "kiosk", "height", "1080", error)))
    return FALSE;
  self->landscape = kiosk_config_get_int (self->config, "kiosk", "width")
                    > kiosk_config_get_int (self->config, "kiosk", "height");
  if (size != NULL && !kiosk_parse_size (size, &self->fixed_width, &self->fixed_height))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "--size %s: expected WIDTHxHEIGHT, e.g. 1080x1920", size);
      return FALSE;
    }
  if (size != NULL)
    self->landscape = self->fixed_width > self->fixed_height;
  if (lang != NULL && g_strcmp0 (lang, KIOSK_LANG_ZH) != 0 && g_strcmp0 (lang, KIOSK_LANG_EN) != 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "--lang %s: expected zh or en", lang);
      return FALSE;
    }
  g_free (self->language);
  self->language
      = g_strdup (lang != NULL ? lang : kiosk_config_get_string (self->config, "kiosk", "language"));
  if (screen != NULL)
    {
      static const char *const names[] = { "home", "ticket", "fitness", "guide", "notices", NULL };

      if (!g_strv_contains (names, screen))
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "--screen %s: expected home, ticket, fitness, guide or notices", screen);
          return FALSE;
        }
      g_free (self->start_screen);
      self->start_screen = g_steal_pointer (&screen);
    }
  g_free (self->screenshot_path);
  self->screenshot_path = g_steal_pointer (&screenshot);
  if (!apply_flow_options (self, options, error))
    return FALSE;
  /* A screenshot is of the kiosk's own size, not of whatever screen runs it. */
  if (self->screenshot_path != NULL && size == NULL)
    {
      self->fixed_width = kiosk_config_get_int (self->config, "kiosk", "width");
      self->fixed_height = kiosk_config_get_int (self->config, "kiosk", "height");
    }
  return TRUE;
}

/* --hash-pin: the PIN comes from standard input, never the command line
 * (which every user can read in ps), unechoed when typed. */
int
kiosk_app_print_pin_hash (void)
{
  char line[64] = "";
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  g_autofree char *hash = NULL;
  g_autoptr (GError) error = NULL;

  if (tty)
    {
      g_printerr ("员工密码 / Staff PIN: ");
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    line[0] = '\0';
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }
  hash = kiosk_pin_hash (g_strstrip (line), &error);
  explicit_bzero (line, sizeof line);
  if (hash == NULL)
    {
      g_printerr ("linli-kiosk: %s\n", error->message);
      return 2;
    }
  printf ("pin_hash = %s\n", hash);
  return 0;
}
