/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the hub needs to know about a kiosk certificate. */
typedef struct
{
  char *common_name; /* the kiosk id */
  char *fingerprint; /* SHA-256 of the DER, lower-case hex */
  char *serial;      /* hex */
  gint64 not_after_us;
} HubCertInfo;

void hub_cert_info_free (HubCertInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubCertInfo, hub_cert_info_free)

/* Reads a DER certificate (from GTlsCertificate:certificate). */
HubCertInfo *hub_cert_info_from_der (const guint8 *der, gsize length, GError **error);

/* A kiosk id is also a file name and a certificate CN: 1–64 of [A-Za-z0-9._-],
 * not starting with a dot. */
gboolean hub_kiosk_id_is_valid (const char *id);

/* Issues a client certificate for @kiosk_id signed by the CA in @ca_cert_path /
 * @ca_key_path (PEM): a fresh P-256 key, CN = @kiosk_id, extendedKeyUsage
 * clientAuth, valid for @days. Returns the PEM texts and the certificate's info. */
HubCertInfo *hub_cert_issue (const char *kiosk_id, const char *ca_cert_path, const char *ca_key_path,
                             guint days, char **cert_pem, char **key_pem, GError **error);

G_END_DECLS
