/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bundle"

#include <string.h>

#include "kiosk-bundle-check-private.h"

/* The checks, in the order they are reported:
 *
 * errors    a category with no service (its tile opens an empty list); a
 *           service or the fitness room open on no day, or only for spans
 *           shorter than the cut-off (no ticket or entry could ever be had);
 *           two announcements with one id.
 * warnings  a queue no service uses; a set of hours nothing uses; a service
 *           open when its queue is not, a fitness group allowed in when the
 *           room is shut or never; an announcement that has ended; an
 *           announcement whose text names a time (18:30–20:30, 周二、周四,
 *           下午, in the evening …) when what it names (a service, queue,
 *           category, the club or a group, by name) is not open, or when
 *           nothing of the centre is open if it names nothing.
 *
 * Reading free text is a heuristic, and a centre may announce an event
 * outside its hours on purpose: hence warnings. */

static const char *const day_zh[] = { "", "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
static const char *const day_en[]
    = { "", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

void
kiosk_check_finding_free (KioskCheckFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->where);
  g_free (finding->text);
  g_free (finding);
}

char *
kiosk_check_finding_to_string (const KioskCheckFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return g_strdup_printf ("%s: %s: %s",
                          finding->level == KIOSK_CHECK_ERROR ? "错误 / error" : "警告 / warning",
                          finding->where, finding->text);
}

G_GNUC_PRINTF (4, 5)
static void
add (GPtrArray *out, KioskCheckLevel level, const char *where, const char *format, ...)
{
  KioskCheckFinding *finding = g_new0 (KioskCheckFinding, 1);
  va_list args;

  va_start (args, format);
  finding->level = level;
  finding->where = g_strdup (where);
  finding->text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (out, finding);
}

/* Opening hours as the week repeats them */

/* Minutes a week in which something can be had: each span less the cut-off. */
static int
usable_minutes (const KioskHours *hours)
{
  int total = 0;

  for (int day = 1; day <= 7; day++)
    {
      const GArray *spans = kiosk_hours_get_weekly (hours, day);

      for (guint i = 0; i < spans->len; i++)
        {
          const KioskSpan *s = &g_array_index (spans, KioskSpan, i);
          total += MAX (0, s->end - s->start - kiosk_hours_get_cutoff_minutes (hours));
        }
    }
  return total;
}

/* The first weekday on which @inner is open outside @outer, or 0. */
static int
open_outside (const KioskHours *inner, const KioskHours *outer)
{
  for (int day = 1; day <= 7; day++)
    {
      const GArray *spans = kiosk_hours_get_weekly (inner, day);

      for (guint i = 0; i < spans->len; i++)
        {
          const KioskSpan *s = &g_array_index (spans, KioskSpan, i);
          if (!kiosk_spans_within (kiosk_hours_get_weekly (outer, day), s->start, s->end))
            return day;
        }
    }
  return 0;
}

/* A finding for @claim against @subjects: the first that contradicts it (all
 * must agree), or with @any, only when every one does. */
static void
check_claim (const KioskClaim *c, GPtrArray *subjects, gboolean any, const char *where, const char *lang,
             GPtrArray *out)
{
  const KioskSubject *first = NULL;
  int first_day = 0;

  for (guint s = 0; s < subjects->len; s++)
    {
      const KioskSubject *subject = subjects->pdata[s];
      int day = kiosk_claim_contradicts (subject->hours, c);

      if (day == 0 && any)
        return;
      if (day != 0 && first == NULL)
        {
          first = subject;
          first_day = day;
          if (!any)
            break;
        }
    }
  if (first == NULL)
    return;
  if (first->label == NULL)
    add (out, KIOSK_CHECK_WARNING, where,
         "说 \"%s\"%s（%s），但中心此时不开放 / says \"%s\"%s%s (%s), but nothing of the centre is open then",
         c->said, first_day <= 7 ? day_zh[first_day] : "", lang, c->said, first_day <= 7 ? " on " : "",
         first_day <= 7 ? day_en[first_day] : "", lang);
  else
    add (out, KIOSK_CHECK_WARNING, where,
         "说 \"%s\"%s（%s），但%s 此时不开放 / says \"%s\"%s%s (%s), but %s is not open then (hours \"%s\")",
         c->said, first_day <= 7 ? day_zh[first_day] : "", lang, first->label, c->said,
         first_day <= 7 ? " on " : "", first_day <= 7 ? day_en[first_day] : "", lang, first->label,
         kiosk_hours_get_id (first->hours));
}

/* Sentences of @text: split at 。；;！!？? and line ends (not at commas, which
 * join days and times to what they are about). */
static char **
sentences (const char *text)
{
  g_autoptr (GString) s = g_string_new (text);
  static const char *const ends[] = { "。", "；", ";", "！", "!", "？", "?", ". " };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    g_string_replace (s, ends[i], "\n", 0);
  return g_strsplit (s->str, "\n", -1);
}

/* The times an announcement's text claims, against the hours of what the
 * same sentence names; a sentence naming nothing is about what the
 * announcement names elsewhere (any of it may be meant), and an announcement
 * naming nothing is about the centre (some part must be open). */
static void
check_announcement_text (KioskBundle *bundle, const KioskAnnouncement *a, const char *where, const char *lang,
                         GPtrArray *out)
{
  gboolean english = g_str_equal (lang, "en");
  g_autofree char *joined
      = g_strconcat (kiosk_text_get (&a->title, lang), "\n", kiosk_text_get (&a->body, lang), NULL);
  g_autofree char *lower = english ? g_utf8_strdown (joined, -1) : g_strdup (joined);
  g_auto (GStrv) parts = sentences (joined);
  g_autoptr (GPtrArray) everything = kiosk_subjects_named (bundle, lower, lang);
  g_autoptr (GPtrArray) centre = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names_of_hours = kiosk_bundle_get_hours_names (bundle);

  for (guint h = 0; h < names_of_hours->len; h++)
    {
      KioskSubject *s = g_new0 (KioskSubject, 1);

      s->label = NULL; /* the centre */
      s->hours = kiosk_bundle_find_hours (bundle, names_of_hours->pdata[h]);
      g_ptr_array_add (centre, s);
    }
  for (guint p = 0; parts[p] != NULL; p++)
    {
      g_autoptr (GPtrArray) claims = kiosk_claims_read (parts[p]);
      g_autofree char *part_lower = NULL;
      g_autoptr (GPtrArray) subjects = NULL;

      if (claims->len == 0)
        continue;
      part_lower = english ? g_utf8_strdown (parts[p], -1) : g_strdup (parts[p]);
      subjects = kiosk_subjects_named (bundle, part_lower, lang);
      for (guint i = 0; i < claims->len; i++)
        {
          const KioskClaim *c = claims->pdata[i];

          if (subjects->len > 0)
            check_claim (c, subjects, FALSE, where, lang, out);
          else if (everything->len > 0)
            check_claim (c, everything, TRUE, where, lang, out);
          else
            check_claim (c, centre, TRUE, where, lang, out);
        }
    }
}

static void
check_announcements (KioskBundle *bundle, GDateTime *now, GPtrArray *out)
{
  GPtrArray *announcements = kiosk_bundle_get_announcements (bundle);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < announcements->len; i++)
    {
      const KioskAnnouncement *a = announcements->pdata[i];
      g_autofree char *where = g_strdup_printf ("announcements[%u] (%s)", i, a->id);

      if (!g_hash_table_add (ids, a->id))
        add (out, KIOSK_CHECK_ERROR, where, "id 重复 / the id is used twice");
      if (a->valid_until != NULL && now != NULL && g_date_time_compare (a->valid_until, now) <= 0)
        add (out, KIOSK_CHECK_WARNING, where, "已过期，不会显示 / has ended and will not be shown");
      check_announcement_text (bundle, a, where, "zh", out);
      check_announcement_text (bundle, a, where, "en", out);
    }
}

