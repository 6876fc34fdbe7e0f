/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "kiosk-screen.h"
#include "kiosk-ui-text.h"

typedef struct
{
  /* Owned */
  KioskContent *content;
  KioskClock *clock;
  char *language;
  gulong bundle_handler;
} KioskScreenPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KioskScreen, kiosk_screen, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
kiosk_screen_dispose (GObject *object)
{
  KioskScreen *self = KIOSK_SCREEN (object);
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);
  GtkWidget *child;

  if (priv->content != NULL)
    g_clear_signal_handler (&priv->bundle_handler, priv->content);
  g_clear_object (&priv->content);
  g_clear_object (&priv->clock);

  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (kiosk_screen_parent_class)->dispose (object);
}

static void
kiosk_screen_finalize (GObject *object)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (KIOSK_SCREEN (object));

  g_free (priv->language);
  G_OBJECT_CLASS (kiosk_screen_parent_class)->finalize (object);
}

static void
kiosk_screen_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskScreen *self = KIOSK_SCREEN (object);

  switch (prop_id)
    {
      case PROP_LANGUAGE:
        g_value_set_string (value, kiosk_screen_get_language (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_screen_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskScreen *self = KIOSK_SCREEN (object);

  switch (prop_id)
    {
      case PROP_LANGUAGE:
        kiosk_screen_set_language (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_screen_class_init (KioskScreenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_screen_dispose;
  object_class->finalize = kiosk_screen_finalize;
  object_class->get_property = kiosk_screen_get_property;
  object_class->set_property = kiosk_screen_set_property;

  properties[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, KIOSK_LANG_ZH,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
kiosk_screen_init (KioskScreen *self)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  priv->language = g_strdup (KIOSK_LANG_ZH);
}

void
kiosk_screen_refresh (KioskScreen *self)
{
  g_return_if_fail (KIOSK_IS_SCREEN (self));
  if (KIOSK_SCREEN_GET_CLASS (self)->refresh != NULL)
    KIOSK_SCREEN_GET_CLASS (self)->refresh (self);
}

void
kiosk_screen_reset (KioskScreen *self)
{
  g_return_if_fail (KIOSK_IS_SCREEN (self));
  if (KIOSK_SCREEN_GET_CLASS (self)->reset != NULL)
    KIOSK_SCREEN_GET_CLASS (self)->reset (self);
}

static void
on_bundle_changed (KioskScreen *self)
{
  kiosk_screen_refresh (self);
}

void
kiosk_screen_set_content (KioskScreen *self, KioskContent *content)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  g_return_if_fail (KIOSK_IS_SCREEN (self));

  if (priv->content == content)
    return;
  if (priv->content != NULL)
    g_clear_signal_handler (&priv->bundle_handler, priv->content);
  g_set_object (&priv->content, content);
  if (content != NULL)
    priv->bundle_handler
        = g_signal_connect_swapped (content, "notify::bundle", G_CALLBACK (on_bundle_changed), self);
  kiosk_screen_refresh (self);
}

void
kiosk_screen_set_clock (KioskScreen *self, KioskClock *clock)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  g_return_if_fail (KIOSK_IS_SCREEN (self));
  g_set_object (&priv->clock, clock);
}

const char *
kiosk_screen_get_language (KioskScreen *self)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  g_return_val_if_fail (KIOSK_IS_SCREEN (self), KIOSK_LANG_ZH);
  return priv->language;
}

void
kiosk_screen_set_language (KioskScreen *self, const char *lang)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  g_return_if_fail (KIOSK_IS_SCREEN (self));

  lang = kiosk_ui_normalize_language (lang);
  if (g_strcmp0 (priv->language, lang) == 0)
    return;
  g_free (priv->language);
  priv->language = g_strdup (lang);
  kiosk_screen_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

KioskBundle *
kiosk_screen_get_bundle (KioskScreen *self)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  return priv->content != NULL ? kiosk_content_get_bundle (priv->content) : NULL;
}

GDateTime *
kiosk_screen_now (KioskScreen *self)
{
  KioskScreenPrivate *priv = kiosk_screen_get_instance_private (self);

  if (priv->clock == NULL)
    return g_date_time_new_now_local ();
  return kiosk_clock_now (priv->clock);
}

const char *
kiosk_screen_text (KioskScreen *self, const KioskText *text)
{
  return kiosk_text_get (text, kiosk_screen_get_language (self));
}

void
kiosk_box_remove_all (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_widget_unparent (child);
    }
}

GtkWidget *
kiosk_label_new (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  /* Wrap at the row's width, not at GTK's guess of a pleasant line length. */
  gtk_widget_set_hexpand (label, TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

GtkWidget *
kiosk_icon_button_new (const char *icon_name, const char *text, const char *action_name, GVariant *target,
                       const char *css_class)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *label = kiosk_label_new (text, NULL);

  if (icon_name != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

      gtk_widget_add_css_class (image, "button-icon");
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  return button;
}

GtkWidget *
kiosk_bundle_icon_new (KioskBundle *bundle, const char *icon, const char *fallback_icon, int size)
{
  static const char *const extensions[] = { ".svg", ".png" };
  GtkWidget *image = NULL;

  for (gsize i = 0; bundle != NULL && icon != NULL && image == NULL && i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *name = g_strconcat (icon, extensions[i], NULL);
      g_autofree char *path = g_build_filename (kiosk_bundle_get_dir (bundle), "icons", name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        image = gtk_image_new_from_file (path);
    }
  if (image == NULL && icon != NULL)
    {
      /* The kiosk ships a drawing for each of the default bundle's categories. */
      g_autofree char *themed = g_strdup_printf ("kiosk-category-%s-symbolic", icon);
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

      if (gtk_icon_theme_has_icon (theme, themed))
        image = gtk_image_new_from_icon_name (themed);
    }
  if (image == NULL)
    image = gtk_image_new_from_icon_name (fallback_icon);
  gtk_image_set_pixel_size (GTK_IMAGE (image), size);
  return image;
}

gboolean
kiosk_button_does (GtkWidget *widget, const char *action, const char *target)
{
  GVariant *value;

  if (!GTK_IS_BUTTON (widget)
      || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) != 0)
    return FALSE;
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  if (target == NULL)
    return value == NULL;
  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
         && g_str_equal (g_variant_get_string (value, NULL), target);
}
