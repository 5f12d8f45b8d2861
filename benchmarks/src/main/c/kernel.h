/* SPDX-License-Identifier: Apache-2.0 */
/*
 * <kernel.h> for building examples/grayscale.kpc as freestanding C: for wasm32 (which has no C
 * library here), as LLVM bitcode for Sulong, and as a shared library for the foreign function API.
 * The grayscale plugin uses only the fixed-width integer types and NULL, so nothing else is needed.
 */
#ifndef KPLUGINS_BENCH_KERNEL_H
#define KPLUGINS_BENCH_KERNEL_H
#include <stddef.h>
#include <stdint.h>
#endif
