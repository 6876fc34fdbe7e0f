/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-lanes"

#include <string.h>

#include "kiosk-lanes.h"

static void
test_names (void)
{
  for (guint i = 0; i < KIOSK_N_LANES; i++)
    {
      KioskLane lane = KIOSK_N_LANES;

      g_assert_true (kiosk_lane_from_string (kiosk_lane_to_string (i), &lane));
      g_assert_cmpint (lane, ==, i);
      g_assert_nonnull (kiosk_lane_get_label (i, "zh"));
      g_assert_nonnull (kiosk_lane_get_label (i, "en"));
    }
  g_assert_false (kiosk_lane_from_string ("vip", &(KioskLane){ 0 }));
  g_assert_false (kiosk_lane_from_string (NULL, &(KioskLane){ 0 }));
  g_assert_false (kiosk_lane_is_priority (KIOSK_LANE_NORMAL));
  g_assert_true (kiosk_lane_is_priority (KIOSK_LANE_APPOINTMENT));
}

/* Lanes as letters: n normal, e elderly, p pregnant, d disabled, a appointment. */
static GArray *
parse_line (const char *line)
{
  GArray *waiting = g_array_new (FALSE, FALSE, sizeof (KioskWaiting));

  for (guint i = 0; line[i] != '\0'; i++)
    {
      KioskWaiting w = { KIOSK_LANE_NORMAL, i, NULL };

      switch (line[i])
        {
          case 'e':
            w.lane = KIOSK_LANE_ELDERLY;
            break;
          case 'p':
            w.lane = KIOSK_LANE_PREGNANT;
            break;
          case 'd':
            w.lane = KIOSK_LANE_DISABLED;
            break;
          case 'a':
            w.lane = KIOSK_LANE_APPOINTMENT;
            break;
          default:
            break;
        }
      g_array_append_val (waiting, w);
    }
  return waiting;
}

