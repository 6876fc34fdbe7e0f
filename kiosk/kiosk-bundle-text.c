/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bundle"

#include <string.h>

#include "kiosk-bundle-check-private.h"

/* Reading an announcement's free text for kiosk-bundle-check.c: the times it
 * claims and the things it names. */

#define ALL_DAYS 0x7f

static const char *const day_en[]
    = { "", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

gboolean
kiosk_spans_within (const GArray *spans, int start, int end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const KioskSpan *s = &g_array_index (spans, KioskSpan, i);
      if (s->start <= start && end <= s->end)
        return TRUE;
    }
  return FALSE;
}

gboolean
kiosk_spans_overlap (const GArray *spans, int start, int end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const KioskSpan *s = &g_array_index (spans, KioskSpan, i);
      if (s->start < end && start < s->end)
        return TRUE;
    }
  return FALSE;
}

/* Claims read from an announcement */

static void
claim_free (KioskClaim *claim)
{
  g_free (claim->said);
  g_free (claim);
}

typedef struct
{
  const gunichar *u;
  glong n;
} Text;

/* Length of @literal at @i (case-insensitive for ASCII), or 0. */
static glong
match (const Text *t, glong i, const char *literal)
{
  glong k = 0;

  for (const char *p = literal; *p != '\0'; p = g_utf8_next_char (p), k++)
    if (i + k >= t->n || g_unichar_tolower (t->u[i + k]) != g_unichar_tolower (g_utf8_get_char (p)))
      return 0;
  return k;
}

static gboolean
is_letter_at (const Text *t, glong i)
{
  return i >= 0 && i < t->n && t->u[i] < 128 && g_ascii_isalpha ((char)t->u[i]);
}

/* An English word at @i: a literal not inside a longer word (a plural 's'
 * allowed). */
static glong
match_word (const Text *t, glong i, const char *word)
{
  glong k;

  if (is_letter_at (t, i - 1) || (k = match (t, i, word)) == 0)
    return 0;
  if (i + k < t->n && t->u[i + k] == 's')
    k++;
  return is_letter_at (t, i + k) ? 0 : k;
}

static glong
skip_spaces (const Text *t, glong i)
{
  while (i < t->n && g_unichar_isspace (t->u[i]))
    i++;
  return i;
}

/* "8:30" or "18：30" at @i: minutes, and the end past it; -1 if none. */
static int
parse_time (const Text *t, glong i, glong *end)
{
  int h = 0, m = 0;
  glong k = i;

  if (i > 0 && g_unichar_isdigit (t->u[i - 1]))
    return -1;
  while (k < t->n && k - i < 2 && t->u[k] < 128 && g_ascii_isdigit ((char)t->u[k]))
    h = h * 10 + (int)(t->u[k++] - '0');
  if (k == i || k >= t->n || (t->u[k] != ':' && t->u[k] != 0xff1a))
    return -1;
  k++;
  if (k + 2 > t->n || t->u[k] >= 128 || t->u[k + 1] >= 128 || !g_ascii_isdigit ((char)t->u[k])
      || !g_ascii_isdigit ((char)t->u[k + 1]))
    return -1;
  m = (int)(t->u[k] - '0') * 10 + (int)(t->u[k + 1] - '0');
  k += 2;
  if (h > 24 || m > 59 || (h == 24 && m > 0)
      || (k < t->n && t->u[k] < 128 && g_ascii_isdigit ((char)t->u[k])))
    return -1;
  *end = k;
  return h * 60 + m;
}

static glong
match_range_separator (const Text *t, glong i)
{
  static const char *const separators[] = { "-", "–", "—", "~", "～", "至", "到", "to", "through", "until" };

  for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      glong k = match (t, i, separators[s]);
      if (k > 0)
        return k;
    }
  return 0;
}

/* "18:30–20:30" at @i. */
static glong
parse_range (const Text *t, glong i, int *start, int *end)
{
  glong k, sep;

  if ((*start = parse_time (t, i, &k)) < 0)
    return 0;
  k = skip_spaces (t, k);
  if ((sep = match_range_separator (t, k)) == 0)
    return 0;
  k = skip_spaces (t, k + sep);
  if ((*end = parse_time (t, k, &k)) < 0 || *end <= *start)
    return 0;
  return k - i;
}

