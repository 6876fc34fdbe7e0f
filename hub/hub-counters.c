/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-counters"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub-counters.h"
#include "hub-db.h"

#define MAX_ID_LENGTH 32

/* A desk id goes into the counter page's URL (/counter/<id>). */
static gboolean
id_valid (const char *id, gboolean allow_dot)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH * 2)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && !(allow_dot && *p == '.'))
      return FALSE;
  return allow_dot || len <= MAX_ID_LENGTH;
}

gboolean
hub_counter_spec_check (const HubCounterSpec *spec, GError **error)
{
  g_auto (GStrv) services = NULL;

  if (spec->id == NULL || !id_valid (spec->id, FALSE))
    {
      g_set_error (
          error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "counter id must be 1 to %d letters, digits, '-' or '_' (it is part of the page's address)",
          MAX_ID_LENGTH);
      return FALSE;
    }
  if (spec->name_zh == NULL || *g_strstrip (spec->name_zh) == '\0' || spec->name_en == NULL
      || *g_strstrip (spec->name_en) == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "a counter needs --name-zh and --name-en (shown and spoken on the hall display)");
      return FALSE;
    }
  if (!g_utf8_validate (spec->name_zh, -1, NULL) || !g_utf8_validate (spec->name_en, -1, NULL)
      || g_utf8_strlen (spec->name_zh, -1) > 40 || g_utf8_strlen (spec->name_en, -1) > 40)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--name-zh and --name-en: UTF-8 text of at most 40 characters");
      return FALSE;
    }
  services = spec->services ? g_strsplit (spec->services, ",", -1) : NULL;
  if (services == NULL || services[0] == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "a counter needs --services ID[,ID…]: the service ids of the content it calls");
      return FALSE;
    }
  for (guint i = 0; services[i] != NULL; i++)
    if (!id_valid (g_strstrip (services[i]), TRUE))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--services: \"%.40s\" is not a service id", services[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
counter_add (PGconn *conn, const HubCounterSpec *spec, gboolean *created, GError **error)
{
  g_auto (GStrv) services = g_strsplit (spec->services, ",", -1);
  g_autoptr (GString) array = g_string_new ("{");
  const char *params[4];
  g_autoptr (PGresult) res = NULL;

  /* A text[] literal: every element quoted, the ids checked above hold no quotes. */
  for (guint i = 0; services[i] != NULL; i++)
    g_string_append_printf (array, "%s\"%s\"", i ? "," : "", g_strstrip (services[i]));
  g_string_append_c (array, '}');
  params[0] = spec->id;
  params[1] = spec->name_zh;
  params[2] = spec->name_en;
  params[3] = array->str;
  res = hub_db_query (
      conn,
      "INSERT INTO counters AS c (id, name_zh, name_en, services) VALUES ($1, $2, $3, $4::text[])"
      " ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,"
      "   services = excluded.services"
      " RETURNING xmax = 0 AS created",
      4, params, error);
  if (res == NULL)
    return FALSE;
  *created = hub_db_get_bool (res, 0, "created");
  return TRUE;
}

static gboolean
counter_list (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "SELECT id, name_zh, name_en, array_to_string (services, ',') AS services"
                      " FROM counters ORDER BY id",
                      0, NULL, error);

  if (res == NULL)
    return FALSE;
  printf ("id\tname_zh\tname_en\tservices\n");
  for (int i = 0; i < PQntuples (res); i++)
    printf ("%s\t%s\t%s\t%s\n", hub_db_get (res, i, "id"), hub_db_get (res, i, "name_zh"),
            hub_db_get (res, i, "name_en"), hub_db_get (res, i, "services"));
  return TRUE;
}

int
hub_counters_command (const char *conninfo, HubCounterSpec *spec, int argc, char **argv, GError **error)
{
  const char *verb = argc > 2 ? argv[2] : "";
  g_autoptr (PGconn) conn = NULL;
  gboolean created = FALSE;

  if (!((argc == 4 && g_str_equal (verb, "add")) || (argc == 3 && g_str_equal (verb, "list"))))
    {
      g_set_error_literal (
          error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "counters add ID --name-zh NAME --name-en NAME --services ID[,ID…] | counters list");
      return 2;
    }
  if (g_str_equal (verb, "add"))
    {
      spec->id = argv[3];
      if (!hub_counter_spec_check (spec, error))
        return 2;
    }
  if ((conn = hub_db_connect (conninfo, error)) == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;
  if (g_str_equal (verb, "list"))
    return counter_list (conn, error) ? EXIT_SUCCESS : EXIT_FAILURE;
  if (!counter_add (conn, spec, &created, error))
    return EXIT_FAILURE;
  printf ("counter %s %s: %s / %s, services %s\n", spec->id, created ? "added" : "updated", spec->name_zh,
          spec->name_en, spec->services);
  return EXIT_SUCCESS;
}
