/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-hours.h"

G_BEGIN_DECLS

/* Everything a person reads comes in Chinese and English. */
typedef struct
{
  char *zh;
  char *en;
} KioskText;

/* @lang: "zh" or "en" (anything else: Chinese). */
const char *kiosk_text_get (const KioskText *text, const char *lang);

typedef struct
{
  char *id;
  KioskText name;
  char *icon; /* icon name in assets/icons, without extension */
} KioskCategory;

/* A numbering and waiting line: several services may share one. */
typedef struct
{
  char *id;
  char prefix; /* 'A'..'Z' */
  KioskText name;
  int first;     /* first number of a day, e.g. 1 */
  int last;      /* last number of the range, e.g. 999 */
  int daily_cap; /* tickets a day; 0: no cap but the range */
  int default_service_minutes;
  int counters;            /* desks that serve this queue */
  const KioskHours *hours; /* borrowed from the bundle */
} KioskQueueDef;

typedef struct
{
  char *id;
  const KioskCategory *category; /* borrowed */
  KioskText name;
  KioskText description;
  GPtrArray *documents;       /* KioskText*: what to bring */
  const KioskQueueDef *queue; /* borrowed */
  const KioskHours *hours;    /* borrowed; the queue's when not given */
  int daily_cap;              /* 0: the queue's cap only */
  gboolean priority_lanes;    /* elderly, pregnant, disabled, appointment */
  char *icon;
} KioskService;

typedef struct
{
  char *id;
  KioskText name;
  const KioskHours *hours;
} KioskFitnessGroup;

/* The fitness club: who may enter, when, and how many at once. */
typedef struct
{
  KioskText name;
  const KioskHours *hours; /* the room's hours */
  int capacity;
  int anti_passback_minutes; /* the same card again within this is refused */
  int stay_hours;            /* an entry without exit counts as inside this long */
  GPtrArray *groups;         /* KioskFitnessGroup* */
  KioskText rules;           /* house rules shown on screen */
} KioskFitnessRules;

typedef struct
{
  char *id;
  KioskText title;
  KioskText body;
  char *image;            /* absolute path inside the bundle, or NULL */
  GDateTime *valid_from;  /* NULL: always */
  GDateTime *valid_until; /* NULL: never ends */
} KioskAnnouncement;

#define KIOSK_TYPE_BUNDLE (kiosk_bundle_get_type ())
G_DECLARE_FINAL_TYPE (KioskBundle, kiosk_bundle, KIOSK, BUNDLE, GObject)

/* Loads and validates @dir/manifest.json. Every error names the bad item,
 * e.g. "services[4] (residence-permit): queue \"Z\" does not exist".
 * A loaded bundle never changes; swap it for another to change content. */
KioskBundle *kiosk_bundle_load (const char *dir, GError **error);

const char *kiosk_bundle_get_dir (KioskBundle *self);
gint64 kiosk_bundle_get_release (KioskBundle *self);
const KioskText *kiosk_bundle_get_centre_name (KioskBundle *self);

/* Borrowed arrays in manifest order. */
GPtrArray *kiosk_bundle_get_categories (KioskBundle *self);            /* KioskCategory* */
GPtrArray *kiosk_bundle_get_queues (KioskBundle *self);                /* KioskQueueDef* */
GPtrArray *kiosk_bundle_get_services (KioskBundle *self);              /* KioskService* */
GPtrArray *kiosk_bundle_get_announcements (KioskBundle *self);         /* KioskAnnouncement* */
const KioskFitnessRules *kiosk_bundle_get_fitness (KioskBundle *self); /* NULL if none */

const KioskCategory *kiosk_bundle_find_category (KioskBundle *self, const char *id);
const KioskQueueDef *kiosk_bundle_find_queue (KioskBundle *self, const char *id);
const KioskService *kiosk_bundle_find_service (KioskBundle *self, const char *id);
const KioskHours *kiosk_bundle_find_hours (KioskBundle *self, const char *id);
/* Names of the sets of opening hours, sorted; transfer container. */
GPtrArray *kiosk_bundle_get_hours_names (KioskBundle *self);
/* Services of one category, in manifest order; transfer container. */
GPtrArray *kiosk_bundle_services_in (KioskBundle *self, const KioskCategory *category);
/* Announcements valid at @now; transfer container. */
GPtrArray *kiosk_bundle_active_announcements (KioskBundle *self, GDateTime *now);

G_END_DECLS
