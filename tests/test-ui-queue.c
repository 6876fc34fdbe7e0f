/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-queue"

#include "config.h"

#include <sys/wait.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>

#include "kiosk-appointment.h"
#include "kiosk-application.h"
#include "kiosk-qr.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-ticket-view.h"
#include "kiosk-ui-text.h"
#include "kiosk-window.h"

/* Take a number through the whole application on a real (Xvfb) display:
 * the kiosk's config, a fresh state folder, the default bundle, a fake clock
 * on a Monday, and the buttons a finger presses. */

#define HUB_URL "https://hub.linli.test"
/* The hub's address for phones, as a heartbeat would have stored it. */
#define PUBLIC_URL "https://linli.test"
#define ID_NUMBER "11010519491231002X"
#define STAFF_PIN "2468"

typedef struct
{
  char *dir;
  char *slip_dir;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  KioskTicketView *view;
  GPtrArray *argv;
} Fixture;

typedef struct
{
  int hour, minute;
  const char *size;
  gboolean missing_printer; /* a USB device that is not there */
  void (*body) (Fixture *f);
} Case;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const Case *tc = data;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, tc->hour, tc->minute, 0);
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *printer = NULL;
  g_autofree char *pin_hash = kiosk_ui_test_pin_hash (STAFF_PIN);

  f->dir = kiosk_test_make_tmpdir ("ui-queue");
  f->slip_dir = g_build_filename (f->dir, "slips", NULL);
  if (tc->missing_printer)
    printer = g_strdup_printf ("transport = usb\ndevice = %s/no-such-lp0\n", f->dir);
  else
    printer = g_strdup_printf ("transport = folder\nfolder = %s\n", f->slip_dir);
  /* What a technician writes into /etc/linli-kiosk/kiosk.conf. */
  config = g_strdup_printf ("[kiosk]\nsecret_file = %s/kiosk.key\n"
                            "[queue]\nreturn_home_seconds = 8\n"
                            "[printer]\n%s"
                            "[hub]\nurl = " HUB_URL "\n"
                            "[staff]\npin_hash = %s\n",
                            f->dir, printer, pin_hash);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, NULL, tc->size);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->slip_dir);
  g_free (f->dir);
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  const Case *tc = g_object_get_data (G_OBJECT (f->app), "test-case");

  f->window = KIOSK_WINDOW (window);
  f->view = KIOSK_TICKET_VIEW (kiosk_window_get_screen_widget (f->window, "ticket"));
  g_assert_true (kiosk_store_set_public_url (kiosk_application_get_store (f->app), PUBLIC_URL, NULL));
  kiosk_ui_test_iterate ();

  tc->body (f);
  f->window = NULL;
}

static void
run_case (Fixture *f, gconstpointer data)
{
  g_object_set_data (G_OBJECT (f->app), "test-case", (gpointer)data);
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

/* Finding what a person sees */

static gboolean
label_is (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
label_contains (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
has_label (Fixture *f, const char *text)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is, (gpointer)text) != NULL;
}

static gboolean
has_text (Fixture *f, const char *text)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_contains, (gpointer)text) != NULL;
}

/* A label in Chinese that is not a second-language line (those show the
 * other language on purpose) nor the language button. */
static gboolean
label_is_stray_cjk (GtkWidget *widget, gpointer data)
{
  const char *text;

  if (!GTK_IS_LABEL (widget) || gtk_widget_has_css_class (widget, "other-language"))
    return FALSE;
  text = gtk_label_get_text (GTK_LABEL (widget));
  return kiosk_ui_text_has_cjk (text) && g_strcmp0 (text, "中文") != 0;
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

/* The home screen's take-a-number tile, from wherever the kiosk is. */
static void
open_ticket_screen (Fixture *f)
{
  if (g_strcmp0 (kiosk_window_get_screen (f->window), "home") != 0)
    kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "ticket");
}

/* Home tile, category, service: the three taps of the issue. */
static void
take_number (Fixture *f, const char *category, const char *service)
{
  open_ticket_screen (f);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "categories");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", category);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "services");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.service", service);
}

