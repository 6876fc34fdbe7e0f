/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-door"

#include "kiosk-door.h"
#include "kiosk-error.h"

#include <string.h>

/* The log backend's lines are the relay's observable behaviour: collect them. */
typedef struct
{
  GPtrArray *lines;
  GPtrArray *states;
  guint handler;
} Fixture;

static void
log_cb (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->lines, g_strdup (g_str_has_prefix (message, "开门继电器接通") ? "on" : "off"));
}

static void
state_cb (KioskDoor *door, GParamSpec *pspec, Fixture *fixture)
{
  GEnumClass *klass = g_type_class_ref (KIOSK_TYPE_DOOR_STATE);

  g_ptr_array_add (fixture->states,
                   g_strdup (g_enum_get_value (klass, kiosk_door_get_state (door))->value_nick));
  g_type_class_unref (klass);
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  fixture->lines = g_ptr_array_new_with_free_func (g_free);
  fixture->states = g_ptr_array_new_with_free_func (g_free);
  fixture->handler = g_log_set_handler ("kiosk-door", G_LOG_LEVEL_INFO, log_cb, fixture);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_log_remove_handler ("kiosk-door", fixture->handler);
  g_ptr_array_unref (fixture->lines);
  g_ptr_array_unref (fixture->states);
}

static char *
joined (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  char *s = g_strjoinv (",", (char **)array->pdata);
  g_ptr_array_remove_index (array, array->len - 1);
  return s;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_pulse_ends_by_itself (Fixture *fixture, gconstpointer data)
{
  KioskDoor *door = kiosk_door_new_log ();
  g_autoptr (GError) error = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *states = NULL;
  gint64 start = g_get_monotonic_time ();

  g_signal_connect (door, "notify::state", G_CALLBACK (state_cb), fixture);
  g_assert_true (kiosk_door_pulse (door, 50, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_OPEN);

  while (kiosk_door_get_state (door) != KIOSK_DOOR_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * G_TIME_SPAN_MILLISECOND);

  lines = joined (fixture->lines);
  states = joined (fixture->states);
  g_assert_cmpstr (lines, ==, "on,off");
  g_assert_cmpstr (states, ==, "open,closed");
  g_assert_finalize_object (door);
}

static void
test_pulse_extends (Fixture *fixture, gconstpointer data)
{
  KioskDoor *door = kiosk_door_new_log ();
  g_autofree char *lines = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (kiosk_door_pulse (door, 300, NULL));
  /* A second badge while the door is open keeps it open 600 ms from now;
   * the first pulse's end at 300 ms passes without closing it. */
  g_assert_true (kiosk_door_pulse (door, 600, NULL));
  run_for (400);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_OPEN);
  while (kiosk_door_get_state (door) != KIOSK_DOOR_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 600 * G_TIME_SPAN_MILLISECOND);
  /* A shorter pulse never shortens a longer one. */
  g_assert_true (kiosk_door_pulse (door, 300, NULL));
  g_assert_true (kiosk_door_pulse (door, 1, NULL));
  run_for (100);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_OPEN);
  g_assert_true (kiosk_door_switch_off (door, NULL));
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_CLOSED);

  lines = joined (fixture->lines);
  g_assert_cmpstr (lines, ==, "on,on,off,on,on,off");
  g_assert_finalize_object (door);
}

static void
test_dispose_during_pulse (Fixture *fixture, gconstpointer data)
{
  KioskDoor *door = kiosk_door_new_log ();
  g_autofree char *lines = NULL;

  g_assert_true (kiosk_door_pulse (door, 5000, NULL));
  g_assert_finalize_object (door);
  lines = joined (fixture->lines);
  g_assert_cmpstr (lines, ==, "on,off");

  /* And the timer died with it: nothing fires later. */
  run_for (20);
  g_assert_cmpuint (fixture->lines->len, ==, 2);
}

static void
test_bad_pulse (Fixture *fixture, gconstpointer data)
{
  KioskDoor *door = kiosk_door_new_log ();
  g_autoptr (GError) error = NULL;

  g_assert_false (kiosk_door_pulse (door, 0, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kiosk_door_pulse (door, KIOSK_DOOR_MAX_PULSE_MS + 1, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_CLOSED);
  g_assert_cmpuint (fixture->lines->len, ==, 0);
  g_assert_finalize_object (door);
}

static void
test_gpio_missing_chip (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskDoor *door;

  door = kiosk_door_new_gpio ("/dev/gpiochip-linli-missing", 3, FALSE, &error);
  g_assert_null (door);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gpiochip-linli-missing"));
  g_clear_error (&error);

  /* A file that is not a GPIO chip: the line request ioctl fails cleanly. */
  door = kiosk_door_new_gpio ("/dev/null", 3, TRUE, &error);
  g_assert_null (door);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/door/pulse-ends-by-itself", Fixture, NULL, fixture_setup, test_pulse_ends_by_itself,
              fixture_teardown);
  g_test_add ("/kiosk/door/pulse-extends", Fixture, NULL, fixture_setup, test_pulse_extends,
              fixture_teardown);
  g_test_add ("/kiosk/door/dispose-during-pulse", Fixture, NULL, fixture_setup, test_dispose_during_pulse,
              fixture_teardown);
  g_test_add ("/kiosk/door/bad-pulse", Fixture, NULL, fixture_setup, test_bad_pulse, fixture_teardown);
  g_test_add ("/kiosk/door/gpio-missing-chip", Fixture, NULL, fixture_setup, test_gpio_missing_chip,
              fixture_teardown);
  return g_test_run ();
}
