/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ticket"

#include <json-glib/json-glib.h>

#include "kiosk-clock.h"
#include "kiosk-error.h"
#include "kiosk-ticket.h"

#define PUBLIC_CODE_BYTES 10
#define QR_PREFIX "LINLI:T1:"

G_DEFINE_BOXED_TYPE (KioskTicket, kiosk_ticket, kiosk_ticket_copy, kiosk_ticket_free)
G_DEFINE_BOXED_TYPE (KioskRefusal, kiosk_refusal, kiosk_refusal_copy, kiosk_refusal_free)

KioskTicket *
kiosk_ticket_copy (const KioskTicket *ticket)
{
  KioskTicket *copy;

  g_return_val_if_fail (ticket != NULL, NULL);

  copy = g_memdup2 (ticket, sizeof *ticket);
  copy->uuid = g_strdup (ticket->uuid);
  copy->hall_id = g_strdup (ticket->hall_id);
  copy->kiosk_id = g_strdup (ticket->kiosk_id);
  copy->queue_id = g_strdup (ticket->queue_id);
  copy->service_id = g_strdup (ticket->service_id);
  copy->service_day = g_strdup (ticket->service_day);
  copy->label = g_strdup (ticket->label);
  copy->issued = ticket->issued ? g_date_time_ref (ticket->issued) : NULL;
  copy->public_code = g_strdup (ticket->public_code);
  copy->appointment_code = g_strdup (ticket->appointment_code);
  return copy;
}

void
kiosk_ticket_free (KioskTicket *ticket)
{
  if (ticket == NULL)
    return;
  g_free (ticket->uuid);
  g_free (ticket->hall_id);
  g_free (ticket->kiosk_id);
  g_free (ticket->queue_id);
  g_free (ticket->service_id);
  g_free (ticket->service_day);
  g_free (ticket->label);
  g_clear_pointer (&ticket->issued, g_date_time_unref);
  g_free (ticket->public_code);
  g_free (ticket->appointment_code);
  g_free (ticket);
}

char *
kiosk_ticket_format_label (char prefix, int number, int last)
{
  int width = 3;

  for (int rest = last / 1000; rest > 0; rest /= 10)
    width++;
  return g_strdup_printf ("%c%0*d", prefix, width, number);
}

static char *
base32_encode (const guint8 *data, gsize len)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  GString *out = g_string_sized_new ((len * 8 + 4) / 5);
  guint buffer = 0, bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

