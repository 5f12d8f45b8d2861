/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host symbols of <kernel.h> for building a KPC plugin as ordinary native C with gcc, so the
 * same source can be timed against the KPC tiers. The plugin runs unisolated here.
 */
#ifndef KPLUGINS_NATIVE_KERNEL_H
#define KPLUGINS_NATIVE_KERNEL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define printk printf
#define kp_alloc malloc
#define kp_free free

#endif
