/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The console's secrets, as pure functions: passwords (Argon2id through
 * libsodium), session and CSRF tokens, the session cookie. */

#define HUB_CONSOLE_COOKIE "linli_session"
/* Longest password taken: Argon2id would take any length, the hub does not. */
#define HUB_CONSOLE_PASSWORD_MAX 128
#define HUB_CONSOLE_PASSWORD_MIN 10

/* An Argon2id string for @password; NULL with @error when it is too short,
 * too long or not UTF-8, or memory is short. */
char *hub_console_password_hash (const char *password, GError **error);
/* Constant in what it reveals: FALSE for any malformed input. */
gboolean hub_console_password_verify (const char *hash, const char *password);
/* A password for one sign-in, easy to read aloud and type: 16 characters
 * from an alphabet without 0/O or 1/l/I, in groups of four. */
char *hub_console_new_password (void);

/* 32 random bytes, base64url without padding (43 characters). */
char *hub_console_new_token (void);
/* The hex SHA-256 of @token: what the database keeps. */
char *hub_console_token_hash (const char *token);
/* TRUE when @a and @b are equal, in time that depends only on their lengths. */
gboolean hub_console_tokens_equal (const char *a, const char *b);

/* The session token in a Cookie header, or NULL (none, or malformed). */
char *hub_console_cookie_token (const char *cookie_header);
/* The Set-Cookie value that holds @token (NULL: one that clears it). */
char *hub_console_cookie_set (const char *token, guint max_age_s);

G_END_DECLS
