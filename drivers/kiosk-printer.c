/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-printer-private.h"

struct _KioskPrinter
{
  GObject parent_instance;

  /* Owned, fixed at construction */
  KioskPrinterConfig config;

  /* Owned, main thread only */
  KioskPrinterStatus status;
  char *last_error;
  KioskBitmap *last_slip;
  KioskStore *store;
  KioskEscposOptions options;
  guint poll_interval_ms;
  guint timeout_ms;
  guint folder_keep;
  gboolean query_status;
  guint poll_source;
  guint jobs_in_flight;

  /* Owned, job threads only, under io_lock */
  GMutex io_lock;
  KioskPrinterLink link;
};

G_DEFINE_FINAL_TYPE (KioskPrinter, kiosk_printer, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_LAST_ERROR,
  PROP_POLL_INTERVAL,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One job for a thread: what to send, copied settings, and what came back. */
typedef struct
{
  GPtrArray *parts; /* GBytes; NULL: only ask the status */
  KioskBitmap *slip;
  guint timeout_ms;
  guint folder_keep;
  gboolean query_status;
  KioskPrinterStatus status;
  gboolean refused; /* the printer said no (paper, cover): the connection is fine */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->parts, g_ptr_array_unref);
  g_clear_pointer (&job->slip, kiosk_bitmap_free);
  g_free (job);
}

static void
report_status (KioskPrinter *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *names = kiosk_printer_status_to_string (self->status);
  g_autofree char *text = kiosk_printer_status_describe (self->status);
  g_autofree char *detail = NULL;
  g_autoptr (GError) error = NULL;

  if (self->store == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, names);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "error");
  if (self->last_error != NULL)
    json_builder_add_string_value (b, self->last_error);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  detail = json_to_string (root, FALSE);
  /* A full disk is the store's own alarm; the printer has nobody to tell. */
  if (!kiosk_store_report (self->store, "printer-status", detail, &error))
    g_debug ("printer status not recorded: %s", error->message);
}

/* Main thread: the outcome of a job becomes the properties. */
static void
set_outcome (KioskPrinter *self, KioskPrinterStatus status, const GError *error)
{
  gboolean status_changed = status != self->status;
  gboolean error_changed = g_strcmp0 (self->last_error, error != NULL ? error->message : NULL) != 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->status = status;
  if (error_changed)
    {
      g_free (self->last_error);
      self->last_error = error != NULL ? g_strdup (error->message) : NULL;
    }
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  if (status_changed)
    report_status (self);
}

static gboolean
job_send (KioskPrinter *self, Job *job, GCancellable *cancellable, GError **error)
{
  KioskPrinterLink *link = &self->link;

  if (!kiosk_printer_link_is_open (link)
      && !kiosk_printer_link_open (link, &self->config, job->timeout_ms, cancellable, error))
    return FALSE;

  if (job->query_status
      && !kiosk_printer_link_query_status (link, job->timeout_ms, &job->status, cancellable, error))
    return FALSE;
  if (job->parts == NULL)
    return TRUE;
  if (job->status & KIOSK_PRINTER_STATUS_BLOCKING & ~KIOSK_PRINTER_STATUS_UNKNOWN)
    {
      g_autofree char *why = kiosk_printer_status_describe (job->status);

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "无法打印 / Cannot print: %s", why);
      job->refused = TRUE;
      return FALSE;
    }
  for (guint i = 0; i < job->parts->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (job->parts->pdata[i], &len);

      if (!kiosk_printer_link_write_all (link, data, len, job->timeout_ms, cancellable, error))
        return FALSE;
      /* Between bands: stop as soon as the paper runs out or the cover opens. */
      if (job->query_status && i + 1 < job->parts->len)
        {
          if (!kiosk_printer_link_query_status (link, job->timeout_ms, &job->status, cancellable, error))
            return FALSE;
          if (job->status & KIOSK_PRINTER_STATUS_BLOCKING)
            {
              g_autofree char *why = kiosk_printer_status_describe (job->status);

              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "打印中断 / Printing stopped: %s", why);
              job->refused = TRUE;
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskPrinter *self = source;
  Job *job = task_data;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (self->config.transport == KIOSK_PRINTER_TRANSPORT_FOLDER)
    {
      g_autoptr (GByteArray) all = g_byte_array_new ();
      g_autoptr (GBytes) bytes = NULL;

      for (guint i = 0; job->parts != NULL && i < job->parts->len; i++)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (job->parts->pdata[i], &len);

          g_byte_array_append (all, data, len);
        }
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&all));
      job->status = KIOSK_PRINTER_STATUS_READY;
      if (job->parts != NULL
          && !kiosk_printer_folder_write (self->config.path, job->folder_keep, job->slip, bytes, &error))
        {
          job->status = KIOSK_PRINTER_STATUS_ERROR;
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_mutex_lock (&self->io_lock);
  ok = job_send (self, job, cancellable, &error);
  /* Whatever broke the job may have broken the line: start afresh next time.
   * A refusal for paper or cover keeps the connection, which is still good. */
  if (!ok && !job->refused)
    {
      kiosk_printer_link_close (&self->link);
      job->status = KIOSK_PRINTER_STATUS_UNKNOWN;
    }
  g_mutex_unlock (&self->io_lock);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskPrinter *self = KIOSK_PRINTER (source);
  g_autoptr (GTask) outer = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  self->jobs_in_flight--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_outcome (self, job->status, error);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  set_outcome (self, job->status, NULL);
  g_task_return_boolean (outer, TRUE);
}

