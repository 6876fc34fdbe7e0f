/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-console"

#include "hub-console-auth.h"

#include <sodium.h>
#include <string.h>

#include "hub-proto.h"

char *
hub_console_password_hash (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];
  gsize length = password ? strlen (password) : 0;

  if (password == NULL || !g_utf8_validate (password, -1, NULL)
      || g_utf8_strlen (password, -1) < HUB_CONSOLE_PASSWORD_MIN)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "密码至少 %d 个字符 / A password has at least %d characters", HUB_CONSOLE_PASSWORD_MIN,
                   HUB_CONSOLE_PASSWORD_MIN);
      return NULL;
    }
  if (length > HUB_CONSOLE_PASSWORD_MAX)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "密码最多 %d 字节 / A password has at most %d bytes", HUB_CONSOLE_PASSWORD_MAX,
                   HUB_CONSOLE_PASSWORD_MAX);
      return NULL;
    }
  if (sodium_init () < 0
      || crypto_pwhash_str (hash, password, length, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE)
             != 0)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAVAILABLE,
                           "服务器内存不足 / The hub is short of memory");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
hub_console_password_verify (const char *hash, const char *password)
{
  if (hash == NULL || password == NULL || strlen (password) > HUB_CONSOLE_PASSWORD_MAX
      || strnlen (hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
hub_console_new_password (void)
{
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY23456789";
  GString *out = g_string_new (NULL);

  g_assert (sodium_init () >= 0);
  for (int i = 0; i < 16; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
    }
  return g_string_free (out, FALSE);
}

char *
hub_console_new_token (void)
{
  guint8 bytes[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  g_assert (sodium_init () >= 0);
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (text);
}

char *
hub_console_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
hub_console_tokens_equal (const char *a, const char *b)
{
  gsize n = a ? strlen (a) : 0, m = b ? strlen (b) : 0;

  return n > 0 && n == m && sodium_memcmp (a, b, n) == 0;
}

/* A token as hub_console_new_token makes them: 43 base64url characters. */
static gboolean
is_token (const char *s, gsize n)
{
  if (n != 43)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-' && s[i] != '_')
      return FALSE;
  return TRUE;
}

char *
hub_console_cookie_token (const char *cookie_header)
{
  const char *p = cookie_header;
  gsize name_length = strlen (HUB_CONSOLE_COOKIE);

  if (p == NULL || strlen (p) > 8192)
    return NULL;
  while (*p != '\0')
    {
      const char *end = strchr (p, ';');
      gsize length = end ? (gsize)(end - p) : strlen (p);

      while (length > 0 && *p == ' ')
        p++, length--;
      if (length > name_length && strncmp (p, HUB_CONSOLE_COOKIE, name_length) == 0 && p[name_length] == '='
          && is_token (p + name_length + 1, length - name_length - 1))
        return g_strndup (p + name_length + 1, length - name_length - 1);
      if (end == NULL)
        break;
      p = end + 1;
    }
  return NULL;
}

char *
hub_console_cookie_set (const char *token, guint max_age_s)
{
  /* Secure, HttpOnly, SameSite=Strict: never sent over plain HTTP (but to
   * localhost), never read by a script, never sent from another site. */
  return g_strdup_printf ("%s=%s; Path=/; Max-Age=%u; Secure; HttpOnly; SameSite=Strict", HUB_CONSOLE_COOKIE,
                          token ? token : "", token ? max_age_s : 0);
}
