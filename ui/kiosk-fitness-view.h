/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-screen.h"

G_BEGIN_DECLS

/* The fitness club: open or not, how to get in, who may come when, the rules. */
#define KIOSK_TYPE_FITNESS_VIEW (kiosk_fitness_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskFitnessView, kiosk_fitness_view, KIOSK, FITNESS_VIEW, KioskScreen)

G_END_DECLS
