// Included by error_in_header.kpc; 'factor' is never declared.
static int scale(int value) {
    return value * factor;
}