char *
kiosk_ticket_public_code (GBytes *secret, const char *uuid)
{
  static const char domain[] = "linli-ticket-v1:";
  g_autoptr (GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize key_len;
  const guint8 *key;

  g_return_val_if_fail (secret != NULL && uuid != NULL, NULL);

  key = g_bytes_get_data (secret, &key_len);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_hmac_update (hmac, (const guchar *)domain, sizeof domain - 1);
  g_hmac_update (hmac, (const guchar *)uuid, strlen (uuid));
  g_hmac_get_digest (hmac, digest, &digest_len);
  return base32_encode (digest, PUBLIC_CODE_BYTES);
}

gboolean
kiosk_ticket_verify_code (GBytes *secret, const char *uuid, const char *code)
{
  g_autofree char *expected = NULL;
  guint diff = 0;
  gsize len;

  g_return_val_if_fail (secret != NULL, FALSE);

  if (uuid == NULL || code == NULL || !g_uuid_string_is_valid (uuid))
    return FALSE;
  expected = kiosk_ticket_public_code (secret, uuid);
  len = strlen (expected);
  if (strlen (code) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint)(expected[i] ^ code[i]);
  return diff == 0;
}

char *
kiosk_ticket_get_qr_payload (const KioskTicket *ticket)
{
  g_return_val_if_fail (ticket != NULL, NULL);
  return g_strconcat (QR_PREFIX, ticket->uuid, ":", ticket->public_code, NULL);
}

gboolean
kiosk_ticket_parse_qr_payload (const char *payload, char **uuid, char **code)
{
  g_auto (GStrv) parts = NULL;

  if (payload == NULL || !g_str_has_prefix (payload, QR_PREFIX))
    return FALSE;
  parts = g_strsplit (payload + strlen (QR_PREFIX), ":", 0);
  if (g_strv_length (parts) != 2 || !g_uuid_string_is_valid (parts[0]) || parts[1][0] == '\0')
    return FALSE;
  *uuid = g_strdup (parts[0]);
  *code = g_strdup (parts[1]);
  return TRUE;
}

char *
kiosk_ticket_to_json (const KioskTicket *ticket)
{
  return kiosk_ticket_to_json_with_service (ticket, NULL);
}

char *
kiosk_ticket_to_json_with_service (const KioskTicket *ticket, const KioskText *service_name)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *issued = NULL;

  g_return_val_if_fail (ticket != NULL && ticket->issued != NULL, NULL);

  /* "+08:00" rather than GLib's "+08": every ISO 8601 reader takes it. */
  issued = g_date_time_format (ticket->issued, "%Y-%m-%dT%H:%M:%S%:z");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, ticket->uuid);
  json_builder_set_member_name (b, "hall");
  json_builder_add_string_value (b, ticket->hall_id);
  json_builder_set_member_name (b, "kiosk");
  json_builder_add_string_value (b, ticket->kiosk_id);
  json_builder_set_member_name (b, "kiosk_index");
  json_builder_add_int_value (b, ticket->kiosk_index);
  json_builder_set_member_name (b, "kiosks_in_hall");
  json_builder_add_int_value (b, ticket->kiosks_in_hall);
  json_builder_set_member_name (b, "queue");
  json_builder_add_string_value (b, ticket->queue_id);
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, ticket->service_id);
  if (service_name != NULL)
    {
      /* The names the slip printed, so the phone's page says the same. */
      json_builder_set_member_name (b, "service_zh");
      json_builder_add_string_value (b, kiosk_text_get (service_name, "zh"));
      json_builder_set_member_name (b, "service_en");
      json_builder_add_string_value (b, kiosk_text_get (service_name, "en"));
    }
  json_builder_set_member_name (b, "service_day");
  json_builder_add_string_value (b, ticket->service_day);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, ticket->seq);
  json_builder_set_member_name (b, "number");
  json_builder_add_int_value (b, ticket->number);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, ticket->label);
  json_builder_set_member_name (b, "lane");
  json_builder_add_string_value (b, kiosk_lane_to_string (ticket->lane));
  json_builder_set_member_name (b, "issued");
  json_builder_add_string_value (b, issued);
  json_builder_set_member_name (b, "issued_us");
  json_builder_add_int_value (b, kiosk_date_time_to_usec (ticket->issued));
  json_builder_set_member_name (b, "people_ahead");
  json_builder_add_int_value (b, ticket->people_ahead);
  json_builder_set_member_name (b, "wait_low_minutes");
  json_builder_add_int_value (b, ticket->wait_low);
  json_builder_set_member_name (b, "wait_high_minutes");
  json_builder_add_int_value (b, ticket->wait_high);
  json_builder_set_member_name (b, "public_code");
  json_builder_add_string_value (b, ticket->public_code);
  json_builder_set_member_name (b, "appointment");
  if (ticket->appointment_code != NULL)
    json_builder_add_string_value (b, ticket->appointment_code);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Refusals */

typedef struct
{
  const char *name;
  const char *zh;
  const char *en;
} ReasonInfo;

static const ReasonInfo reasons[] = {
  [KIOSK_REFUSAL_CLOSED_NOW] = { "closed-now", "此业务现在不办理", "This service is closed now" },
  [KIOSK_REFUSAL_HOLIDAY] = { "holiday", "今天休息", "Closed today" },
  [KIOSK_REFUSAL_CUTOFF] = { "cutoff", "取号已截止", "Ticket issuing has closed" },
  [KIOSK_REFUSAL_CAP_REACHED] = { "cap-reached", "今日号已取完", "All of today's tickets are taken" },
  [KIOSK_REFUSAL_RANGE_EXHAUSTED]
  = { "range-exhausted", "今日号码已用完", "Today's ticket numbers are used up" },
  [KIOSK_REFUSAL_CANNOT_SERVE_BEFORE_CLOSING]
  = { "cannot-serve-before-closing", "排队人数较多，下班前办理不完",
      "Too many people are waiting to be served before closing" },
  [KIOSK_REFUSAL_APPOINTMENT_UNKNOWN] = { "appointment-unknown", "未找到此预约", "Appointment not found" },
  [KIOSK_REFUSAL_APPOINTMENT_USED]
  = { "appointment-used", "此预约已签到", "This appointment has already been checked in" },
  [KIOSK_REFUSAL_APPOINTMENT_EXPIRED]
  = { "appointment-expired", "预约已过期", "This appointment has expired" },
  [KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY]
  = { "appointment-too-early", "还未到签到时间", "It is too early to check in" },
  [KIOSK_REFUSAL_ID_CARD_EXPIRED]
  = { "id-card-expired", "身份证已过期，请到窗口办理", "This ID card has expired; please go to the desk" },
};