static void
job_start (KioskPrinter *self, Job *job, gpointer tag, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) inner = g_task_new (self, cancellable, job_done, outer);

  g_task_set_source_tag (outer, tag);
  job->timeout_ms = self->timeout_ms;
  job->folder_keep = self->folder_keep;
  job->query_status = self->query_status;
  job->status = self->query_status ? KIOSK_PRINTER_STATUS_UNKNOWN : self->status;
  g_task_set_task_data (inner, job, (GDestroyNotify)job_free);
  self->jobs_in_flight++;
  g_task_run_in_thread (inner, job_thread);
}

void
kiosk_printer_print_async (KioskPrinter *self, const KioskBitmap *slip, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  Job *job;

  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_return_if_fail (slip != NULL);

  job = g_new0 (Job, 1);
  job->parts = kiosk_escpos_encode_raster_parts (slip, &self->options, &error);
  if (job->parts == NULL)
    {
      job_free (job);
      g_task_report_error (self, callback, user_data, kiosk_printer_print_async, g_steal_pointer (&error));
      return;
    }
  job->slip = kiosk_bitmap_copy (slip);
  /* Copy before freeing: a reprint passes the last slip itself. */
  if (self->last_slip != slip)
    {
      g_clear_pointer (&self->last_slip, kiosk_bitmap_free);
      self->last_slip = kiosk_bitmap_copy (slip);
    }
  job_start (self, job, kiosk_printer_print_async, cancellable, callback, user_data);
}

gboolean
kiosk_printer_print_finish (KioskPrinter *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kiosk_printer_print_bytes_async (KioskPrinter *self, GBytes *escpos, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job;

  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_return_if_fail (escpos != NULL);

  job = g_new0 (Job, 1);
  job->parts = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  g_ptr_array_add (job->parts, g_bytes_ref (escpos));
  job_start (self, job, kiosk_printer_print_bytes_async, cancellable, callback, user_data);
}

gboolean
kiosk_printer_print_bytes_finish (KioskPrinter *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kiosk_printer_refresh_status_async (KioskPrinter *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));

  job_start (self, g_new0 (Job, 1), kiosk_printer_refresh_status_async, cancellable, callback, user_data);
}

gboolean
kiosk_printer_refresh_status_finish (KioskPrinter *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
poll_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  /* The outcome is already in the properties. */
  kiosk_printer_refresh_status_finish (KIOSK_PRINTER (source), result, NULL);
}

static gboolean
poll_tick (gpointer user_data)
{
  KioskPrinter *self = user_data;

  /* A job under way asks the status itself. */
  if (self->jobs_in_flight == 0
      && (self->query_status || self->config.transport == KIOSK_PRINTER_TRANSPORT_FOLDER))
    kiosk_printer_refresh_status_async (self, NULL, poll_done, NULL);
  return G_SOURCE_CONTINUE;
}

