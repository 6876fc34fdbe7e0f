/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-fitness"

#include "config.h"

#include <gdk/gdkkeysyms.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <stdio.h>

#include "kiosk-application.h"
#include "kiosk-pin.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* The fitness club door through the whole application on a real (Xvfb)
 * display: a settings file with a member list, a card key, the log door and a
 * staff PIN; a fake clock on a Monday at 10:00, when the club is open. Cards
 * arrive as a reader's would (kiosk_application_card_read), and the test looks
 * at what a person sees, what the door did and what the store holds. */

#define MEMBER_CARD "0012345678"   /* 张三明, worker */
#define RESIDENT_CARD "0087654321" /* 李秀英, resident */
#define EXPIRED_CARD "0011112222"  /* 王建国, expired 2021 */
#define UNKNOWN_CARD "0099999999"
#define STAFF_PIN "2468"

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  GPtrArray *argv;
  guint door_opened;
  KioskDoor *door; /* a reference kept past shutdown, when a test asks */
} Fixture;

typedef struct
{
  gboolean demo; /* --demo and no settings file: what `kiosk.sh demo` runs */
  void (*body) (Fixture *f);
} Case;

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const Case *tc = data;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  g_autofree char *pin_hash = kiosk_ui_test_pin_hash (STAFF_PIN);
  g_autofree char *conf = NULL;

  f->dir = kiosk_test_make_tmpdir ("ui-fitness");
  write_file (f->dir, "card.key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
  write_file (f->dir, "members.csv",
              "card,kind,name,valid_from,valid_until,status,group\n" MEMBER_CARD
              ",worker,张三明,,,active,worker\n" RESIDENT_CARD
              ",resident,李秀英,2026-01-01,2030-12-31,,resident\n" EXPIRED_CARD
              ",resident,王建国,2020-01-01,2021-12-31,,resident\n");
  /* No udev tag: the test must not take this machine's input devices. */
  conf = g_strdup_printf ("[readers]\nudev_tag = false\n\n"
                          "[door]\nbackend = log\npulse_ms = 800\n\n"
                          "[fitness]\ncard_key_file = %s/card.key\nmember_file = %s/members.csv\n\n"
                          "[staff]\npin_hash = %s\nidle_timeout_seconds = 60\n",
                          f->dir, f->dir, pin_hash);
  write_file (f->dir, "kiosk.conf", conf);

  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->argv, g_strdup ("linli-kiosk"));
  if (tc->demo)
    g_ptr_array_add (f->argv, g_strdup ("--demo"));
  else
    {
      g_ptr_array_add (f->argv, g_strdup ("--config"));
      g_ptr_array_add (f->argv, g_build_filename (f->dir, "kiosk.conf", NULL));
    }
  g_ptr_array_add (f->argv, g_strdup ("--state-dir"));
  g_ptr_array_add (f->argv, g_build_filename (f->dir, "state", NULL));
  g_ptr_array_add (f->argv, g_strdup ("--content"));
  g_ptr_array_add (f->argv, kiosk_test_asset_path ("content/default"));
  g_ptr_array_add (f->argv, g_strdup ("--size"));
  g_ptr_array_add (f->argv, g_strdup ("1080x1920"));
  g_ptr_array_add (f->argv, NULL);
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
on_door_state (KioskDoor *door, GParamSpec *pspec, Fixture *f)
{
  if (kiosk_door_get_state (door) == KIOSK_DOOR_STATE_OPEN)
    f->door_opened++;
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  const Case *tc = g_object_get_data (G_OBJECT (f->app), "test-case");
  KioskGate *gate = kiosk_application_get_gate (f->app);

  f->window = KIOSK_WINDOW (window);
  g_assert_nonnull (gate);
  g_assert_nonnull (kiosk_gate_get_entry (gate));
  g_assert_nonnull (kiosk_gate_get_door (gate));
  g_signal_connect (kiosk_gate_get_door (gate), "notify::state", G_CALLBACK (on_door_state), f);
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

/* ── What a person sees ─────────────────────────────────────────────── */

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
has_label (GtkWidget *root, const char *text)
{
  return kiosk_ui_test_find_widget (root, label_is, (gpointer)text) != NULL;
}

static const KioskFeedback *
shown (Fixture *f)
{
  KioskEntryOverlay *overlay = kiosk_window_get_entry_overlay (f->window);
  const KioskFeedback *feedback = kiosk_entry_overlay_get_feedback (overlay);

  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (overlay)), ==, feedback != NULL);
  return feedback;
}

