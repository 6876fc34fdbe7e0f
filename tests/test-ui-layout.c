/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-layout"

#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ticket-view.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* Where things land on the screen, in both languages and both text sizes:
 * the services list opens at its top, the centre's name leaves no character
 * alone on a line, the check-in keypad stays where the finger aims when an
 * error shows, and the documents stay on screen beside the fallback QR. */

#define HUB_URL "https://hub.linli.test"
#define PUBLIC_URL "https://linli.test"

typedef struct
{
  const char *size;
  int width, height;
  gboolean missing_printer; /* a USB device that is not there */
  void (*body) (gpointer f);
} Case;

typedef struct
{
  const Case *tc;
  char *dir;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  KioskTicketView *view;
  GPtrArray *argv;
} Fixture;

static const char *const languages[] = { "zh", "en" };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  /* A Monday morning in November: the hall is open. */
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  g_autofree char *config_path = NULL, *config = NULL, *printer = NULL;

  f->tc = data;
  f->dir = kiosk_test_make_tmpdir ("ui-layout");
  if (f->tc->missing_printer)
    printer = g_strdup_printf ("transport = usb\ndevice = %s/no-such-lp0\n", f->dir);
  else
    printer = g_strdup_printf ("transport = folder\nfolder = %s/slips\n", f->dir);
  config = g_strdup_printf ("[kiosk]\nsecret_file = %s/kiosk.key\n"
                            "[printer]\n%s"
                            "[hub]\nurl = " HUB_URL "\n",
                            f->dir, printer);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, NULL, f->tc->size);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;

  f->window = KIOSK_WINDOW (window);
  f->view = KIOSK_TICKET_VIEW (kiosk_window_get_screen_widget (f->window, "ticket"));
  /* The hub's address for phones, as the sync stores it: the slip's QR. */
  g_assert_true (kiosk_store_set_public_url (kiosk_application_get_store (f->app), PUBLIC_URL, NULL));
  f->tc->body (f);
  f->window = NULL;
}

static void
run_case (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

static void
go_home (Fixture *f)
{
  if (g_strcmp0 (kiosk_window_get_screen (f->window), "home") != 0)
    kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
}

/* Language and text size are changed on the home screen, as a visitor does. */
static void
set_mode (Fixture *f, const char *lang, gboolean large)
{
  go_home (f);
  kiosk_application_set_language (f->app, lang);
  kiosk_application_set_large_text (f->app, large);
  kiosk_ui_test_settle (GTK_WIDGET (f->window));
}

static gboolean
has_class (GtkWidget *widget, gpointer css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static GtkWidget *
find_class (Fixture *f, const char *css_class)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), has_class, (gpointer)css_class);
}

static GtkWidget *
scrolled_ancestor (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  g_assert_nonnull (scrolled);
  return scrolled;
}

/* Item 7: each category's services open at the top, the first one whole,
 * even after the list was scrolled down the time before. */
static void
test_services_open_at_top (gpointer data)
{
  Fixture *f = data;
  KioskBundle *bundle = kiosk_content_get_bundle (kiosk_application_get_content (f->app));
  GPtrArray *categories = kiosk_bundle_get_categories (bundle);

  for (guint mode = 0; mode < 4; mode++)
    {
      const char *lang = languages[mode % 2];
      gboolean large = mode >= 2;

      set_mode (f, lang, large);
      for (guint i = 0; i < categories->len; i++)
        {
          const KioskCategory *category = g_ptr_array_index (categories, i);
          KioskUiTestActionRef first = { "ticket.service", NULL };
          g_autoptr (GPtrArray) services = kiosk_bundle_services_in (bundle, category);
          GtkWidget *tile, *scrolled;
          GtkAdjustment *adjustment;
          graphene_rect_t tile_bounds, view_bounds;

          go_home (f);
          kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "ticket");
          kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", category->id);
          g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "services");
          kiosk_ui_test_settle (GTK_WIDGET (f->window));

          first.target = ((const KioskService *)g_ptr_array_index (services, 0))->id;
          tile = kiosk_ui_test_find_widget (GTK_WIDGET (f->window), kiosk_ui_test_button_does, &first);
          g_assert_nonnull (tile);
          scrolled = scrolled_ancestor (tile);
          adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
          g_assert_true (gtk_widget_compute_bounds (tile, scrolled, &tile_bounds));
          g_assert_true (gtk_widget_compute_bounds (scrolled, scrolled, &view_bounds));
          g_test_message ("%s%s, %s: scrolled to %.0f, first service at %.0f–%.0f of %.0f", lang,
                          large ? " large" : "", category->id, gtk_adjustment_get_value (adjustment),
                          tile_bounds.origin.y, tile_bounds.origin.y + tile_bounds.size.height,
                          view_bounds.size.height);
          if (gtk_adjustment_get_value (adjustment) != 0.0 || tile_bounds.origin.y < 0
              || tile_bounds.origin.y + tile_bounds.size.height > view_bounds.size.height)
            g_error ("%s%s, %s: the list opens scrolled to %.0f, its first service at %.0f–%.0f of %.0f",
                     lang, large ? " large text" : "", category->id, gtk_adjustment_get_value (adjustment),
                     tile_bounds.origin.y, tile_bounds.origin.y + tile_bounds.size.height,
                     view_bounds.size.height);

          /* A visitor scrolls down to a service near the end, then comes
           * back another time for another category. */
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
        }
    }
}