static void
wait_for_print (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (kiosk_ticket_view_get_print_state (f->view) == KIOSK_PRINT_PRINTING
         && g_get_monotonic_time () < deadline)
    {
      kiosk_ui_test_iterate ();
      g_usleep (5000);
    }
  kiosk_ui_test_iterate ();
  g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), !=, KIOSK_PRINT_PRINTING);
}

static void
wait_for_text (Fixture *f, const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!has_text (f, text) && g_get_monotonic_time () < deadline)
    {
      kiosk_ui_test_iterate ();
      g_usleep (5000);
    }
  g_assert_true (has_text (f, text));
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3 *db = kiosk_store_get_db (kiosk_application_get_store (f->app));
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
zbar_decode (const char *png)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strchomp (out));
}

/* Tests */

static void
test_take_number (Fixture *f)
{
  const KioskTicket *ticket;
  g_autofree char *url = NULL;
  g_autofree char *png = g_build_filename (f->slip_dir, "0001.png", NULL);
  g_autofree char *bin = g_build_filename (f->slip_dir, "0001.bin", NULL);
  g_autofree char *uuid = NULL;
  g_autofree char *zbar = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicket) stored = NULL;

  take_number (f, "residence", "residence-permit");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  ticket = kiosk_ticket_view_get_ticket (f->view);
  g_assert_nonnull (ticket);
  g_assert_cmpstr (ticket->label, ==, "A001");
  uuid = g_strdup (ticket->uuid);
  g_assert_true (has_label (f, "A001"));
  g_assert_true (has_label (f, "居住证申领"));
  g_assert_true (has_label (f, "前面无人等候"));
  g_assert_true (has_text (f, "预计等候：约"));
  g_assert_true (has_label (f, "居民身份证原件"));
  g_assert_true (has_label (f, "租赁合同或单位住宿证明"));

  /* The slip: a PNG and the printer's bytes, its QR the ticket's live URL. */
  wait_for_print (f);
  g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), ==, KIOSK_PRINT_PRINTED);
  g_assert_true (has_label (f, "请取走下方凭条"));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (bin, G_FILE_TEST_IS_REGULAR));
  url = kiosk_qr_ticket_url (PUBLIC_URL, ticket->public_code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_ticket_view_get_qr_text (f->view), ==, url);
  zbar = g_find_program_in_path ("zbarimg");
  if (zbar == NULL)
    g_test_message ("zbarimg not installed (Debian zbar-tools): QR decode not checked");
  else
    {
      g_free (zbar);
      zbar = zbar_decode (png);
      g_assert_cmpstr (zbar, ==, url);
    }

  /* Issued for real: in the store, with its outbox record. */
  stored = kiosk_queue_lookup (kiosk_application_get_queue (f->app), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->label, ==, "A001");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE kind = 'ticket'"), ==, 1);

  /* Back home after [queue] return_home_seconds of the kiosk's clock. */
  kiosk_clock_advance (f->clock, 7 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "ticket");
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");

  /* The next visitor starts at the categories, and is one behind. */
  take_number (f, "residence", "residence-renewal");
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->label, ==, "A002");
  g_assert_true (has_label (f, "前面还有 1 人"));
  wait_for_print (f);
  g_assert_true (g_file_test (f->slip_dir, G_FILE_TEST_IS_DIR));
  {
    g_autofree char *second = g_build_filename (f->slip_dir, "0002.png", NULL);

    g_assert_true (g_file_test (second, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_priority_lane (Fixture *f)
{
  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "civil");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.priority", "elderly-allowance");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "lanes");
  g_assert_true (has_label (f, "普通"));
  g_assert_true (has_label (f, "老年人优先"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.lane", "elderly");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_cmpint (kiosk_ticket_view_get_ticket (f->view)->lane, ==, KIOSK_LANE_ELDERLY);
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->label, ==, "D001");
  g_assert_true (has_label (f, "老年人优先"));
  wait_for_print (f);

  /* A service without priority lanes offers none. */
  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "legal");
  {
    KioskUiTestActionRef ref = { "ticket.priority", "mediation" };

    g_assert_null (kiosk_ui_test_find_widget (GTK_WIDGET (f->window), kiosk_ui_test_button_does, &ref));
  }
}

static void
test_refused_at_lunch (Fixture *f)
{
  KioskQueueStatus status;
  g_autoptr (GError) error = NULL;

  take_number (f, "residence", "residence-permit");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "refused");
  g_assert_null (kiosk_ticket_view_get_ticket (f->view));
  g_assert_true (has_label (f, "暂时不能取号"));
  g_assert_true (has_label (f, "请在此时间再来"));
  g_assert_true (has_label (f, "今天 13:30"));
  g_assert_true (has_text (f, "13:30"));

  /* Nothing issued, nothing printed. */
  g_assert_true (kiosk_queue_get_status (kiosk_application_get_queue (f->app), "residence", &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status.issued_today, ==, 0);
  g_assert_false (g_file_test (f->slip_dir, G_FILE_TEST_EXISTS));

  /* English: the same refusal, Chinese still first, the next opening in English. */
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "refused");
  g_assert_true (has_label (f, "Please come back"));
  g_assert_true (has_label (f, "today 13:30"));
  g_assert_true (has_label (f, "No number right now"));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.back", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "services");
}

/* A kiosk the hub never told its public address: no QR on the screen or
 * the slip (a phone could open neither), and both say how the turn comes. */
static void
test_no_public_url (Fixture *f)
{
  g_autofree char *png = g_build_filename (f->slip_dir, "0001.png", NULL);
  g_autofree char *zbar = g_find_program_in_path ("zbarimg");

  g_assert_true (kiosk_store_set_public_url (kiosk_application_get_store (f->app), NULL, NULL));
  take_number (f, "residence", "residence-permit");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_null (kiosk_ticket_view_get_qr_text (f->view));
  g_assert_true (has_label (f, "请留意大厅叫号屏和广播"));
  g_assert_false (has_label (f, "扫码查看排队进度"));
  wait_for_print (f);
  g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), ==, KIOSK_PRINT_PRINTED);
  if (zbar != NULL)
    {
      const char *argv[] = { zbar, "--quiet", "--raw", png, NULL };
      int status = 0;

      /* zbarimg exits 4 when it finds no code at all. */
      g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                                   NULL, &status, NULL));
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 4);
    }
}