static int
zh_day (gunichar c)
{
  static const char days[] = "一二三四五六日";
  glong n = 0;
  gunichar *u = g_utf8_to_ucs4_fast (days, -1, &n);
  int day = 0;

  for (glong i = 0; i < n && day == 0; i++)
    if (u[i] == c)
      day = (int)i + 1;
  g_free (u);
  return day != 0 ? day : c == 0x5929 /* 天 */ ? 7 : 0;
}

static guint
day_span (int from, int to)
{
  guint mask = 0;

  for (int d = from;; d = d % 7 + 1)
    {
      mask |= 1u << (d - 1);
      if (d == to)
        break;
    }
  return mask;
}

/* A weekday prefix (周, 星期, 礼拜) at @i and its day. */
static glong
zh_prefixed_day (const Text *t, glong i, int *day)
{
  static const char *const prefixes[] = { "星期", "礼拜", "周" };

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    {
      glong k = match (t, i, prefixes[p]);
      if (k > 0 && i + k < t->n && (*day = zh_day (t->u[i + k])) != 0)
        return k + 1;
    }
  return 0;
}

/* Days named at @i: "周一、三、五", "周一至周五", "工作日", "每天" …; the
 * mask, and how much was read. */
static glong
parse_days_zh (const Text *t, glong i, guint *mask)
{
  static const struct
  {
    const char *word;
    guint mask;
  } words[] = { { "每天", ALL_DAYS }, { "每日", ALL_DAYS }, { "天天", ALL_DAYS },
                { "工作日", 0x1f },   { "双休日", 0x60 },   { "周末", 0x60 } };
  glong k;
  int day, last;

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    if ((k = match (t, i, words[w].word)) > 0)
      {
        *mask = words[w].mask;
        return k;
      }
  if ((k = zh_prefixed_day (t, i, &day)) == 0)
    return 0;
  *mask = 1u << (day - 1);
  last = day;
  for (;;)
    {
      glong sep = match_range_separator (t, i + k), more;
      int to;

      if (sep > 0 && (more = zh_prefixed_day (t, i + k + sep, &to)) > 0)
        ;
      else if (sep > 0 && i + k + sep < t->n && (to = zh_day (t->u[i + k + sep])) != 0)
        more = 1;
      else
        break;
      *mask |= day_span (last, to);
      last = to;
      k += sep + more;
    }
  /* "、三、五": more days without the prefix. */
  while (i + k + 1 < t->n && (t->u[i + k] == 0x3001 /* 、 */ || t->u[i + k] == 0xff0c /* ， */)
         && (day = zh_day (t->u[i + k + 1])) != 0)
    {
      *mask |= 1u << (day - 1);
      k += 2;
    }
  return k;
}

static glong
parse_days_en (const Text *t, glong i, guint *mask)
{
  static const struct
  {
    const char *word;
    guint mask;
  } words[] = { { "daily", ALL_DAYS }, { "every day", ALL_DAYS }, { "weekday", 0x1f }, { "weekend", 0x60 } };
  glong k;

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    if ((k = match_word (t, i, words[w].word)) > 0)
      {
        *mask = words[w].mask;
        return k;
      }
  for (int day = 1; day <= 7; day++)
    if ((k = match_word (t, i, day_en[day])) > 0)
      {
        glong j = skip_spaces (t, i + k), sep = match_range_separator (t, j);

        *mask = 1u << (day - 1);
        if (sep > 0)
          {
            j = skip_spaces (t, j + sep);
            for (int to = 1; to <= 7; to++)
              {
                glong more = match_word (t, j, day_en[to]);
                if (more > 0)
                  {
                    *mask = day_span (day, to);
                    return j + more - i;
                  }
              }
          }
        return k;
      }
  return 0;
}

static glong
parse_period (const Text *t, glong i, int *start, int *end)
{
  static const struct
  {
    const char *word;
    gboolean english;
    int start, end;
  } periods[] = {
    { "上午", FALSE, 0, 12 * 60 },           { "早上", FALSE, 0, 12 * 60 },
    { "下午", FALSE, 12 * 60, 18 * 60 },     { "晚上", FALSE, 18 * 60, 24 * 60 },
    { "夜间", FALSE, 18 * 60, 24 * 60 },     { "傍晚", FALSE, 18 * 60, 24 * 60 },
    { "晚间", FALSE, 18 * 60, 24 * 60 },     { "morning", TRUE, 0, 12 * 60 },
    { "afternoon", TRUE, 12 * 60, 18 * 60 }, { "evening", TRUE, 18 * 60, 24 * 60 },
    { "night", TRUE, 18 * 60, 24 * 60 },
  };

  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      glong k = periods[p].english ? match_word (t, i, periods[p].word) : match (t, i, periods[p].word);
      if (k > 0)
        {
          *start = periods[p].start;
          *end = periods[p].end;
          return k;
        }
    }
  return 0;
}

