/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-network"

#include "kiosk-app-calls.h"

/* Shared by the main thread (bundle swaps) and the sync thread (pages). */
typedef struct
{
  GMutex lock;

  /* Owned */
  KioskQueue *queue;     /* the application's: its settings only, from the sync thread */
  KioskContent *content; /* main thread */
  gulong bundle_id;

  /* Guarded by lock */
  KioskBundle *bundle;

  /* Sync thread only */
  KioskQueue *sibling; /* over the sync's store */
} CallsContext;

static void
calls_context_free (gpointer data)
{
  CallsContext *ctx = data;

  /* From the sync's finalize: its thread has stopped. */
  g_clear_signal_handler (&ctx->bundle_id, ctx->content);
  g_clear_object (&ctx->sibling);
  g_clear_object (&ctx->bundle);
  g_clear_object (&ctx->content);
  g_clear_object (&ctx->queue);
  g_mutex_clear (&ctx->lock);
  g_free (ctx);
}

static void
on_bundle (KioskContent *content, GParamSpec *pspec, gpointer user_data)
{
  CallsContext *ctx = user_data;

  g_mutex_lock (&ctx->lock);
  g_set_object (&ctx->bundle, kiosk_content_get_bundle (content));
  g_mutex_unlock (&ctx->lock);
}

/* The sync thread, inside the transaction that stores the cursor. */
static gboolean
apply_calls (KioskStore *store, GPtrArray *calls, gpointer user_data, GError **error)
{
  CallsContext *ctx = user_data;
  g_autoptr (GPtrArray) skipped = g_ptr_array_new ();
  g_autoptr (KioskBundle) bundle = NULL;
  guint applied = 0;

  g_mutex_lock (&ctx->lock);
  bundle = g_object_ref (ctx->bundle);
  g_mutex_unlock (&ctx->lock);

  if (ctx->sibling == NULL || kiosk_queue_get_store (ctx->sibling) != store)
    {
      g_clear_object (&ctx->sibling);
      ctx->sibling = kiosk_queue_new_sibling (ctx->queue, store, bundle);
    }
  else
    kiosk_queue_set_bundle (ctx->sibling, bundle);

  if (!kiosk_queue_apply_hub_calls (ctx->sibling, calls, &applied, skipped, error))
    return FALSE;
  for (guint i = 0; i < skipped->len; i++)
    {
      const KioskSyncCall *call = g_ptr_array_index (skipped, i);
      g_message ("Counter action %" G_GINT64_FORMAT " (%s %s, ticket %s) skipped: %s", call->id,
                 call->action_name, call->label, call->uuid,
                 call->action == KIOSK_SYNC_CALL_UNKNOWN ? "an action this kiosk does not know"
                                                         : "a ticket this kiosk does not have");
    }
  g_debug ("Counter actions: %u in the page, %u applied to this kiosk's tickets", calls->len, applied);
  return TRUE;
}

static void
on_calls_applied (KioskQueue *queue)
{
  kiosk_queue_notify_changed (queue, NULL);
}

void
kiosk_app_calls_setup (KioskSync *sync, KioskQueue *queue, KioskContent *content)
{
  CallsContext *ctx;

  g_return_if_fail (KIOSK_IS_SYNC (sync));
  g_return_if_fail (KIOSK_IS_QUEUE (queue));
  g_return_if_fail (KIOSK_IS_CONTENT (content));

  ctx = g_new0 (CallsContext, 1);
  g_mutex_init (&ctx->lock);
  ctx->queue = g_object_ref (queue);
  ctx->content = g_object_ref (content);
  ctx->bundle = g_object_ref (kiosk_content_get_bundle (content));
  ctx->bundle_id = g_signal_connect (content, "notify::bundle", G_CALLBACK (on_bundle), ctx);
  kiosk_sync_set_calls_func (sync, apply_calls, ctx, calls_context_free);
  g_signal_connect_object (sync, "calls-applied", G_CALLBACK (on_calls_applied), queue, G_CONNECT_SWAPPED);
}
