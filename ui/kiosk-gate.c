/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-gate"

#include <sodium.h>

#include "kiosk-badge-rules.h"
#include "kiosk-card.h"
#include "kiosk-devices.h"
#include "kiosk-error.h"
#include "kiosk-gate.h"

/* Stays run out and days end without a read: look again this often. */
#define REFRESH_SECONDS 60

struct _KioskGate
{
  GObject parent_instance;

  /* Owned */
  KioskConfig *config;
  KioskStore *store;
  KioskContent *content;
  KioskDoor *door;
  KioskReaderManager *readers;
  KioskCredentials *credentials;
  KioskEntry *entry;
  guint refresh_source;
  gulong bundle_handler;
};

G_DEFINE_FINAL_TYPE (KioskGate, kiosk_gate, G_TYPE_OBJECT)

enum
{
  SIGNAL_READ,
  SIGNAL_DECIDED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
kiosk_gate_dispose (GObject *object)
{
  KioskGate *self = KIOSK_GATE (object);

  kiosk_gate_shut (self);
  if (self->content != NULL)
    g_clear_signal_handler (&self->bundle_handler, self->content);
  g_clear_object (&self->entry);
  g_clear_object (&self->credentials);
  g_clear_object (&self->content);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (kiosk_gate_parent_class)->dispose (object);
}

static void
kiosk_gate_class_init (KioskGateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_gate_dispose;

  signals[SIGNAL_READ] = g_signal_new ("read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 2, G_TYPE_STRING, KIOSK_TYPE_CARD_READ);
  signals[SIGNAL_DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 1, KIOSK_TYPE_ENTRY_DECISION);
}

static void
kiosk_gate_init (KioskGate *self)
{
}

KioskGate *
kiosk_gate_new (KioskConfig *config, KioskStore *store, KioskContent *content)
{
  KioskGate *self;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (KIOSK_IS_CONTENT (content), NULL);

  self = g_object_new (KIOSK_TYPE_GATE, NULL);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  self->content = g_object_ref (content);
  return self;
}

gboolean
kiosk_gate_open_door (KioskGate *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_GATE (self), FALSE);

  g_clear_object (&self->door);
  return kiosk_door_new_from_config (self->config, &self->door, error);
}

static void
on_reader_read (KioskReaderManager *readers, const char *reader_id, KioskCardRead *read, KioskGate *self)
{
  g_signal_emit (self, signals[SIGNAL_READ], 0, reader_id, read);
}

gboolean
kiosk_gate_start_readers (KioskGate *self, GError **error)
{
  g_autoptr (KioskReaderManager) readers = NULL;

  g_return_val_if_fail (KIOSK_IS_GATE (self), FALSE);
  g_return_val_if_fail (self->readers == NULL, FALSE);

  readers = kiosk_reader_manager_new_from_config (self->config, kiosk_store_get_clock (self->store), error);
  if (readers == NULL)
    return FALSE;
  g_signal_connect (readers, "read", G_CALLBACK (on_reader_read), self);
  if (!kiosk_reader_manager_start (readers, error))
    return FALSE;
  self->readers = g_steal_pointer (&readers);
  return TRUE;
}

static void
on_bundle_changed (KioskGate *self)
{
  g_autoptr (GError) error = NULL;
  KioskBundle *bundle = kiosk_content_get_bundle (self->content);

  /* A release without a club keeps the rules of the last one that had it. */
  if (self->entry != NULL && bundle != NULL && !kiosk_entry_set_bundle (self->entry, bundle, &error))
    g_message ("新内容没有健身俱乐部，沿用原规则 / New content has no fitness club; keeping the rules: %s",
               error->message);
}

static gboolean
refresh_cb (gpointer user_data)
{
  KioskGate *self = user_data;

  /* A failure shows as KioskStore:healthy; the next minute tries again. */
  kiosk_entry_refresh (self->entry, NULL);
  return G_SOURCE_CONTINUE;
}

gboolean
kiosk_gate_open_club (KioskGate *self, gboolean create_key, GError **error)
{
  const char *key_file = kiosk_config_get_string (self->config, "fitness", "card_key_file");
  guint8 key[KIOSK_CARD_KEY_BYTES];
  g_autoptr (KioskBadgeRules) rules = NULL;
  g_autoptr (KioskCredentials) credentials = NULL;
  KioskBundle *bundle;
  gboolean loaded;

  g_return_val_if_fail (KIOSK_IS_GATE (self), FALSE);
  g_return_val_if_fail (self->entry == NULL, FALSE);

  bundle = kiosk_content_get_bundle (self->content);
  if (bundle == NULL || kiosk_bundle_get_fitness (bundle) == NULL)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                           "内容中没有健身俱乐部 / The content has no fitness club");
      return FALSE;
    }
  loaded = create_key ? kiosk_card_key_load_or_create (key_file, key, error)
                      : kiosk_card_key_load (key_file, key, error);
  if (!loaded)
    return FALSE;
  rules = kiosk_badge_rules_new_from_config (self->config, error);
  if (rules == NULL)
    return FALSE;
  credentials = kiosk_credentials_new (self->store, key);
  sodium_memzero (key, sizeof key);
  self->entry = kiosk_entry_new (credentials, bundle, g_steal_pointer (&rules), error);
  if (self->entry == NULL)
    return FALSE;
  self->credentials = g_steal_pointer (&credentials);
  self->bundle_handler
      = g_signal_connect_swapped (self->content, "notify::bundle", G_CALLBACK (on_bundle_changed), self);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
  return TRUE;
}