GPtrArray *
kiosk_bundle_check_consistency (KioskBundle *bundle, GDateTime *now)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_check_finding_free);
  GPtrArray *categories, *queues, *services;
  const KioskFitnessRules *fitness;
  g_autoptr (GHashTable) used_hours = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) used_queues = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) hours_names = NULL;

  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  categories = kiosk_bundle_get_categories (bundle);
  queues = kiosk_bundle_get_queues (bundle);
  services = kiosk_bundle_get_services (bundle);
  fitness = kiosk_bundle_get_fitness (bundle);

  for (guint i = 0; i < categories->len; i++)
    {
      const KioskCategory *c = categories->pdata[i];
      g_autoptr (GPtrArray) in = kiosk_bundle_services_in (bundle, c);
      g_autofree char *where = g_strdup_printf ("categories[%u] (%s)", i, c->id);

      if (in->len == 0)
        add (out, KIOSK_CHECK_ERROR, where,
             "没有服务，点开是空的 / has no services: its tile opens an empty list");
    }

  for (guint i = 0; i < services->len; i++)
    {
      const KioskService *s = services->pdata[i];
      g_autofree char *where = g_strdup_printf ("services[%u] (%s)", i, s->id);
      int day;

      g_hash_table_add (used_queues, (gpointer)s->queue);
      g_hash_table_add (used_hours, (gpointer)s->hours);
      if (usable_minutes (s->hours) == 0)
        add (out, KIOSK_CHECK_ERROR, where,
             "一周中没有可取号的时间（开放时间 \"%s\"）/ is open on no day (hours \"%s\", less the cut-off): "
             "no "
             "ticket can ever be taken",
             kiosk_hours_get_id (s->hours), kiosk_hours_get_id (s->hours));
      else if (s->hours != s->queue->hours && (day = open_outside (s->hours, s->queue->hours)) != 0)
        add (out, KIOSK_CHECK_WARNING, where,
             "%s开放，但队列 \"%s\" 不开放 / is open on %s when its queue \"%s\" is not (hours \"%s\" and "
             "\"%s\")",
             day_zh[day], s->queue->id, day_en[day], s->queue->id, kiosk_hours_get_id (s->hours),
             kiosk_hours_get_id (s->queue->hours));
    }

  for (guint i = 0; i < queues->len; i++)
    {
      const KioskQueueDef *q = queues->pdata[i];
      g_autofree char *where = g_strdup_printf ("queues[%u] (%s)", i, q->id);

      g_hash_table_add (used_hours, (gpointer)q->hours);
      if (!g_hash_table_contains (used_queues, q))
        add (out, KIOSK_CHECK_WARNING, where, "没有服务使用此队列 / no service uses this queue");
    }

  if (fitness != NULL)
    {
      g_hash_table_add (used_hours, (gpointer)fitness->hours);
      if (usable_minutes (fitness->hours) == 0)
        add (out, KIOSK_CHECK_ERROR, "fitness",
             "健身室一周中都不开放 / the room is open on no day (hours \"%s\")",
             kiosk_hours_get_id (fitness->hours));
      for (guint i = 0; i < fitness->groups->len; i++)
        {
          const KioskFitnessGroup *g = fitness->groups->pdata[i];
          g_autofree char *where = g_strdup_printf ("fitness.groups[%u] (%s)", i, g->id);
          int day;

          g_hash_table_add (used_hours, (gpointer)g->hours);
          if (usable_minutes (g->hours) == 0)
            add (out, KIOSK_CHECK_WARNING, where, "永远不能入场 / may never enter (hours \"%s\")",
                 kiosk_hours_get_id (g->hours));
          else if ((day = open_outside (g->hours, fitness->hours)) != 0)
            add (out, KIOSK_CHECK_WARNING, where,
                 "%s可入场时健身室不开放 / may enter on %s when the room is shut (hours \"%s\" and \"%s\")",
                 day_zh[day], day_en[day], kiosk_hours_get_id (g->hours),
                 kiosk_hours_get_id (fitness->hours));
        }
    }

  hours_names = kiosk_bundle_get_hours_names (bundle);
  for (guint i = 0; i < hours_names->len; i++)
    if (!g_hash_table_contains (used_hours, kiosk_bundle_find_hours (bundle, hours_names->pdata[i])))
      {
        g_autofree char *where = g_strdup_printf ("hours.%s", (const char *)hours_names->pdata[i]);
        add (out, KIOSK_CHECK_WARNING, where, "没有地方使用这组开放时间 / nothing uses these hours");
      }

  check_announcements (bundle, now, out);
  return out;
}