static void
test_printer_failure (Fixture *f)
{
  const KioskTicket *ticket;
  g_autofree char *uuid = NULL;
  g_autoptr (KioskTicket) stored = NULL;
  g_autoptr (GError) error = NULL;

  take_number (f, "social-insurance", "si-card");
  ticket = kiosk_ticket_view_get_ticket (f->view);
  g_assert_nonnull (ticket);
  uuid = g_strdup (ticket->uuid);
  wait_for_print (f);
  g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), ==, KIOSK_PRINT_FAILED);
  g_assert_true (has_label (f, "打印失败，请拍照保存二维码"));
  g_assert_true (has_label (f, "打印机未连接"));
  g_assert_true (has_label (f, "B001"));

  /* The ticket stands, and staff have a record of the slip that did not print. */
  stored = kiosk_queue_lookup (kiosk_application_get_queue (f->app), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->label, ==, "B001");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM events WHERE kind = 'slip-not-printed'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE kind = 'status'"), >=, 1);

  /* Time to photograph it: longer than a printed slip's few seconds. */
  kiosk_clock_advance (f->clock, 9 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "ticket");

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_true (has_label (f, "Printing failed — please photograph the QR code"));
  g_assert_true (has_label (f, "Printer not connected"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);

  /* Staff try the slip again while the printer is still away: a clear
   * answer in the panel, and the ticket untouched. */
  kiosk_ui_test_open_staff_panel (GTK_WIDGET (f->window));
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.reprint", NULL);
  wait_for_text (f, "重印失败：");
  g_assert_true (has_text (f, "打印机未连接"));
  g_clear_pointer (&stored, kiosk_ticket_free);
  stored = kiosk_queue_lookup (kiosk_application_get_queue (f->app), uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->label, ==, "B001");
}

/* The resident whose slip tore asks at the desk: staff print it again from
 * the panel, byte for byte the slip the kiosk sent first. */