/* Taps @card and checks the answer is up at once, without running the loop:
 * it is drawn on the very next frame. */
static const KioskFeedback *
tap (Fixture *f, const char *card)
{
  const KioskFeedback *feedback;

  kiosk_application_card_read (f->app, card);
  feedback = shown (f);
  g_assert_nonnull (feedback);
  kiosk_ui_test_iterate ();
  return feedback;
}

/* ── The store ──────────────────────────────────────────────────────── */

static gint64
count (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (kiosk_application_get_store (f->app), sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
assert_no_card_number (Fixture *f, const char *card)
{
  g_autoptr (GDate) today = g_date_new_dmy (23, G_DATE_NOVEMBER, 2026); /* a badge: no birth date */
  g_autoptr (KioskCardRead) read = kiosk_card_classify (card, KIOSK_CARD_UID_AUTO, today, 0);
  GtkWidget *found = kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_contains, (gpointer)card);

  g_assert_null (found);
  g_assert_null (kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_contains, read->value));
}

/* The relay's pulse runs on real time (800 ms here): wait for it to end. */
static void
wait_door_shut (Fixture *f)
{
  KioskDoor *door = kiosk_gate_get_door (kiosk_application_get_gate (f->app));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (kiosk_door_get_state (door) != KIOSK_DOOR_STATE_CLOSED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_CLOSED);
}

/* ── Cases ──────────────────────────────────────────────────────────── */

static void
test_granted (Fixture *f)
{
  GtkWidget *overlay = GTK_WIDGET (kiosk_window_get_entry_overlay (f->window));
  const KioskFeedback *feedback = tap (f, MEMBER_CARD);

  g_assert_true (feedback->granted);
  g_assert_cmpstr (feedback->name, ==, "张*明");
  g_assert_true (gtk_widget_has_css_class (overlay, "granted"));
  g_assert_true (has_label (overlay, "张*明"));
  g_assert_true (has_label (overlay, "欢迎"));
  g_assert_true (has_label (overlay, "Welcome"));
  assert_no_card_number (f, MEMBER_CARD);

  /* The log door pulsed, is open for its pulse, then shuts by itself. */
  g_assert_cmpuint (f->door_opened, ==, 1);
  g_assert_cmpint (kiosk_door_get_state (kiosk_gate_get_door (kiosk_application_get_gate (f->app))), ==,
                   KIOSK_DOOR_STATE_OPEN);
  wait_door_shut (f);

  /* One entry, one outbox record with its UUID, the card only as a hash. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries WHERE result = 'granted' AND reason = 'ok'"
                             " AND masked_name = '张*明' AND length (card_hash) = 64"),
                   ==, 1);
  g_assert_cmpint (
      count (f, "SELECT count(*) FROM outbox o JOIN entries e ON o.uuid = e.uuid WHERE o.kind = 'entry'"), ==,
      1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE payload LIKE '%" MEMBER_CARD "%'"
                             " OR payload LIKE '%00BC614E%'"),
                   ==, 0);
  g_assert_cmpint (kiosk_entry_get_occupancy (kiosk_gate_get_entry (kiosk_application_get_gate (f->app))), ==,
                   1);
}

static void
test_hex_reader (Fixture *f)
{
  /* The same badge from a reader that types hex is the same member. */
  const KioskFeedback *feedback = tap (f, "00bc614e");

  g_assert_true (feedback->granted);
  g_assert_cmpstr (feedback->name, ==, "张*明");
}

static void
test_unknown (Fixture *f)
{
  GtkWidget *overlay = GTK_WIDGET (kiosk_window_get_entry_overlay (f->window));
  const KioskFeedback *feedback = tap (f, UNKNOWN_CARD);

  g_assert_false (feedback->granted);
  g_assert_true (gtk_widget_has_css_class (overlay, "denied"));
  g_assert_true (has_label (overlay, "卡未登记"));
  g_assert_true (has_label (overlay, "Card not registered"));
  g_assert_true (has_label (overlay, "请到服务台登记"));
  assert_no_card_number (f, UNKNOWN_CARD);
  g_assert_cmpuint (f->door_opened, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries WHERE result = 'denied' AND reason = 'unknown'"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE kind = 'entry'"), ==, 1);
}