/* Item 8: no line of the centre's name holds a single character. */
static void
test_centre_name_no_orphan (gpointer data)
{
  Fixture *f = data;

  for (guint mode = 0; mode < 4; mode++)
    {
      const char *lang = languages[mode % 2];
      gboolean large = mode >= 2;
      GtkWidget *name;
      PangoLayout *layout;
      const char *text;

      set_mode (f, lang, large);
      name = find_class (f, "centre-name");
      g_assert_nonnull (name);
      layout = gtk_label_get_layout (GTK_LABEL (name));
      text = pango_layout_get_text (layout);
      for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          g_autofree char *part = g_strstrip (g_strndup (text + line->start_index, (gsize)line->length));

          g_test_message ("%s%s: \"%s\"", lang, large ? " large" : "", part);
          if (g_utf8_strlen (part, -1) == 1)
            g_error ("%s%s: \"%s\" leaves \"%s\" alone on a line", lang, large ? " large text" : "", text,
                     part);
        }
    }
}

static GArray *
key_bounds (Fixture *f)
{
  GtkWidget *keypad = find_class (f, "keypad");
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  g_assert_nonnull (keypad);
  for (GtkWidget *key = gtk_widget_get_first_child (keypad); key != NULL;
       key = gtk_widget_get_next_sibling (key))
    {
      graphene_rect_t b;

      g_assert_true (gtk_widget_compute_bounds (key, GTK_WIDGET (f->window), &b));
      g_array_append_val (bounds, b);
    }
  g_assert_cmpuint (bounds->len, ==, 37);
  return bounds;
}

static void
type_code (Fixture *f, const char *code)
{
  for (const char *p = code; *p != '\0'; p++)
    {
      char key[2] = { *p, '\0' };

      kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.key", key);
    }
}

/* Item 8: an error under the booking code moves no key. */
static void
test_keypad_keeps_place (gpointer data)
{
  Fixture *f = data;
  static const struct
  {
    const char *what;
    const char *code; /* typed, then Check in; NULL: a card read */
    const char *read;
  } errors[] = {
    { "too short", "AB", NULL },
    { "no such booking", "ZZ9999", NULL },
    { "unreadable card", NULL, "110105194912310021" }, /* an ID number, wrong check digit */
  };

  for (guint mode = 0; mode < 4; mode++)
    {
      const char *lang = languages[mode % 2];
      gboolean large = mode >= 2;

      set_mode (f, lang, large);
      for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
        {
          g_autoptr (GArray) before = NULL;
          g_autoptr (GArray) after = NULL;
          GtkWidget *message;

          go_home (f);
          kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "ticket");
          kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
          kiosk_ui_test_settle (GTK_WIDGET (f->window));
          before = key_bounds (f);

          if (errors[i].code != NULL)
            {
              type_code (f, errors[i].code);
              kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
            }
          else
            {
              kiosk_application_card_read (f->app, errors[i].read);
              kiosk_ui_test_iterate ();
            }
          g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "appointment");
          kiosk_ui_test_settle (GTK_WIDGET (f->window));
          message = find_class (f, "check-in-message");
          g_assert_nonnull (message);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), !=, "");
          g_test_message ("%s%s, %s: \"%s\"", lang, large ? " large" : "", errors[i].what,
                          gtk_label_get_text (GTK_LABEL (message)));

          after = key_bounds (f);
          for (guint k = 0; k < before->len; k++)
            {
              graphene_rect_t *b = &g_array_index (before, graphene_rect_t, k);
              graphene_rect_t *a = &g_array_index (after, graphene_rect_t, k);

              if (!graphene_rect_equal (a, b))
                g_error ("%s%s, %s: key %u moved from %.0f,%.0f to %.0f,%.0f", lang,
                         large ? " large text" : "", errors[i].what, k, b->origin.x, b->origin.y, a->origin.x,
                         a->origin.y);
            }
        }
    }
}