void
kiosk_printer_set_poll_interval (KioskPrinter *self, guint interval_ms)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));

  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (interval_ms > 0)
    self->poll_source = g_timeout_add (interval_ms, poll_tick, self);
  if (self->poll_interval_ms != interval_ms)
    {
      self->poll_interval_ms = interval_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
    }
}

guint
kiosk_printer_get_poll_interval (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), 0);
  return self->poll_interval_ms;
}

void
kiosk_printer_set_folder_keep (KioskPrinter *self, guint keep)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));

  self->folder_keep = keep;
}

void
kiosk_printer_set_timeout (KioskPrinter *self, guint timeout_ms)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
kiosk_printer_get_timeout (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), 0);
  return self->timeout_ms;
}

void
kiosk_printer_set_query_status (KioskPrinter *self, gboolean query)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));
  self->query_status = query;
}

void
kiosk_printer_set_store (KioskPrinter *self, KioskStore *store)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_set_object (&self->store, store);
}

void
kiosk_printer_set_escpos_options (KioskPrinter *self, const KioskEscposOptions *options)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_return_if_fail (options != NULL);
  self->options = *options;
}

KioskPrinterTransport
kiosk_printer_get_transport (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), 0);
  return self->config.transport;
}

KioskPrinterStatus
kiosk_printer_get_status (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), KIOSK_PRINTER_STATUS_UNKNOWN);
  return self->status;
}

const char *
kiosk_printer_get_last_error (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), NULL);
  return self->last_error;
}

const KioskBitmap *
kiosk_printer_get_last_slip (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), NULL);
  return self->last_slip;
}

static void
kiosk_printer_dispose (GObject *object)
{
  KioskPrinter *self = KIOSK_PRINTER (object);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (kiosk_printer_parent_class)->dispose (object);
}

static void
kiosk_printer_finalize (GObject *object)
{
  KioskPrinter *self = KIOSK_PRINTER (object);

  kiosk_printer_link_close (&self->link);
  g_mutex_clear (&self->io_lock);
  kiosk_printer_config_clear (&self->config);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->last_slip, kiosk_bitmap_free);
  G_OBJECT_CLASS (kiosk_printer_parent_class)->finalize (object);
}