static void
test_expired (Fixture *f)
{
  const KioskFeedback *feedback = tap (f, EXPIRED_CARD);

  g_assert_false (feedback->granted);
  g_assert_cmpstr (feedback->title_zh, ==, "会员已过期");
  g_assert_cmpstr (feedback->name, ==, "王*国");
  g_assert_cmpuint (f->door_opened, ==, 0);
}

static void
test_passback (Fixture *f)
{
  const KioskFeedback *feedback;

  g_assert_true (tap (f, MEMBER_CARD)->granted);
  kiosk_clock_advance (f->clock, 30 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  feedback = tap (f, MEMBER_CARD);
  g_assert_false (feedback->granted);
  g_assert_cmpstr (feedback->title_zh, ==, "请勿重复刷卡");
  g_assert_true (has_label (GTK_WIDGET (f->window), "请勿重复刷卡"));
  g_assert_true (has_label (GTK_WIDGET (f->window), "Already entered"));
  g_assert_cmpuint (f->door_opened, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE kind = 'entry'"), ==, 2);
}

static void
test_any_screen_and_timeout (Fixture *f)
{
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "guide");
  g_assert_true (tap (f, RESIDENT_CARD)->granted);
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "guide");
  g_assert_true (has_label (GTK_WIDGET (f->window), "李*英"));

  kiosk_clock_advance (f->clock, (KIOSK_ENTRY_OVERLAY_SECONDS - 1) * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_nonnull (shown (f));
  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_null (shown (f));
  /* Gone by itself, and the visitor is where they were. */
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "guide");
  g_assert_false (has_label (GTK_WIDGET (f->window), "李*英"));

  /* A second card replaces the answer and starts its time again. */
  tap (f, UNKNOWN_CARD);
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  tap (f, MEMBER_CARD);
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_nonnull (shown (f));
  g_assert_true (shown (f)->granted);
}

static void
test_real_time_hides (Fixture *f)
{
  /* The real timer hides it too once the kiosk's clock has moved on. */
  tap (f, UNKNOWN_CARD);
  kiosk_clock_advance (f->clock, KIOSK_ENTRY_OVERLAY_SECONDS * G_USEC_PER_SEC);
  g_assert_null (shown (f));
}

static gboolean
take_booking_code (KioskApplication *app, const char *reader_id, KioskCardRead *read, guint *taken)
{
  if (read->kind != KIOSK_CARD_KIND_QR)
    return FALSE;
  (*taken)++;
  return TRUE;
}

static void
test_routing (Fixture *f)
{
  guint taken = 0;
  const KioskFeedback *feedback;
  gulong handler;

  /* A booking code nobody takes gets a hint towards the take-a-number screen. */
  feedback = tap (f, "LINLI:APPT:1234");
  g_assert_false (feedback->granted);
  g_assert_cmpstr (feedback->title_zh, ==, "此码不能开门");
  kiosk_entry_overlay_dismiss (kiosk_window_get_entry_overlay (f->window));

  /* The check-in takes QR codes: no answer here, no entry recorded... */
  handler = g_signal_connect (f->app, "card-read", G_CALLBACK (take_booking_code), &taken);
  kiosk_application_card_read (f->app, "LINLI:APPT:1234");
  g_assert_cmpuint (taken, ==, 1);
  g_assert_null (shown (f));
  /* ...and badges still reach the door. */
  g_assert_true (tap (f, MEMBER_CARD)->granted);
  g_assert_cmpuint (taken, ==, 1);
  g_signal_handler_disconnect (f->app, handler);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries"), ==, 1);

  /* A person typing on a keyboard-like reader gets no answer at all. */
  kiosk_entry_overlay_dismiss (kiosk_window_get_entry_overlay (f->window));
  {
    g_autoptr (KioskCardRead) slow = kiosk_card_read_new_rejected (KIOSK_CARD_REJECT_TOO_SLOW, "12", 0);
    g_autoptr (KioskCardRead) partial = kiosk_card_read_new_rejected (KIOSK_CARD_REJECT_TIMEOUT, "0012", 0);

    g_assert_false (kiosk_application_deliver_read (f->app, "test", slow));
    g_assert_null (shown (f));
    g_assert_true (kiosk_application_deliver_read (f->app, "test", partial));
    g_assert_cmpstr (shown (f)->title_zh, ==, "读卡失败，请重刷");
  }
}