static void
test_reprint (Fixture *f)
{
  g_autofree char *first = g_build_filename (f->slip_dir, "0001.bin", NULL);
  g_autofree char *again = g_build_filename (f->slip_dir, "0002.bin", NULL);
  g_autofree char *first_bytes = NULL, *again_bytes = NULL;
  gsize first_len = 0, again_len = 0;

  kiosk_ui_test_open_staff_panel (GTK_WIDGET (f->window));
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_true (has_label (f, "本机启动以来尚未打印凭条。"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.close", NULL);

  take_number (f, "residence", "residence-permit");
  wait_for_print (f);
  g_assert_true (g_file_get_contents (first, &first_bytes, &first_len, NULL));

  kiosk_ui_test_open_staff_panel (GTK_WIDGET (f->window));
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_true (has_label (f, "重印上一张凭条"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.reprint", NULL);
  wait_for_text (f, "上一张凭条已重新打印。");
  g_assert_true (g_file_get_contents (again, &again_bytes, &again_len, NULL));
  g_assert_cmpmem (again_bytes, again_len, first_bytes, first_len);
  /* A reprint is not a new ticket. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE kind = 'ticket'"), ==, 1);

  if (g_getenv ("KIOSK_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path
          = g_build_filename (g_getenv ("KIOSK_SCREENSHOT_DIR"), "staff-reprint-zh.png", NULL);
      g_autoptr (GError) error = NULL;

      kiosk_ui_test_settle (GTK_WIDGET (f->window));
      kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error);
      g_assert_no_error (error);
    }
}

static void
test_language_switch (Fixture *f)
{
  GtkWidget *cjk;

  take_number (f, "residence", "residence-permit");
  wait_for_print (f);
  g_assert_true (has_label (f, "取号成功"));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->label, ==, "A001");
  g_assert_true (has_label (f, "Your number is ready"));
  g_assert_true (has_label (f, "Residence permit application"));
  g_assert_true (has_label (f, "You are next"));
  g_assert_true (has_text (f, "Estimated wait: about"));
  g_assert_true (has_label (f, "Resident ID card (original)"));
  g_assert_true (has_label (f, "Please take your slip below"));
  /* The service's Chinese name stays as a second line, for the counter. */
  g_assert_true (has_label (f, "居住证申领"));
  cjk = kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is_stray_cjk, NULL);
  if (cjk != NULL)
    g_error ("ticket screen in English still shows \"%s\"", gtk_label_get_text (GTK_LABEL (cjk)));

  /* Every page of the flow in English. */
  open_ticket_screen (f);
  g_assert_true (has_label (f, "Take a number: choose a category"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "social-insurance");
  g_assert_true (has_label (f, "Social security card application"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.priority", "si-card");
  g_assert_true (has_label (f, "Regular"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.back", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.back", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
  g_assert_true (has_label (f, "Booking code"));
  cjk = kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is_stray_cjk, NULL);
  if (cjk != NULL)
    g_error ("appointment screen in English still shows \"%s\"", gtk_label_get_text (GTK_LABEL (cjk)));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_true (has_label (f, "预约码"));
}

static void
test_appointment_unknown (Fixture *f)
{
  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "appointment");
  g_assert_true (has_label (f, "预约码"));

  /* Too short to be a code: said so, nothing looked up. */
  type_code (f, "AB");
  g_assert_true (has_label (f, "AB"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
  g_assert_true (has_label (f, "预约码为 4 至 32 位字母或数字。"));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.clear", NULL);
  type_code (f, "ZZ9999");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.delete", NULL);
  g_assert_true (has_label (f, "ZZ999"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "appointment");
  g_assert_true (has_label (f, "未找到此预约"));

  /* A scanned QR that names no booking: the same answer. */
  kiosk_application_card_read (f->app, "LINLI:A1:NOPE99");
  kiosk_ui_test_iterate ();
  g_assert_true (has_label (f, "未找到此预约"));

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tickets"), ==, 0);
  g_assert_false (g_file_test (f->slip_dir, G_FILE_TEST_EXISTS));
}

static void
test_appointment_check_in (Fixture *f)
{
  static const char bookings[]
      = "{ \"appointments\": ["
        "  { \"code\": \"K7M2Q9\", \"service\": \"residence-permit\", \"slot\": "
        "\"2026-11-23T10:00:00+08:00\" },"
        "  { \"code\": \"P3X8\", \"service\": \"si-card\", \"slot\": \"2026-11-23T10:15:00\","
        "    \"id_number\": \"" ID_NUMBER "\" },"
        "  { \"code\": \"LATER1\", \"service\": \"si-card\", \"slot\": \"2026-11-23T15:00:00+08:00\" }"
        "] }";
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (
      kiosk_appointment_import_data (kiosk_application_get_queue (f->app), bookings, -1, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
  type_code (f, "K7M2Q9");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_cmpint (kiosk_ticket_view_get_ticket (f->view)->lane, ==, KIOSK_LANE_APPOINTMENT);
  g_assert_true (has_label (f, "预约"));
  g_assert_true (has_label (f, "居住证申领"));
  wait_for_print (f);
  g_assert_cmpint (kiosk_ticket_view_get_print_state (f->view), ==, KIOSK_PRINT_PRINTED);

  /* The same code again: used. Too early: when check-in opens. */
  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
  type_code (f, "K7M2Q9");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
  g_assert_true (has_label (f, "此预约已签到"));
  type_code (f, "LATER1");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.check-in", NULL);
  g_assert_true (has_text (f, "14:30"));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tickets"), ==, 1);

  /* An ID card tapped on the reader finds its booking. */
  kiosk_application_card_read (f->app, ID_NUMBER);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->service_id, ==, "si-card");
  wait_for_print (f);

  /* Reads mean nothing elsewhere in the flow. */
  open_ticket_screen (f);
  kiosk_application_card_read (f->app, ID_NUMBER);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "categories");
}

static void
test_disk_full (Fixture *f)
{
  KioskStore *store = kiosk_application_get_store (f->app);
  g_autofree char *limit = NULL;

  sqlite3 *db = kiosk_store_get_db (store);
  int rc = SQLITE_OK;

  /* The database may not grow by a single page, and the outbox's last page
   * is full: the ticket's outbox record is the write that finds the disk
   * full. Filled behind the store's back, so it is still healthy. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, count_rows (f, "PRAGMA page_count"));
  g_assert_true (kiosk_store_exec (store, limit, NULL));
  for (guint i = 0; i < 100000 && rc == SQLITE_OK; i++)
    rc = sqlite3_exec (db,
                       "INSERT INTO outbox (uuid, kind, payload, created_us) "
                       "VALUES (hex (randomblob (16)), 'status', '{}', 0)",
                       NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_FULL);
  g_assert_true (kiosk_store_get_healthy (store));
  g_assert_false (kiosk_window_get_out_of_service (f->window));

  take_number (f, "residence", "residence-permit");
  g_assert_false (kiosk_store_get_healthy (store));
  g_assert_true (kiosk_window_get_out_of_service (f->window));
  g_assert_true (has_label (f, "暂停服务"));
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "categories");
  g_assert_null (kiosk_ticket_view_get_ticket (f->view));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM tickets"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE kind = 'ticket'"), ==, 0);
  g_assert_false (g_file_test (f->slip_dir, G_FILE_TEST_EXISTS));

  /* Room again: the next write brings the kiosk back, numbering from 1. */
  g_assert_true (kiosk_store_exec (store, "PRAGMA max_page_count = 1073741823", NULL));
  g_assert_true (kiosk_store_report (store, "test", "disk has room again", NULL));
  g_assert_false (kiosk_window_get_out_of_service (f->window));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "residence");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.service", "residence-permit");
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->label, ==, "A001");
  wait_for_print (f);
}

/* Staff publish new content: the next ticket comes from the new bundle's
 * services, through the same queue. */
static void
test_bundle_swap (Fixture *f)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *dir = g_build_filename (f->dir, "content-2", NULL);
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) edited = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (source, &text, NULL, &error));
  edited = g_string_new (text);
  g_string_replace (edited, "\"residence-permit\"", "\"residence-permit-2027\"", 0);
  g_string_replace (edited, "居住证申领", "居住证申领（新版）", 0);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (manifest, edited->str, -1, &error));
  bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);

  open_ticket_screen (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.category", "residence");
  g_assert_true (has_label (f, "居住证申领"));
  kiosk_content_swap (kiosk_application_get_content (f->app), bundle);
  kiosk_ui_test_iterate ();
  /* The visitor's category survives the swap, relabelled. */
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "services");
  g_assert_true (has_label (f, "居住证申领（新版）"));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.service", "residence-permit-2027");
  g_assert_cmpstr (kiosk_ticket_view_get_page (f->view), ==, "ticket");
  g_assert_cmpstr (kiosk_ticket_view_get_ticket (f->view)->service_id, ==, "residence-permit-2027");
  g_assert_true (kiosk_queue_get_bundle (kiosk_application_get_queue (f->app)) == bundle);
  wait_for_print (f);
}

/* Every page, in both languages, with and without large text, stays inside
 * the screen it was given (a window only grows when something cannot fit). */
static void
test_layout (Fixture *f)
{
  GtkWidget *root = GTK_WIDGET (f->window);
  int width = gtk_widget_get_width (root);
  int height = gtk_widget_get_height (root);
  static const char *const steps[][2] = {
    { "ticket.category", "residence" }, { "ticket.priority", "residence-permit" },
    { "ticket.lane", "normal" },        { "kiosk.home", NULL },
    { "kiosk.show", "ticket" },         { "ticket.appointment", NULL },
  };

  /* Modes change on the home screen: a home screen relabelled while hidden
   * is measured once with its old style when it comes back (a shell matter,
   * not this flow's). */
  for (int large = 0; large <= 1; large++)
    {
      if (g_strcmp0 (kiosk_window_get_screen (f->window), "home") != 0)
        kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
      kiosk_application_set_large_text (f->app, large);
      for (gsize lang = 0; lang < 2; lang++)
        {
          if (g_strcmp0 (kiosk_window_get_screen (f->window), "home") != 0)
            kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
          kiosk_application_set_language (f->app, lang == 0 ? "zh" : "en");
          open_ticket_screen (f);
          for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
            {
              kiosk_ui_test_press (GTK_WIDGET (f->window), steps[i][0], steps[i][1]);
              if (g_str_equal (steps[i][0], "ticket.lane"))
                wait_for_print (f);
              if (gtk_widget_get_width (root) != width || gtk_widget_get_height (root) != height)
                g_error ("%s(%s), large text %d, %s: the window grew to %d×%d", steps[i][0],
                         steps[i][1] ? steps[i][1] : "", large, lang == 0 ? "zh" : "en",
                         gtk_widget_get_width (root), gtk_widget_get_height (root));
            }
        }
    }
}

/* Xvfb has no session bus; GTK says so once. Not a failure. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Unable to acquire session bus"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }

#define ADD(path, hour, minute, size, missing, fn)                                                           \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { hour, minute, size, missing, fn };                                            \
      g_test_add ("/kiosk/ui/queue/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);         \
    }                                                                                                        \
  while (0)
  ADD ("take-number", 10, 0, NULL, FALSE, test_take_number);
  ADD ("priority-lane", 10, 0, NULL, FALSE, test_priority_lane);
  ADD ("refused-at-lunch", 12, 10, NULL, FALSE, test_refused_at_lunch);
  ADD ("no-public-url", 10, 0, NULL, FALSE, test_no_public_url);
  ADD ("printer-failure", 10, 0, NULL, TRUE, test_printer_failure);
  ADD ("reprint", 10, 0, NULL, FALSE, test_reprint);
  ADD ("language-switch", 10, 0, NULL, FALSE, test_language_switch);
  ADD ("appointment-unknown", 10, 0, NULL, FALSE, test_appointment_unknown);
  ADD ("appointment-check-in", 10, 0, NULL, FALSE, test_appointment_check_in);
  ADD ("disk-full", 10, 0, NULL, FALSE, test_disk_full);
  ADD ("bundle-swap", 10, 0, NULL, FALSE, test_bundle_swap);
  ADD ("layout-portrait", 10, 0, "1080x1920", FALSE, test_layout);
  ADD ("layout-landscape", 10, 0, "1920x1080", FALSE, test_layout);
#undef ADD
  return g_test_run ();
}
