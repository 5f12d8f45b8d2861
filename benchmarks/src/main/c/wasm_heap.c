/* SPDX-License-Identifier: Apache-2.0 */
/* Returns the first address of linear memory past the module's data and stack, set by wasm-ld. */
extern unsigned char __heap_base;

unsigned int heap_base(void) { return (unsigned int) &__heap_base; }