/* Drains @line with the interleave and returns the order of calls, as indexes. */
static char *
drain (const char *line, guint run, guint max_run)
{
  g_autoptr (GArray) waiting = parse_line (line);
  g_autoptr (GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *order = g_string_new (NULL);

  for (guint i = 0; i < waiting->len; i++)
    g_array_append_val (index, i);
  while (waiting->len > 0)
    {
      int pick = kiosk_lanes_pick ((KioskWaiting *)waiting->data, waiting->len, run, max_run);

      g_assert_cmpint (pick, >=, 0);
      g_string_append_c (order, line[g_array_index (index, guint, pick)]);
      run = kiosk_lanes_run_after (run, g_array_index (waiting, KioskWaiting, pick).lane);
      g_array_remove_index (waiting, pick);
      g_array_remove_index (index, pick);
    }
  return g_string_free (order, FALSE);
}

static void
test_pick_table (void)
{
  static const struct
  {
    const char *line;
    guint run;
    guint max_run;
    const char *order;
  } cases[] = {
    { "", 0, 2, "" },
    { "nnn", 0, 2, "nnn" },
    { "eee", 0, 2, "eee" },
    { "nnnepd", 0, 2, "epndnn" },     /* two priority, one normal, … */
    { "nnnepd", 2, 2, "nepndn" },     /* a run of two already: normal first */
    { "nnnepd", 1, 2, "enpdnn" },     /* one left in the run */
    { "nnnepd", 0, 1, "enpndn" },     /* K = 1: strict alternation */
    { "nnnepd", 0, 0, "nnnepd" },     /* K = 0: first come, first served */
    { "epdaeepd", 0, 2, "epdaeepd" }, /* no normal waiting: priority freely */
    { "neeeeeen", 0, 3, "eeeneeen" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *order = drain (cases[i].line, cases[i].run, cases[i].max_run);
      g_test_message ("%s run %u K %u", cases[i].line, cases[i].run, cases[i].max_run);
      g_assert_cmpstr (order, ==, cases[i].order);
    }
  g_assert_cmpint (kiosk_lanes_pick (NULL, 0, 0, 2), ==, -1);
}

static KioskLane
random_lane (GRand *rand)
{
  /* Mostly normal, as in a hall. */
  return g_rand_int_range (rand, 0, 10) < 6 ? KIOSK_LANE_NORMAL
                                            : (KioskLane)g_rand_int_range (rand, 1, KIOSK_N_LANES);
}

/* A day in a hall: tickets arrive at random, one call per tick, then the
 * line drains. Returns the call order (arrival numbers) and checks the
 * fairness bounds as it goes. */
static GArray *
simulate (guint32 seed, guint max_run, guint ticks)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GArray) waiting = g_array_new (FALSE, FALSE, sizeof (KioskWaiting));
  g_autoptr (GArray) bound = g_array_new (FALSE, FALSE, sizeof (guint)); /* per arrival: last call allowed */
  GArray *calls = g_array_new (FALSE, FALSE, sizeof (guint));
  guint arrived = 0, run = 0, priority_since_normal = 0;

  for (guint tick = 0; tick < ticks || waiting->len > 0; tick++)
    {
      guint arrivals = tick < ticks ? (guint)g_rand_int_range (rand, 0, 3) : 0;

      for (guint a = 0; a < arrivals; a++)
        {
          KioskWaiting w = { random_lane (rand), tick, GUINT_TO_POINTER (arrived) };
          guint normal_ahead = 0, limit;

          for (guint i = 0; i < waiting->len; i++)
            normal_ahead += !kiosk_lane_is_priority (g_array_index (waiting, KioskWaiting, i).lane);
          /* A normal ticket is called within (p + 1) × (K + 1) calls. */
          limit
              = kiosk_lane_is_priority (w.lane) ? G_MAXUINT : calls->len + (normal_ahead + 1) * (max_run + 1);
          g_array_append_val (bound, limit);
          g_array_append_val (waiting, w);
          arrived++;
        }

      if (waiting->len > 0)
        {
          int pick = kiosk_lanes_pick ((KioskWaiting *)waiting->data, waiting->len, run, max_run);
          KioskWaiting w = g_array_index (waiting, KioskWaiting, pick);
          guint id = GPOINTER_TO_UINT (w.data);
          gboolean normal_waits = FALSE;

          for (guint i = 0; i < waiting->len; i++)
            normal_waits |= !kiosk_lane_is_priority (g_array_index (waiting, KioskWaiting, i).lane);

          g_array_append_val (calls, id);
          g_assert_cmpuint (calls->len, <=, g_array_index (bound, guint, id));
          if (kiosk_lane_is_priority (w.lane))
            {
              /* At most K priority calls in a row while a normal ticket waits. */
              if (normal_waits)
                g_assert_cmpuint (++priority_since_normal, <=, max_run);
            }
          else
            priority_since_normal = 0;
          run = kiosk_lanes_run_after (run, w.lane);
          g_array_remove_index (waiting, pick);
        }
      else
        priority_since_normal = 0;
    }

  /* Every ticket called, once. */
  g_assert_cmpuint (calls->len, ==, arrived);
  {
    g_autofree gboolean *seen = g_new0 (gboolean, arrived);
    for (guint i = 0; i < calls->len; i++)
      {
        guint id = g_array_index (calls, guint, i);
        g_assert_false (seen[id]);
        seen[id] = TRUE;
      }
  }
  return calls;
}

static void
test_fairness_property (void)
{
  for (guint round = 0; round < 300; round++)
    {
      guint32 seed = (guint32)g_test_rand_int ();
      guint max_run = 1 + round % 3;
      g_autoptr (GArray) first = simulate (seed, max_run, 50 + round % 150);
      g_autoptr (GArray) again = simulate (seed, max_run, 50 + round % 150);

      /* Deterministic: the same arrivals give the same calls. */
      g_assert_cmpuint (first->len, ==, again->len);
      g_assert_cmpmem (first->data, first->len * sizeof (guint), again->data, again->len * sizeof (guint));
    }
}

/* The position printed on a slip is where the ticket is called if nobody
 * else arrives; the constant-time form agrees with the replay. */
