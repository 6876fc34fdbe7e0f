/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-cert"

/* libcrypto rather than the openssl CLI: it is already on every machine that
 * builds the hub (libpq-dev depends on libssl-dev), it gives errors we can
 * return, and no key material passes through argv or temporary files. */
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

#include <gio/gio.h>

#include "hub-cert.h"
#include "hub-proto.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_EXTENSION, X509_EXTENSION_free)

void
hub_cert_info_free (HubCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->common_name);
  g_free (info->fingerprint);
  g_free (info->serial);
  g_free (info);
}

gboolean
hub_kiosk_id_is_valid (const char *id)
{
  gsize n = id ? strlen (id) : 0;

  if (n == 0 || n > 64 || id[0] == '.')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '.' && id[i] != '_' && id[i] != '-')
      return FALSE;
  return TRUE;
}

/* Sets @error from OpenSSL's error queue, emptying it. */
static void
set_ssl_error (GError **error, const char *what)
{
  unsigned long code = ERR_get_error ();
  char buf[256] = "unknown error";

  if (code != 0)
    ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, buf);
}

static HubCertInfo *
info_from_x509 (X509 *cert, GError **error)
{
  g_autoptr (HubCertInfo) info = g_new0 (HubCertInfo, 1);
  X509_NAME *subject = X509_get_subject_name (cert);
  int index = subject ? X509_NAME_get_index_by_NID (subject, NID_commonName, -1) : -1;
  unsigned char *der = NULL, *cn = NULL;
  int der_len, cn_len;
  g_autoptr (BIGNUM) serial = NULL;
  char *serial_hex;
  struct tm tm;

  if (index < 0)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK,
                           "证书缺少 CN / Certificate has no subject CN");
      return NULL;
    }
  cn_len = ASN1_STRING_to_UTF8 (&cn, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, index)));
  if (cn_len <= 0)
    {
      set_ssl_error (error, "certificate CN");
      return NULL;
    }
  info->common_name = g_strndup ((const char *)cn, (gsize)cn_len);
  OPENSSL_free (cn);

  der_len = i2d_X509 (cert, &der);
  if (der_len <= 0)
    {
      set_ssl_error (error, "certificate DER");
      return NULL;
    }
  info->fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, (gsize)der_len);
  OPENSSL_free (der);

  serial = ASN1_INTEGER_to_BN (X509_get0_serialNumber (cert), NULL);
  serial_hex = serial ? BN_bn2hex (serial) : NULL;
  info->serial = g_ascii_strdown (serial_hex ? serial_hex : "", -1);
  OPENSSL_free (serial_hex);

  if (ASN1_TIME_to_tm (X509_get0_notAfter (cert), &tm) == 1)
    info->not_after_us = (gint64)timegm (&tm) * G_USEC_PER_SEC;
  return g_steal_pointer (&info);
}

HubCertInfo *
hub_cert_info_from_der (const guint8 *der, gsize length, GError **error)
{
  const unsigned char *p = der;
  g_autoptr (X509) cert = d2i_X509 (NULL, &p, (long)length);

  if (cert == NULL)
    {
      set_ssl_error (error, "peer certificate");
      return NULL;
    }
  return info_from_x509 (cert, error);
}

static BIO *
open_file (const char *path, GError **error)
{
  BIO *bio = BIO_new_file (path, "r");

  if (bio == NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot read %s", path);
      set_ssl_error (error, what);
    }
  return bio;
}

static gboolean
add_extension (X509 *cert, X509 *issuer, int nid, const char *value, GError **error)
{
  X509V3_CTX ctx;
  g_autoptr (X509_EXTENSION) ext = NULL;

  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL || !X509_add_ext (cert, ext, -1))
    {
      set_ssl_error (error, "certificate extension");
      return FALSE;
    }
  return TRUE;
}

static char *
pem_of (BIO *bio)
{
  BUF_MEM *mem = NULL;

  BIO_get_mem_ptr (bio, &mem);
  return g_strndup (mem->data, mem->length);
}