static void
test_out_of_service (Fixture *f)
{
  KioskStore *store = kiosk_application_get_store (f->app);

  /* A full disk: nothing can be recorded, so nobody is let in. */
  kiosk_store_set_error (store, SQLITE_FULL, "test write", NULL);
  g_assert_cmpstr (tap (f, MEMBER_CARD)->title_zh, ==, "暂停服务");
  g_assert_cmpuint (f->door_opened, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries"), ==, 0);
}

static void
test_staff_panel (Fixture *f)
{
  KioskStaffPanel *panel = kiosk_window_get_staff_panel (f->window);
  GtkWidget *root = GTK_WIDGET (panel);

  tap (f, MEMBER_CARD);
  tap (f, UNKNOWN_CARD);
  kiosk_entry_overlay_dismiss (kiosk_window_get_entry_overlay (f->window));

  g_assert_false (gtk_widget_get_visible (root));
  kiosk_ui_test_open_staff_panel (GTK_WIDGET (f->window));
  g_assert_true (gtk_widget_get_visible (root));
  g_assert_true (has_label (root, "员工登录"));

  /* A wrong PIN is refused and says so. */
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), "1111");
  g_assert_false (kiosk_staff_panel_get_unlocked (panel));
  g_assert_true (has_label (root, "密码错误"));
  g_assert_false (has_label (root, "员工面板"));

  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_true (kiosk_staff_panel_get_unlocked (panel));
  g_assert_true (has_label (root, "员工面板"));
  /* Occupancy of the club, today's entries with masked names only. */
  g_assert_true (has_label (root, "1 / 40"));
  g_assert_true (has_label (root, "张*明"));
  g_assert_true (has_label (root, "卡未登记"));
  assert_no_card_number (f, MEMBER_CARD);
  assert_no_card_number (f, UNKNOWN_CARD);
  g_assert_true (has_label (root, "待上传到中心的记录"));
  g_assert_true (has_label (root, "2"));

  /* Manual admit: recorded with its reason, the door opens, the answer shows. */
  wait_door_shut (f);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.admit", "forgot-card");
  g_assert_cmpint (
      count (f, "SELECT count(*) FROM entries WHERE reason = 'manual' AND note = '忘带卡 / Forgot card'"), ==,
      1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE kind = 'entry'"), ==, 3);
  g_assert_cmpuint (f->door_opened, ==, 2);
  g_assert_true (shown (f)->granted);
  g_assert_cmpstr (shown (f)->title_zh, ==, "工作人员已放行");
  g_assert_true (has_label (root, "2 / 40"));
  g_assert_true (has_label (root, "已放行：忘带卡"));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.close", NULL);
  g_assert_false (gtk_widget_get_visible (root));
  g_assert_false (kiosk_staff_panel_get_unlocked (panel));
}

static void
test_staff_idle_and_lock (Fixture *f)
{
  KioskStaffPanel *panel = kiosk_window_get_staff_panel (f->window);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.staff", NULL);
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_true (kiosk_staff_panel_get_unlocked (panel));
  kiosk_clock_advance (f->clock, 59 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  /* Closed by itself, and locked again for the next person. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_false (kiosk_staff_panel_get_unlocked (panel));

  /* Five wrong PINs lock the pad, even against the right one. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.staff", NULL);
  for (guint i = 0; i < KIOSK_PIN_MAX_FAILURES; i++)
    kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), "0000");
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_false (kiosk_staff_panel_get_unlocked (panel));
  g_assert_true (has_label (GTK_WIDGET (panel), "密码错误次数过多，请 5 分钟后再试。"));
  for (guint i = 0; i < 6; i++)
    {
      kiosk_clock_advance (f->clock, 50 * G_USEC_PER_SEC);
      kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.erase",
                           NULL); /* staying at the pad keeps it open */
    }
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  g_assert_true (kiosk_staff_panel_get_unlocked (panel));
}

static void
test_sigterm_shuts_door (Fixture *f)
{
  KioskDoor *door = kiosk_gate_get_door (kiosk_application_get_gate (f->app));

  g_assert_true (tap (f, MEMBER_CARD)->granted);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_OPEN);
  f->door = g_object_ref (door);
  /* systemd stops the kiosk in the middle of a pulse: the application quits
   * through its shutdown, which switches the relay off (checked in run_case). */
  g_assert_cmpint (raise (SIGTERM), ==, 0);
  kiosk_ui_test_iterate ();
}