const char *
kiosk_refusal_reason_to_string (KioskRefusalReason reason)
{
  g_return_val_if_fail (reason < G_N_ELEMENTS (reasons), NULL);
  return reasons[reason].name;
}

char *
kiosk_format_when (GDateTime *when, GDateTime *now, const char *lang)
{
  static const char *const months[]
      = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  static const char *const days_en[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const days_zh[] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };
  g_autoptr (GDateTime) local = g_date_time_to_timezone (when, g_date_time_get_timezone (now));
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  gboolean en = g_strcmp0 (lang, "en") == 0;
  int hour = g_date_time_get_hour (local), minute = g_date_time_get_minute (local);
  int month = g_date_time_get_month (local), day = g_date_time_get_day_of_month (local);
  int weekday = g_date_time_get_day_of_week (local) - 1;

#define SAME_DATE(a, b)                                                                                      \
  (g_date_time_get_year (a) == g_date_time_get_year (b)                                                      \
   && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b))
  if (SAME_DATE (local, now))
    return g_strdup_printf ("%s %02d:%02d", en ? "today" : "今天", hour, minute);
  if (SAME_DATE (local, tomorrow))
    return g_strdup_printf ("%s %02d:%02d", en ? "tomorrow" : "明天", hour, minute);
#undef SAME_DATE
  if (en)
    return g_strdup_printf ("%s %d %s %02d:%02d", days_en[weekday], day, months[month - 1], hour, minute);
  return g_strdup_printf ("%d月%d日 %s %02d:%02d", month, day, days_zh[weekday], hour, minute);
}

KioskRefusal *
kiosk_refusal_new (KioskRefusalReason reason, GDateTime *next_opening, GDateTime *now)
{
  KioskRefusal *refusal;

  g_return_val_if_fail (reason < G_N_ELEMENTS (reasons), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  refusal = g_new0 (KioskRefusal, 1);
  refusal->reason = reason;
  refusal->next_opening = next_opening ? g_date_time_ref (next_opening) : NULL;
  if (next_opening == NULL)
    {
      refusal->text.zh = g_strdup (reasons[reason].zh);
      refusal->text.en = g_strdup (reasons[reason].en);
    }
  else
    {
      g_autofree char *zh = kiosk_format_when (next_opening, now, "zh");
      g_autofree char *en = kiosk_format_when (next_opening, now, "en");
      gboolean appointment = reason == KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY;

      refusal->text.zh
          = g_strdup_printf (appointment ? "%s，请于%s后签到" : "%s，下次开放：%s", reasons[reason].zh, zh);
      refusal->text.en = g_strdup_printf (appointment ? "%s; check in from %s" : "%s. Next opening: %s",
                                          reasons[reason].en, en);
    }
  return refusal;
}

KioskRefusal *
kiosk_refusal_copy (const KioskRefusal *refusal)
{
  KioskRefusal *copy;

  g_return_val_if_fail (refusal != NULL, NULL);

  copy = g_new0 (KioskRefusal, 1);
  copy->reason = refusal->reason;
  copy->next_opening = refusal->next_opening ? g_date_time_ref (refusal->next_opening) : NULL;
  copy->text.zh = g_strdup (refusal->text.zh);
  copy->text.en = g_strdup (refusal->text.en);
  return copy;
}

void
kiosk_refusal_free (KioskRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_clear_pointer (&refusal->next_opening, g_date_time_unref);
  g_free (refusal->text.zh);
  g_free (refusal->text.en);
  g_free (refusal);
}

void
kiosk_refusal_set_error (const KioskRefusal *refusal, GError **error)
{
  int code;

  g_return_if_fail (refusal != NULL);

  code = refusal->reason >= KIOSK_REFUSAL_APPOINTMENT_UNKNOWN ? KIOSK_ERROR_DENIED : KIOSK_ERROR_CLOSED;
  g_set_error (error, KIOSK_ERROR, code, "%s / %s", refusal->text.zh, refusal->text.en);
}