/* For the README: into $KIOSK_SCREENSHOT_DIR when set, portrait only. */
static void
save_screenshot (Fixture *f, const char *name)
{
  const char *dir = g_getenv ("KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL || name == NULL || f->tc->width > f->tc->height)
    return;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error));
  g_assert_no_error (error);
  g_test_message ("wrote %s", path);
}

/* Item 8: the printer failed, the QR is shown large, and what to bring is still on screen. */
static void
test_fallback_qr_keeps_documents (gpointer data)
{
  Fixture *f = data;

  for (guint mode = 0; mode < 4; mode++)
    {
      const char *lang = languages[mode % 2];
      gboolean large = mode >= 2;
      g_autofree char *what = g_strdup_printf ("%s %s%s", f->tc->size, lang, large ? " large text" : "");
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      GtkWidget *documents, *first_part, *last_part, *scrolled;
      graphene_rect_t list, last, view;

      set_mode (f, lang, large);
      kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "ticket");
      kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "residence");
      kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.service", "residence-permit");
      while (kiosk_ticket_view_get_print_state (f->view) == KIOSK_PRINT_PRINTING
             && g_get_monotonic_time () < deadline)
        {
          kiosk_ui_test_iterate ();
          g_usleep (5000);
        }
      g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), ==, KIOSK_PRINT_FAILED);
      g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
      kiosk_ui_test_settle (GTK_WIDGET (f->window));

      g_assert_nonnull (find_class (f, "qr"));
      g_assert_nonnull (find_class (f, "print-failed"));
      /* From "Please bring" to the last document (the box may be allocated
       * taller than what it holds); a landscape screen says it in one line. */
      documents = find_class (f, "documents");
      g_assert_nonnull (documents);
      scrolled = scrolled_ancestor (documents);
      first_part = GTK_IS_LABEL (documents) ? documents : gtk_widget_get_first_child (documents);
      last_part = GTK_IS_LABEL (documents) ? documents : gtk_widget_get_last_child (documents);
      g_assert_true (gtk_widget_compute_bounds (first_part, GTK_WIDGET (f->window), &list));
      g_assert_true (gtk_widget_compute_bounds (last_part, GTK_WIDGET (f->window), &last));
      graphene_rect_union (&list, &last, &list);
      g_assert_true (gtk_widget_compute_bounds (scrolled, GTK_WIDGET (f->window), &view));
      save_screenshot (f, mode == 0   ? "queue-print-failed-zh.png"
                          : mode == 3 ? "queue-print-failed-large-text-en.png"
                                      : NULL);
      g_test_message ("%s: documents at %.0f–%.0f, page shows %.0f–%.0f", what, list.origin.y,
                      list.origin.y + list.size.height, view.origin.y, view.origin.y + view.size.height);
      if (list.origin.y < view.origin.y
          || list.origin.y + list.size.height > view.origin.y + view.size.height + 0.5f)
        g_error ("%s: the documents (%.0f–%.0f) are below the fold (%.0f)", what, list.origin.y,
                 list.origin.y + list.size.height, view.origin.y + view.size.height);
      kiosk_ui_test_assert_inside (GTK_WIDGET (f->window), GTK_WIDGET (f->window), f->tc->width,
                                   f->tc->height, what);
      go_home (f);
    }
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, size, w, h, missing, fn)                                                                   \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { size, w, h, missing, fn };                                                    \
      g_test_add ("/kiosk/ui/layout/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);        \
    }                                                                                                        \
  while (0)
  ADD ("services-open-at-top", "1080x1920", 1080, 1920, FALSE, test_services_open_at_top);
  ADD ("centre-name-no-orphan/portrait", "1080x1920", 1080, 1920, FALSE, test_centre_name_no_orphan);
  ADD ("centre-name-no-orphan/landscape", "1920x1080", 1920, 1080, FALSE, test_centre_name_no_orphan);
  ADD ("keypad-keeps-place/portrait", "1080x1920", 1080, 1920, FALSE, test_keypad_keeps_place);
  ADD ("keypad-keeps-place/landscape", "1920x1080", 1920, 1080, FALSE, test_keypad_keeps_place);
  ADD ("fallback-qr-keeps-documents/portrait", "1080x1920", 1080, 1920, TRUE,
       test_fallback_qr_keeps_documents);
  ADD ("fallback-qr-keeps-documents/landscape", "1920x1080", 1920, 1080, TRUE,
       test_fallback_qr_keeps_documents);
#undef ADD
  return g_test_run ();
}