/* The claims of @text in order: days named apply to the times and periods
 * that follow them, until days are named again after a time. */
GPtrArray *
kiosk_claims_read (const char *text)
{
  GPtrArray *claims = g_ptr_array_new_with_free_func ((GDestroyNotify)claim_free);
  glong n = 0;
  g_autofree gunichar *u = g_utf8_to_ucs4_fast (text, -1, &n);
  Text t = { u, n };
  guint days = 0;
  gboolean after_claim = FALSE;

  for (glong i = 0; i < n;)
    {
      guint mask = 0;
      int start, end;
      glong k;
      gboolean period = FALSE;

      if ((k = parse_days_zh (&t, i, &mask)) > 0 || (k = parse_days_en (&t, i, &mask)) > 0)
        {
          days = after_claim ? mask : days | mask;
          after_claim = FALSE;
          i += k;
          continue;
        }
      if ((k = parse_range (&t, i, &start, &end)) == 0 && (k = parse_period (&t, i, &start, &end)) > 0)
        period = TRUE;
      if (k > 0)
        {
          KioskClaim *claim = g_new0 (KioskClaim, 1);

          claim->days = days;
          claim->start = start;
          claim->end = end;
          claim->period = period;
          claim->said = g_ucs4_to_utf8 (u + i, k, NULL, NULL, NULL);
          g_ptr_array_add (claims, claim);
          after_claim = TRUE;
          i += k;
          continue;
        }
      i++;
    }
  return claims;
}

char *
kiosk_check_describe_claims (const char *text)
{
  g_autoptr (GPtrArray) claims = kiosk_claims_read (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < claims->len; i++)
    {
      const KioskClaim *c = claims->pdata[i];

      if (c->days == 0)
        g_string_append_c (out, '*');
      for (int d = 1; d <= 7; d++)
        if (c->days & (1u << (d - 1)))
          g_string_append_c (out, (char)('0' + d));
      g_string_append_printf (out, " %02d:%02d-%02d:%02d\n", c->start / 60, c->start % 60, c->end / 60,
                              c->end % 60);
    }
  return g_string_free (out, FALSE);
}

/* The weekday on which @hours contradict @claim, 8 when no day fits a claim
 * of "some day", or 0 when they agree. */
int
kiosk_claim_contradicts (const KioskHours *hours, const KioskClaim *claim)
{
  for (int day = 1; day <= 7; day++)
    {
      const GArray *spans = kiosk_hours_get_weekly (hours, day);
      gboolean holds = claim->period ? kiosk_spans_overlap (spans, claim->start, claim->end)
                                     : kiosk_spans_within (spans, claim->start, claim->end);

      if (claim->days == 0 && holds)
        return 0;
      if ((claim->days & (1u << (day - 1))) && !holds)
        return day;
    }
  return claim->days == 0 ? 8 : 0;
}

/* What an announcement names */

static void
subject_free (KioskSubject *s)
{
  g_free (s->label);
  g_free (s);
}

static void
add_subject (GPtrArray *subjects, const char *name, const char *id, const KioskHours *hours)
{
  KioskSubject *s;

  for (guint i = 0; i < subjects->len; i++)
    if (((KioskSubject *)subjects->pdata[i])->hours == hours)
      return; /* one contradiction of the same hours is enough */
  s = g_new0 (KioskSubject, 1);
  s->label = id ? g_strdup_printf ("%s (%s)", name, id) : g_strdup (name);
  s->hours = hours;
  g_ptr_array_add (subjects, s);
}

/* The part of @text (lower case for English) that names @name, whole or
 * without a trailing word of action: "居住证申领" is named by "居住证",
 * "Residence permit application" by "residence permits"; NULL if none.
 * Transfer full. */
