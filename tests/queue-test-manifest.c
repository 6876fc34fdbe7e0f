/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "queue-test"

#include "queue-test-manifest.h"

#define MANIFEST_TEMPLATE                                                                                       \
  "{\n"                                                                                                         \
  "  \"format\": 1, \"release\": 1,\n"                                                                          \
  "  \"centre\": { \"name\": { \"zh\": \"测试中心\", \"en\": \"Test centre\" } },\n"                        \
  "  \"hours\": {\n"                                                                                            \
  "    \"hall\": {\n"                                                                                           \
  "      \"weekly\": { \"mon\": [\"08:30-12:00\", \"13:30-17:00\"], \"tue\": [\"08:30-12:00\", "                \
  "\"13:30-17:00\"],\n"                                                                                         \
  "                  \"wed\": [\"08:30-12:00\", \"13:30-17:00\"], \"thu\": [\"08:30-12:00\", "                  \
  "\"13:30-17:00\"],\n"                                                                                         \
  "                  \"fri\": [\"08:30-12:00\", \"13:30-17:00\"], \"sat\": [\"09:00-12:00\"], \"sun\": [] "     \
  "},\n"                                                                                                        \
  "      \"holidays\": [\"2026-11-25\"],\n"                                                                     \
  "      \"cutoff_minutes\": 20\n"                                                                              \
  "    },\n"                                                                                                    \
  "    \"always\": {\n"                                                                                         \
  "      \"weekly\": { \"mon\": [\"00:00-24:00\"], \"tue\": [\"00:00-24:00\"], \"wed\": "                       \
  "[\"00:00-24:00\"],\n"                                                                                        \
  "                  \"thu\": [\"00:00-24:00\"], \"fri\": [\"00:00-24:00\"], \"sat\": [\"00:00-24:00\"],\n"     \
  "                  \"sun\": [\"00:00-24:00\"] }\n"                                                            \
  "    }\n"                                                                                                     \
  "  },\n"                                                                                                      \
  "  \"categories\": [ { \"id\": \"hall\", \"name\": { \"zh\": \"综合服务\", \"en\": \"Services\" } } ],\n" \
  "  \"queues\": [\n"                                                                                           \
  "    { \"id\": \"A\", \"prefix\": \"A\", \"name\": { \"zh\": \"综合\", \"en\": \"General\" },\n"            \
  "      \"first\": 1, \"last\": 999, \"daily_cap\": %d, \"default_service_minutes\": 10,\n"                    \
  "      \"counters\": 1, \"hours\": \"hall\" },\n"                                                             \
  "    { \"id\": \"N\", \"prefix\": \"N\", \"name\": { \"zh\": \"夜间\", \"en\": \"Night\" },\n"              \
  "      \"first\": 1, \"last\": %d, \"counters\": 1, \"hours\": \"always\" },\n"                               \
  "    { \"id\": \"R\", \"prefix\": \"R\", \"name\": { \"zh\": \"短号\", \"en\": \"Short\" },\n"              \
  "      \"first\": 1, \"last\": 3, \"counters\": 1, \"hours\": \"always\" }\n"                                 \
  "  ],\n"                                                                                                      \
  "  \"services\": [\n"                                                                                         \
  "    { \"id\": \"residence-permit\", \"category\": \"hall\", \"queue\": \"A\",\n"                             \
  "      \"name\": { \"zh\": \"居住证\", \"en\": \"Residence permit\" } },\n"                                \
  "    { \"id\": \"social-insurance\", \"category\": \"hall\", \"queue\": \"A\", \"daily_cap\": %d,\n"          \
  "      \"priority_lanes\": false, \"name\": { \"zh\": \"社保\", \"en\": \"Social insurance\" } },\n"        \
  "    { \"id\": \"night-desk\", \"category\": \"hall\", \"queue\": \"N\",\n"                                   \
  "      \"name\": { \"zh\": \"夜间窗口\", \"en\": \"Night desk\" } },\n"                                   \
  "    { \"id\": \"short\", \"category\": \"hall\", \"queue\": \"R\",\n"                                        \
  "      \"name\": { \"zh\": \"短号业务\", \"en\": \"Short range\" } }\n"                                   \
  "  ]\n"                                                                                                       \
  "}\n"

KioskBundle *
queue_test_bundle (const char *dir, const QueueTestManifest *spec)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  KioskBundle *bundle;

  text = g_strdup_printf (MANIFEST_TEMPLATE, spec->a_cap, spec->n_last, spec->service_cap);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);
  return bundle;
}

void
queue_test_settings (KioskQueueSettings *settings, guint index, guint n)
{
  static const char secret[] = "test secret of the kiosk, 32 b..";

  kiosk_queue_settings_init (settings);
  settings->hall_id = "hall-1";
  settings->kiosk_id = index == 0 ? "kiosk-0" : index == 1 ? "kiosk-1" : "kiosk-n";
  settings->kiosk_index = index;
  settings->kiosks_in_hall = n;
  settings->secret = g_bytes_new_static (secret, sizeof secret - 1);
}
