/* SPDX-License-Identifier: Apache-2.0 */
/* The upcall target of the Upcall suite, the same text as the KPC plugin it runs. */
int inc(int x) { return x + 1; }
