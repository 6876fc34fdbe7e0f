/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bench-input.h"

struct _BenchInput
{
  Display *display;
};

BenchInput *
bench_input_open (GError **error)
{
  BenchInput *input;
  Display *display = XOpenDisplay (NULL);
  int event_base, error_base, major, minor;

  if (display == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "cannot open X display %s",
                   g_getenv ("DISPLAY") != NULL ? g_getenv ("DISPLAY") : "(DISPLAY unset)");
      return NULL;
    }
  if (!XTestQueryExtension (display, &event_base, &error_base, &major, &minor))
    {
      XCloseDisplay (display);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the X server has no XTEST extension");
      return NULL;
    }
  /* Keys go to whichever window is under the pointer, as with no window manager. */
  XSetInputFocus (display, PointerRoot, RevertToPointerRoot, CurrentTime);
  input = g_new0 (BenchInput, 1);
  input->display = display;
  return input;
}

void
bench_input_free (BenchInput *input)
{
  if (input == NULL)
    return;
  XCloseDisplay (input->display);
  g_free (input);
}

void
bench_input_move (BenchInput *input, int x, int y)
{
  XTestFakeMotionEvent (input->display, -1, x, y, CurrentTime);
  XFlush (input->display);
}

void
bench_input_click (BenchInput *input, int x, int y)
{
  XTestFakeMotionEvent (input->display, -1, x, y, CurrentTime);
  XTestFakeButtonEvent (input->display, 1, True, CurrentTime);
  XTestFakeButtonEvent (input->display, 1, False, CurrentTime);
  XFlush (input->display);
}

gboolean
bench_input_type (BenchInput *input, const char *text, GError **error)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      KeySym sym;
      KeyCode code;

      if (*p >= '0' && *p <= '9')
        sym = XK_0 + (KeySym)(*p - '0');
      else if (*p == '\n')
        sym = XK_Return;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "cannot type '%c': digits and Return only", *p);
          return FALSE;
        }
      code = XKeysymToKeycode (input->display, sym);
      if (code == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the keyboard map has no key for '%c'", *p);
          return FALSE;
        }
      XTestFakeKeyEvent (input->display, code, True, CurrentTime);
      XTestFakeKeyEvent (input->display, code, False, CurrentTime);
    }
  XFlush (input->display);
  return TRUE;
}

void
bench_input_sync (BenchInput *input)
{
  XSync (input->display, False);
}
