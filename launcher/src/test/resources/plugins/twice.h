/* A header function that the native tier inlines into its caller. */
static int twice(int x) {
    return x * 2;
}