static char *
named_as (const char *text, const char *name, const char *lang)
{
  static const char *const zh_actions[]
      = { "申领", "申请", "办理", "签注", "登记", "开具", "咨询", "报名", "备案", "报销", "补办", "转移" };
  static const char *const en_actions[]
      = { " application", " renewal", " registration", " certificate", " enrolment",
          " sign-up",     " advice",  " claims",       " transfer",    " reimbursement" };
  gboolean english = g_str_equal (lang, "en");
  g_autofree char *lower = english ? g_utf8_strdown (name, -1) : g_strdup (name);
  const char *const *actions = english ? en_actions : zh_actions;
  guint n_actions = english ? G_N_ELEMENTS (en_actions) : G_N_ELEMENTS (zh_actions);

  if (strstr (text, lower) != NULL)
    return g_steal_pointer (&lower);
  for (guint i = 0; i < n_actions; i++)
    if (g_str_has_suffix (lower, actions[i]))
      {
        g_autofree char *stem = g_strndup (lower, strlen (lower) - strlen (actions[i]));
        /* Short stems ("求职", "Job") would name too much. */
        if (g_utf8_strlen (stem, -1) >= (english ? 8 : 3) && strstr (text, stem) != NULL)
          return g_steal_pointer (&stem);
      }
  return NULL;
}

/* Blanks every @needle in @text, so that a category or queue named only
 * inside a service's name ("居住" in "居住证申领") is not named. */
static void
blank (char *text, const char *needle)
{
  gsize n = strlen (needle);

  for (char *at = strstr (text, needle); at != NULL && n > 0; at = strstr (at + n, needle))
    memset (at, ' ', n);
}

static gboolean
names (const char *text, const char *name, const char *lang)
{
  g_autofree char *as = named_as (text, name, lang);
  return as != NULL;
}

GPtrArray *
kiosk_subjects_named (KioskBundle *bundle, const char *full_text, const char *lang)
{
  g_autofree char *text = g_strdup (full_text);
  GPtrArray *subjects = g_ptr_array_new_with_free_func ((GDestroyNotify)subject_free);
  GPtrArray *services = kiosk_bundle_get_services (bundle);
  GPtrArray *queues = kiosk_bundle_get_queues (bundle);
  GPtrArray *categories = kiosk_bundle_get_categories (bundle);
  const KioskFitnessRules *fitness = kiosk_bundle_get_fitness (bundle);
  static const char *const club_zh[] = { "健身", "俱乐部" };
  static const char *const club_en[] = { "club", "gym", "fitness" };

  for (guint i = 0; i < services->len; i++)
    {
      const KioskService *s = services->pdata[i];
      g_autofree char *as = named_as (full_text, kiosk_text_get (&s->name, lang), lang);

      if (as == NULL)
        continue;
      add_subject (subjects, kiosk_text_get (&s->name, lang), s->id, s->hours);
      blank (text, as);
    }
  for (guint i = 0; i < queues->len; i++)
    {
      const KioskQueueDef *q = queues->pdata[i];
      if (names (text, kiosk_text_get (&q->name, lang), lang))
        add_subject (subjects, kiosk_text_get (&q->name, lang), q->id, q->hours);
    }
  for (guint i = 0; i < categories->len; i++)
    {
      const KioskCategory *c = categories->pdata[i];
      g_autoptr (GPtrArray) in = NULL;

      if (!names (text, kiosk_text_get (&c->name, lang), lang))
        continue;
      in = kiosk_bundle_services_in (bundle, c);
      for (guint j = 0; j < in->len; j++)
        {
          const KioskService *s = in->pdata[j];
          add_subject (subjects, kiosk_text_get (&s->name, lang), s->id, s->hours);
        }
    }
  if (fitness != NULL)
    {
      gboolean club = names (text, kiosk_text_get (&fitness->name, lang), lang);
      const char *const *words = g_str_equal (lang, "en") ? club_en : club_zh;
      guint n_words = g_str_equal (lang, "en") ? G_N_ELEMENTS (club_en) : G_N_ELEMENTS (club_zh);

      for (guint i = 0; i < n_words && !club; i++)
        club = strstr (text, words[i]) != NULL;
      if (club)
        add_subject (subjects, kiosk_text_get (&fitness->name, lang), NULL, fitness->hours);
      for (guint i = 0; i < fitness->groups->len; i++)
        {
          const KioskFitnessGroup *g = fitness->groups->pdata[i];
          if (names (text, kiosk_text_get (&g->name, lang), lang))
            add_subject (subjects, kiosk_text_get (&g->name, lang), g->id, g->hours);
        }
    }
  return subjects;
}