static void
test_demo_keyboard (Fixture *f)
{
  g_autofree char *key = g_build_filename (kiosk_application_get_state_dir (f->app), "card.key", NULL);
  static const guint typed[] = { GDK_KEY_0, GDK_KEY_0, GDK_KEY_1, GDK_KEY_2, GDK_KEY_3,     GDK_KEY_4,
                                 GDK_KEY_5, GDK_KEY_6, GDK_KEY_7, GDK_KEY_8, GDK_KEY_Return };
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  GtkEventController *keys = NULL;

  /* Demo mode made its own card key and imported the sample members. */
  g_assert_true (g_file_test (key, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (kiosk_credentials_get_count (kiosk_entry_get_credentials (
                       kiosk_gate_get_entry (kiosk_application_get_gate (f->app)))),
                   ==, 5);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (GTK_EVENT_CONTROLLER (item)), "demo-card-keys") == 0)
        keys = GTK_EVENT_CONTROLLER (item);
    }
  g_assert_nonnull (keys);
  for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (keys, "key-pressed", typed[i], 0, (GdkModifierType)0, &handled);
    }
  g_assert_nonnull (shown (f));
  g_assert_true (shown (f)->granted);
  g_assert_cmpstr (shown (f)->name, ==, "张*明");
  /* The demo PIN opens the staff panel. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.staff", NULL);
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), "1234");
  g_assert_true (kiosk_staff_panel_get_unlocked (kiosk_window_get_staff_panel (f->window)));
  g_assert_true (has_label (GTK_WIDGET (kiosk_window_get_staff_panel (f->window)), "演示模式：以键盘代替"));
}

/* ── Screenshots for the README (KIOSK_SCREENSHOT_DIR set) ──────────── */

static void
save (Fixture *f, const char *name)
{
  const char *dir = g_getenv ("KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  kiosk_ui_test_settle (GTK_WIDGET (f->window));
  kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error);
  g_assert_no_error (error);
  g_test_message ("wrote %s", path);
}

static void
test_screenshots (Fixture *f)
{
  if (g_getenv ("KIOSK_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("KIOSK_SCREENSHOT_DIR not set");
      return;
    }
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "fitness");
  tap (f, MEMBER_CARD);
  save (f, "fitness-granted-zh.png");
  tap (f, UNKNOWN_CARD);
  save (f, "fitness-denied-zh.png");
  kiosk_entry_overlay_dismiss (kiosk_window_get_entry_overlay (f->window));
  tap (f, RESIDENT_CARD);
  kiosk_entry_overlay_dismiss (kiosk_window_get_entry_overlay (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.staff", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.digit", "2");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.digit", "4");
  save (f, "staff-pin-zh.png");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.erase", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "staff.erase", NULL);
  kiosk_ui_test_staff_unlock (GTK_WIDGET (f->window), STAFF_PIN);
  save (f, "staff-panel-zh.png");
}

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

#define ADD_CASE(path, demo, fn)                                                                             \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { demo, fn };                                                                   \
      g_test_add ("/kiosk/ui/fitness/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);       \
    }                                                                                                        \
  while (0)
#define ADD(path, fn) ADD_CASE (path, FALSE, fn)
  ADD ("granted", test_granted);
  ADD ("hex-reader-same-member", test_hex_reader);
  ADD ("unknown", test_unknown);
  ADD ("expired", test_expired);
  ADD ("anti-passback", test_passback);
  ADD ("any-screen-then-gone", test_any_screen_and_timeout);
  ADD ("real-time-hides", test_real_time_hides);
  ADD ("routing", test_routing);
  ADD ("out-of-service", test_out_of_service);
  ADD ("staff-panel", test_staff_panel);
  ADD ("staff-idle-and-lock", test_staff_idle_and_lock);
  ADD ("sigterm-shuts-door", test_sigterm_shuts_door);
  ADD_CASE ("demo-keyboard", TRUE, test_demo_keyboard);
  ADD ("screenshots", test_screenshots);
#undef ADD
#undef ADD_CASE
  return g_test_run ();
}
