/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-lanes"

#include "kiosk-lanes.h"

typedef struct
{
  const char *name;
  const char *zh;
  const char *en;
} LaneInfo;

static const LaneInfo lanes[KIOSK_N_LANES] = {
  [KIOSK_LANE_NORMAL] = { "normal", "普通", "Regular" },
  [KIOSK_LANE_ELDERLY] = { "elderly", "老年人优先", "Senior" },
  [KIOSK_LANE_PREGNANT] = { "pregnant", "孕妇优先", "Pregnant" },
  [KIOSK_LANE_DISABLED] = { "disabled", "残疾人优先", "Disability" },
  [KIOSK_LANE_APPOINTMENT] = { "appointment", "预约", "Appointment" },
};

const char *
kiosk_lane_to_string (KioskLane lane)
{
  g_return_val_if_fail (lane < KIOSK_N_LANES, NULL);
  return lanes[lane].name;
}

gboolean
kiosk_lane_from_string (const char *name, KioskLane *lane)
{
  for (guint i = 0; i < KIOSK_N_LANES; i++)
    if (g_strcmp0 (name, lanes[i].name) == 0)
      {
        *lane = (KioskLane)i;
        return TRUE;
      }
  return FALSE;
}

const char *
kiosk_lane_get_label (KioskLane lane, const char *lang)
{
  g_return_val_if_fail (lane < KIOSK_N_LANES, NULL);
  return g_strcmp0 (lang, "en") == 0 ? lanes[lane].en : lanes[lane].zh;
}

gboolean
kiosk_lane_is_priority (KioskLane lane)
{
  return lane != KIOSK_LANE_NORMAL;
}

guint
kiosk_lanes_run_after (guint priority_run, KioskLane called)
{
  return kiosk_lane_is_priority (called) ? priority_run + 1 : 0;
}

/* The first ticket at or after @from that is (or is not) priority; @n when none. */
static guint
next_of_kind (const KioskWaiting *waiting, guint n, guint from, gboolean priority)
{
  while (from < n && kiosk_lane_is_priority (waiting[from].lane) != priority)
    from++;
  return from;
}

static gboolean
priority_goes_first (gboolean have_normal, gboolean have_priority, guint priority_run, guint max_priority_run)
{
  if (!have_priority)
    return FALSE;
  if (!have_normal)
    return TRUE;
  return priority_run < max_priority_run;
}

int
kiosk_lanes_pick (const KioskWaiting *waiting, guint n_waiting, guint priority_run, guint max_priority_run)
{
  guint normal, priority;

  g_return_val_if_fail (waiting != NULL || n_waiting == 0, -1);

  if (n_waiting == 0)
    return -1;
  /* No priority at all: the oldest ticket, whatever its lane. */
  if (max_priority_run == 0)
    return 0;

  normal = next_of_kind (waiting, n_waiting, 0, FALSE);
  priority = next_of_kind (waiting, n_waiting, 0, TRUE);
  if (priority_goes_first (normal < n_waiting, priority < n_waiting, priority_run, max_priority_run))
    return (int)priority;
  return (int)normal;
}

guint
kiosk_lanes_position (const KioskWaiting *waiting, guint n_waiting, guint index, guint priority_run,
                      guint max_priority_run)
{
  gboolean target_priority;
  guint normal, priority, calls = 0;

  g_return_val_if_fail (index < n_waiting, 0);

  if (max_priority_run == 0)
    return index;

  /* Each call takes the oldest of one kind, so two cursors replay the picks
   * in one pass instead of calling kiosk_lanes_pick() n times. */
  target_priority = kiosk_lane_is_priority (waiting[index].lane);
  normal = next_of_kind (waiting, n_waiting, 0, FALSE);
  priority = next_of_kind (waiting, n_waiting, 0, TRUE);
  for (;;)
    {
      gboolean take_priority
          = priority_goes_first (normal < n_waiting, priority < n_waiting, priority_run, max_priority_run);
      guint taken = take_priority ? priority : normal;

      if (taken == index)
        return calls;
      calls++;
      if (take_priority)
        {
          priority = next_of_kind (waiting, n_waiting, priority + 1, TRUE);
          priority_run++;
        }
      else
        {
          normal = next_of_kind (waiting, n_waiting, normal + 1, FALSE);
          priority_run = 0;
        }
      /* The target is always still waiting, so one cursor always points somewhere. */
      g_assert (target_priority ? priority < n_waiting : normal < n_waiting);
    }
}

guint
kiosk_lanes_position_of_newest (guint normal_waiting, guint priority_waiting, KioskLane lane,
                                guint priority_run, guint max_priority_run)
{
  guint first_block, before;

  if (max_priority_run == 0)
    return normal_waiting + priority_waiting;

  /* Priority tickets may go first in a block of what is left of the current
   * run, then K after each normal call. */
  first_block = priority_run < max_priority_run ? max_priority_run - priority_run : 0;

  if (!kiosk_lane_is_priority (lane))
    {
      /* Every normal ahead goes, with at most first_block + N × K priority
       * calls around them. */
      guint64 room = first_block + (guint64)normal_waiting * max_priority_run;
      return normal_waiting + (guint)MIN ((guint64)priority_waiting, room);
    }

  /* Every priority ahead goes; a normal call follows each completed block. */
  if (first_block == 0)
    before = 1 + priority_waiting / max_priority_run;
  else if (priority_waiting >= first_block)
    before = 1 + (priority_waiting - first_block) / max_priority_run;
  else
    before = 0;
  return priority_waiting + MIN (before, normal_waiting);
}

guint
kiosk_lanes_people_ahead (const KioskWaiting *waiting, guint n_waiting, guint index, guint max_priority_run)
{
  g_return_val_if_fail (index < n_waiting, 0);
  return kiosk_lanes_position (waiting, n_waiting, index, 0, max_priority_run);
}

guint
kiosk_lanes_people_ahead_of_newest (guint normal_waiting, guint priority_waiting, KioskLane lane,
                                    guint max_priority_run)
{
  return kiosk_lanes_position_of_newest (normal_waiting, priority_waiting, lane, 0, max_priority_run);
}