gboolean
kiosk_gate_import_members (KioskGate *self, const char *path, GPtrArray *problems, gboolean *imported,
                           GError **error)
{
  const KioskFitnessRules *club;
  g_autoptr (GPtrArray) groups = g_ptr_array_new ();

  g_return_val_if_fail (KIOSK_IS_GATE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->entry == NULL)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                           "健身俱乐部未开通 / The fitness club is not open on this kiosk");
      return FALSE;
    }
  club = kiosk_entry_get_rules (self->entry);
  for (guint i = 0; club->groups != NULL && i < club->groups->len; i++)
    g_ptr_array_add (groups, ((KioskFitnessGroup *)g_ptr_array_index (club->groups, i))->id);
  g_ptr_array_add (groups, NULL);
  return kiosk_credentials_import_if_changed (self->credentials, path, (const char *const *)groups->pdata,
                                              problems, imported, error);
}

void
kiosk_gate_shut (KioskGate *self)
{
  g_return_if_fail (KIOSK_IS_GATE (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->readers != NULL)
    g_signal_handlers_disconnect_by_func (self->readers, on_reader_read, self);
  g_clear_object (&self->readers);
  /* The relay never stays on: off now, whatever a pulse was doing. */
  if (self->door != NULL)
    kiosk_door_switch_off (self->door, NULL);
  g_clear_object (&self->door);
}

KioskEntry *
kiosk_gate_get_entry (KioskGate *self)
{
  g_return_val_if_fail (KIOSK_IS_GATE (self), NULL);
  return self->entry;
}

KioskDoor *
kiosk_gate_get_door (KioskGate *self)
{
  g_return_val_if_fail (KIOSK_IS_GATE (self), NULL);
  return self->door;
}

KioskReaderManager *
kiosk_gate_get_readers (KioskGate *self)
{
  g_return_val_if_fail (KIOSK_IS_GATE (self), NULL);
  return self->readers;
}

/* The decision stands whatever the relay does; a relay fault is the
 * technician's problem and shows in the door's state. */
static KioskEntryDecision *
open_for (KioskGate *self, KioskEntryDecision *decision)
{
  g_autoptr (GError) error = NULL;

  if (decision->granted && self->door != NULL
      && !kiosk_door_pulse (self->door, (guint)kiosk_config_get_int (self->config, "door", "pulse_ms"),
                            &error))
    g_message ("门禁继电器故障 / Door relay failed: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_DECIDED], 0, decision);
  return decision;
}

static gboolean
check_club (KioskGate *self, GError **error)
{
  if (self->entry != NULL)
    return TRUE;
  g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                       "健身俱乐部未开通 / The fitness club is not open on this kiosk");
  return FALSE;
}

KioskEntryDecision *
kiosk_gate_decide (KioskGate *self, const char *card, GError **error)
{
  KioskEntryDecision *decision;

  g_return_val_if_fail (KIOSK_IS_GATE (self), NULL);
  g_return_val_if_fail (card != NULL, NULL);

  if (!check_club (self, error))
    return NULL;
  decision = kiosk_entry_decide (self->entry, card, error);
  return decision != NULL ? open_for (self, decision) : NULL;
}

KioskEntryDecision *
kiosk_gate_admit_manual (KioskGate *self, const char *note, GError **error)
{
  KioskEntryDecision *decision;

  g_return_val_if_fail (KIOSK_IS_GATE (self), NULL);

  if (!check_club (self, error))
    return NULL;
  decision = kiosk_entry_admit_manual (self->entry, NULL, note, error);
  return decision != NULL ? open_for (self, decision) : NULL;
}