HubCertInfo *
hub_cert_issue (const char *kiosk_id, const char *ca_cert_path, const char *ca_key_path, guint days,
                char **cert_pem, char **key_pem, GError **error)
{
  g_autoptr (BIO) ca_bio = NULL, key_bio = NULL, out = NULL;
  g_autoptr (X509) ca = NULL, cert = NULL;
  g_autoptr (EVP_PKEY) ca_key = NULL, key = NULL;
  g_autoptr (BIGNUM) serial = NULL;
  g_autoptr (HubCertInfo) info = NULL;
  X509_NAME *name;

  if (!hub_kiosk_id_is_valid (kiosk_id))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "终端编号无效 / Kiosk id must be 1-64 of A-Z a-z 0-9 . _ -: %s", kiosk_id);
      return NULL;
    }
  if ((ca_bio = open_file (ca_cert_path, error)) == NULL
      || (key_bio = open_file (ca_key_path, error)) == NULL)
    return NULL;
  if ((ca = PEM_read_bio_X509 (ca_bio, NULL, NULL, NULL)) == NULL)
    {
      set_ssl_error (error, "CA certificate");
      return NULL;
    }
  if ((ca_key = PEM_read_bio_PrivateKey (key_bio, NULL, NULL, NULL)) == NULL)
    {
      set_ssl_error (error, "CA key");
      return NULL;
    }
  if (X509_check_private_key (ca, ca_key) != 1)
    {
      set_ssl_error (error, "the CA key does not match the CA certificate");
      return NULL;
    }

  key = EVP_EC_gen ("P-256");
  cert = X509_new ();
  serial = BN_new ();
  if (key == NULL || cert == NULL || serial == NULL)
    {
      set_ssl_error (error, "key generation");
      return NULL;
    }

  /* A random 127-bit serial: unique without a counter to keep. */
  if (!X509_set_version (cert, X509_VERSION_3) || !BN_rand (serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)
      || !BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (cert))
      || !X509_gmtime_adj (X509_getm_notBefore (cert), -3600)
      || !X509_gmtime_adj (X509_getm_notAfter (cert), (long)days * 86400L) || !X509_set_pubkey (cert, key))
    {
      set_ssl_error (error, "certificate fields");
      return NULL;
    }
  name = X509_get_subject_name (cert);
  if (!X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *)kiosk_id, -1, -1, 0)
      || !X509_set_issuer_name (cert, X509_get_subject_name (ca)))
    {
      set_ssl_error (error, "certificate names");
      return NULL;
    }
  if (!add_extension (cert, ca, NID_basic_constraints, "critical,CA:FALSE", error)
      || !add_extension (cert, ca, NID_key_usage, "critical,digitalSignature", error)
      || !add_extension (cert, ca, NID_ext_key_usage, "clientAuth", error)
      || !add_extension (cert, ca, NID_subject_key_identifier, "hash", error)
      || !add_extension (cert, ca, NID_authority_key_identifier, "keyid:always", error))
    return NULL;
  if (X509_sign (cert, ca_key, EVP_sha256 ()) <= 0)
    {
      set_ssl_error (error, "signing");
      return NULL;
    }

  info = info_from_x509 (cert, error);
  if (info == NULL)
    return NULL;

  out = BIO_new (BIO_s_mem ());
  if (!PEM_write_bio_X509 (out, cert))
    {
      set_ssl_error (error, "certificate PEM");
      return NULL;
    }
  *cert_pem = pem_of (out);
  BIO_reset (out);
  if (!PEM_write_bio_PrivateKey (out, key, NULL, NULL, 0, NULL, NULL))
    {
      g_clear_pointer (cert_pem, g_free);
      set_ssl_error (error, "key PEM");
      return NULL;
    }
  *key_pem = pem_of (out);
  return g_steal_pointer (&info);
}