static void
test_position_property (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32)g_test_rand_int ());

  for (guint round = 0; round < 500; round++)
    {
      guint n = (guint)g_rand_int_range (rand, 1, 40);
      guint max_run = (guint)g_rand_int_range (rand, 0, 4);
      guint run = (guint)g_rand_int_range (rand, 0, 5);
      g_autoptr (GArray) waiting = g_array_new (FALSE, FALSE, sizeof (KioskWaiting));
      g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
      guint normal = 0, priority = 0, r = run;

      for (guint i = 0; i < n; i++)
        {
          KioskWaiting w = { random_lane (rand), i, GUINT_TO_POINTER (i) };
          g_array_append_val (waiting, w);
        }

      /* Replay the calls on a copy. */
      {
        g_autoptr (GArray) line = g_array_copy (waiting);
        while (line->len > 0)
          {
            int pick = kiosk_lanes_pick ((KioskWaiting *)line->data, line->len, r, max_run);
            KioskWaiting w = g_array_index (line, KioskWaiting, pick);
            guint id = GPOINTER_TO_UINT (w.data);
            g_array_append_val (order, id);
            r = kiosk_lanes_run_after (r, w.lane);
            g_array_remove_index (line, pick);
          }
      }

      for (guint i = 0; i < n; i++)
        {
          guint called_at = 0;
          while (g_array_index (order, guint, called_at) != i)
            called_at++;
          g_assert_cmpuint (kiosk_lanes_position ((KioskWaiting *)waiting->data, n, i, run, max_run), ==,
                            called_at);
        }

      /* The newest ticket, from counts only. */
      for (guint i = 0; i + 1 < n; i++)
        {
          if (kiosk_lane_is_priority (g_array_index (waiting, KioskWaiting, i).lane))
            priority++;
          else
            normal++;
        }
      g_assert_cmpuint (kiosk_lanes_position_of_newest (normal, priority,
                                                        g_array_index (waiting, KioskWaiting, n - 1).lane,
                                                        run, max_run),
                        ==, kiosk_lanes_position ((KioskWaiting *)waiting->data, n, n - 1, run, max_run));
    }
}

/* "People ahead", the one definition (kiosk-lanes.h), from tables: lines as
 * letters in arrival order (n normal, p priority), the ticket asked about,
 * and the count with the default of two priority calls between normal ones. */
static void
test_people_ahead_table (void)
{
  static const struct
  {
    const char *line;
    guint index;
    guint ahead;
  } cases[] = {
    { "n", 0, 0 },
    { "nnnnn", 4, 4 },
    /* Priority tickets go first, two at a time between normal ones. */
    { "nnp", 2, 0 },
    { "nnpp", 3, 1 },
    { "nnppp", 4, 3 },   /* p p n p: the third waits for one normal call */
    { "nnppp", 1, 4 },   /* p p n p n */
    { "nnnpppp", 0, 2 }, /* p p n */
    { "pppp", 3, 3 },    /* only priority waits: its order */
    /* The slip of the issue path and the line agree: the newest is last. */
    { "npnnpn", 5, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = (guint)strlen (cases[i].line), normal = 0, priority = 0;
      g_autofree KioskWaiting *line = g_new0 (KioskWaiting, n);

      for (guint j = 0; j < n; j++)
        line[j] = (KioskWaiting){ cases[i].line[j] == 'p' ? KIOSK_LANE_ELDERLY : KIOSK_LANE_NORMAL, j, NULL };
      g_test_message ("case %u: %s [%u]", i, cases[i].line, cases[i].index);
      g_assert_cmpuint (
          kiosk_lanes_people_ahead (line, n, cases[i].index, KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN), ==,
          cases[i].ahead);
      if (cases[i].index != n - 1)
        continue;
      for (guint j = 0; j + 1 < n; j++)
        *(kiosk_lane_is_priority (line[j].lane) ? &priority : &normal) += 1;
      g_assert_cmpuint (kiosk_lanes_people_ahead_of_newest (normal, priority, line[n - 1].lane,
                                                            KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN),
                        ==, cases[i].ahead);
    }
}

/* Whatever run of priority calls some desk is in, the count is the same:
 * it does not depend on who asks. */
static void
test_people_ahead_ignores_run (void)
{
  const KioskWaiting line[] = {
    { KIOSK_LANE_NORMAL, 0, NULL },
    { KIOSK_LANE_NORMAL, 1, NULL },
    { KIOSK_LANE_ELDERLY, 2, NULL },
    { KIOSK_LANE_ELDERLY, 3, NULL },
  };

  /* From a run of two, a normal ticket would go first: position 0, not 2. */
  g_assert_cmpuint (kiosk_lanes_position (line, 4, 0, 2, 2), ==, 0);
  g_assert_cmpuint (kiosk_lanes_people_ahead (line, 4, 0, 2), ==, 2);
  g_assert_cmpuint (kiosk_lanes_people_ahead_of_newest (2, 1, KIOSK_LANE_ELDERLY, 2), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/lanes/names", test_names);
  g_test_add_func ("/kiosk/lanes/pick-table", test_pick_table);
  g_test_add_func ("/kiosk/lanes/fairness-property", test_fairness_property);
  g_test_add_func ("/kiosk/lanes/position-property", test_position_property);
  g_test_add_func ("/kiosk/lanes/people-ahead-table", test_people_ahead_table);
  g_test_add_func ("/kiosk/lanes/people-ahead-ignores-run", test_people_ahead_ignores_run);
  return g_test_run ();
}
