/* This header has no include guard, so each #include of it adds another "+ 1" to the expression it appears in. */
+ 1
