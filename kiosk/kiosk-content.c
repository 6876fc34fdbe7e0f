/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-content"

#include "kiosk-content.h"

struct _KioskContent
{
  GObject parent_instance;

  /* Owned */
  KioskBundle *bundle;
};

G_DEFINE_FINAL_TYPE (KioskContent, kiosk_content, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUNDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kiosk_content_finalize (GObject *object)
{
  KioskContent *self = KIOSK_CONTENT (object);

  g_clear_object (&self->bundle);
  G_OBJECT_CLASS (kiosk_content_parent_class)->finalize (object);
}

static void
kiosk_content_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskContent *self = KIOSK_CONTENT (object);

  switch (prop_id)
    {
      case PROP_BUNDLE:
        g_value_set_object (value, self->bundle);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_content_class_init (KioskContentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_content_finalize;
  object_class->get_property = kiosk_content_get_property;

  properties[PROP_BUNDLE]
      = g_param_spec_object ("bundle", NULL, NULL, KIOSK_TYPE_BUNDLE,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_content_init (KioskContent *self)
{
}

KioskContent *
kiosk_content_new (KioskBundle *bundle)
{
  KioskContent *self;

  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  self = g_object_new (KIOSK_TYPE_CONTENT, NULL);
  self->bundle = g_object_ref (bundle);
  return self;
}

KioskBundle *
kiosk_content_get_bundle (KioskContent *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTENT (self), NULL);
  return self->bundle;
}

void
kiosk_content_swap (KioskContent *self, KioskBundle *bundle)
{
  g_return_if_fail (KIOSK_IS_CONTENT (self));
  g_return_if_fail (KIOSK_IS_BUNDLE (bundle));

  /* Screens hold their own reference while they draw, so the old bundle
   * lives until the last of them lets go. */
  if (g_set_object (&self->bundle, bundle))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUNDLE]);
}