static void
kiosk_printer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskPrinter *self = KIOSK_PRINTER (object);

  switch (prop_id)
    {
      case PROP_STATUS:
        g_value_set_flags (value, self->status);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      case PROP_POLL_INTERVAL:
        g_value_set_uint (value, self->poll_interval_ms);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_ms);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_printer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskPrinter *self = KIOSK_PRINTER (object);

  switch (prop_id)
    {
      case PROP_POLL_INTERVAL:
        kiosk_printer_set_poll_interval (self, g_value_get_uint (value));
        break;
      case PROP_TIMEOUT:
        kiosk_printer_set_timeout (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_printer_class_init (KioskPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_printer_dispose;
  object_class->finalize = kiosk_printer_finalize;
  object_class->get_property = kiosk_printer_get_property;
  object_class->set_property = kiosk_printer_set_property;

  properties[PROP_STATUS]
      = g_param_spec_flags ("status", NULL, NULL, KIOSK_TYPE_PRINTER_STATUS, KIOSK_PRINTER_STATUS_UNKNOWN,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] = g_param_spec_string (
      "last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Polling starts only when asked (or from the config): tests and tools stay quiet. */
  properties[PROP_POLL_INTERVAL]
      = g_param_spec_uint ("poll-interval", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT]
      = g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, KIOSK_PRINTER_DEFAULT_TIMEOUT_MS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_printer_init (KioskPrinter *self)
{
  const KioskEscposOptions options = KIOSK_ESCPOS_OPTIONS_DEFAULT;

  g_mutex_init (&self->io_lock);
  self->link = (KioskPrinterLink)KIOSK_PRINTER_LINK_INIT;
  self->status = KIOSK_PRINTER_STATUS_UNKNOWN;
  self->timeout_ms = KIOSK_PRINTER_DEFAULT_TIMEOUT_MS;
  self->query_status = TRUE;
  self->options = options;
}

static KioskPrinter *
printer_new (KioskPrinterTransport transport)
{
  KioskPrinter *self = g_object_new (KIOSK_TYPE_PRINTER, NULL);

  self->config.transport = transport;
  return self;
}

KioskPrinter *
kiosk_printer_new_usb (const char *device)
{
  KioskPrinter *self;

  g_return_val_if_fail (device != NULL, NULL);
  self = printer_new (KIOSK_PRINTER_TRANSPORT_USB);
  self->config.path = g_strdup (device);
  return self;
}

KioskPrinter *
kiosk_printer_new_serial (const char *device, guint baud, KioskPrinterFlow flow, GError **error)
{
  KioskPrinter *self;
  guint speed;

  g_return_val_if_fail (device != NULL, NULL);
  if (!kiosk_printer_baud_to_speed (baud, &speed, error))
    return NULL;
  self = printer_new (KIOSK_PRINTER_TRANSPORT_SERIAL);
  self->config.path = g_strdup (device);
  self->config.baud = baud;
  self->config.flow = flow;
  return self;
}

KioskPrinter *
kiosk_printer_new_tcp (const char *host, guint16 port)
{
  KioskPrinter *self;

  g_return_val_if_fail (host != NULL, NULL);
  self = printer_new (KIOSK_PRINTER_TRANSPORT_TCP);
  self->config.host = g_strdup (host);
  self->config.port = port != 0 ? port : KIOSK_PRINTER_TCP_PORT;
  return self;
}

KioskPrinter *
kiosk_printer_new_folder (const char *directory)
{
  KioskPrinter *self;

  g_return_val_if_fail (directory != NULL, NULL);
  self = printer_new (KIOSK_PRINTER_TRANSPORT_FOLDER);
  self->config.path = g_strdup (directory);
  self->status = KIOSK_PRINTER_STATUS_READY;
  return self;
}

static KioskPrinter *
spec_invalid (const char *spec, const char *why, GError **error)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "打印机设置无效 / Invalid printer setting \"%s\": %s",
               spec, why);
  return NULL;
}

static KioskPrinter *
new_serial_from_spec (const char *spec, const char *rest, GError **error)
{
  g_auto (GStrv) fields = g_strsplit (rest, ",", -1);
  KioskPrinterFlow flow = KIOSK_PRINTER_FLOW_NONE;
  guint64 baud = 9600;

  if (fields[0] == NULL || fields[0][0] != '/')
    return spec_invalid (spec, "device path", error);
  for (guint i = 1; fields[i] != NULL; i++)
    {
      const char *f = fields[i];

      if (g_str_has_prefix (f, "baud="))
        {
          if (!g_ascii_string_to_unsigned (f + 5, 10, 1, G_MAXUINT, &baud, NULL))
            return spec_invalid (spec, "baud", error);
        }
      else if (g_str_equal (f, "flow=none"))
        flow = KIOSK_PRINTER_FLOW_NONE;
      else if (g_str_equal (f, "flow=rtscts"))
        flow = KIOSK_PRINTER_FLOW_RTSCTS;
      else if (g_str_equal (f, "flow=xonxoff"))
        flow = KIOSK_PRINTER_FLOW_XONXOFF;
      else
        return spec_invalid (spec, f, error);
    }
  return kiosk_printer_new_serial (fields[0], (guint)baud, flow, error);
}

KioskPrinter *
kiosk_printer_new_from_spec (const char *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL, NULL);

  if (g_str_has_prefix (spec, "usb:/"))
    return kiosk_printer_new_usb (spec + 4);
  if (g_str_has_prefix (spec, "folder:/"))
    return kiosk_printer_new_folder (spec + 7);
  if (g_str_has_prefix (spec, "serial:"))
    return new_serial_from_spec (spec, spec + 7, error);
  if (g_str_has_prefix (spec, "tcp:"))
    {
      g_autoptr (GSocketConnectable) addr = g_network_address_parse (spec + 4, KIOSK_PRINTER_TCP_PORT, NULL);

      if (addr == NULL)
        return spec_invalid (spec, "host[:port]", error);
      return kiosk_printer_new_tcp (g_network_address_get_hostname (G_NETWORK_ADDRESS (addr)),
                                    g_network_address_get_port (G_NETWORK_ADDRESS (addr)));
    }
  return spec_invalid (spec, "usb:, serial:, tcp: or folder:", error);
}
